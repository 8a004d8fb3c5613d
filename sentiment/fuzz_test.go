package sentiment

import "testing"

// FuzzAnalyze checks that no input panics or yields out-of-range results.
// go test runs the seeds; go test -fuzz=FuzzAnalyze explores further.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "good", "质量很差", "\xff", "😀", "但是 but 但是", ":(:(:(", "a'b-c", "&#;&#x;&",
		"不不不不", "never never again", "太", "too", "。。。", "$$$", "ｘ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Analyze(s)
		if r.Score < -1 || r.Score > 1 || r.Score != r.Score {
			t.Fatalf("score %v", r.Score)
		}
		for _, a := range r.Aspects {
			if a.Score < -1 || a.Score > 1 || a.Score != a.Score {
				t.Fatalf("aspect %+v", a)
			}
		}
		switch r.Language {
		case LangChinese, LangEnglish, LangMixed, LangUnknown:
		default:
			t.Fatalf("language %q", r.Language)
		}
		switch r.Label {
		case Positive, Negative, Neutral:
		default:
			t.Fatalf("label %q", r.Label)
		}
		if DetectLanguage(s) != r.Language {
			t.Fatalf("DetectLanguage %q != Analyze %q", DetectLanguage(s), r.Language)
		}
	})
}
