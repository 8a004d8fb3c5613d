package normalize

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestText(t *testing.T) {
	f := func(s string) (string, error) { return Text(s, 10) }
	run(t, "Text", f, []tc{
		{in: "", want: ""},
		{in: "   \t\n ", want: ""},
		{in: "  hi   there ", want: "hi there"},
		{in: "a\r\nb\tc", want: "a b c"},
		{in: "a\x00b\x07c", want: "abc"},
		{in: "a \x00 b", want: "a b"},
		{in: "\uFEFFhi\u200B!", want: "hi!"},
		{in: "a\u00a0\u3000b", want: "a b"},
		{in: "你好，世界", want: "你好，世界"},
		{in: "0123456789", want: "0123456789"},
		{in: "0123456789x", err: "longer than 10 characters"},
		{in: "一二三四五六七八九十", want: "一二三四五六七八九十"},
		{in: "一二三四五六七八九十一", err: "longer than 10"},
		{in: "\xff\xfe", err: "UTF-8"},
	})
	if got, err := Text(strings.Repeat("ab ", 10000), 0); err != nil || len(got) != 29999 {
		t.Errorf("Text with no limit: len %d, err %v", len(got), err)
	}
}

func TestName(t *testing.T) {
	run(t, "Name", Name, []tc{
		{in: "", want: ""},
		{in: " \t\u3000 ", want: ""},
		{in: "  Ann   Lee ", want: "Ann Lee"},
		{in: "ANN-MARIE O'NEIL", want: "Ann-Marie O'Neil"},
		{in: "jean de la fontaine", want: "Jean De La Fontaine"},
		{in: "mcDonald", want: "mcDonald"},
		{in: "McDonald", want: "McDonald"},
		{in: "van der Berg", want: "van der Berg"},
		{in: "JOSÉ ÁLVAREZ", want: "José Álvarez"},
		{in: "ÉMILE ZOLA", want: "Émile Zola"},
		{in: "jose\u0301 alvarez", want: "Jose\u0301 Alvarez"},
		{in: "d'artagnan", want: "D'Artagnan"},
		{in: "J. R. R. TOLKIEN", want: "J. R. R. Tolkien"},
		{in: "王\u3000小明", want: "王 小明"},
		{in: "王小明", want: "王小明"},
		{in: "山田\u00a0太郎", want: "山田 太郎"},
		{in: "ИВАН ПЕТРОВ", want: "ИВАН ПЕТРОВ"}, // not Latin: left alone
		{in: "ΑΛΈΞΑΝΔΡΟΣ", want: "ΑΛΈΞΑΝΔΡΟΣ"},
		{in: "JOHN 王", want: "JOHN 王"}, // mixed scripts: left alone
		{in: "Ann2", err: "digit"},
		{in: "Ann ３", err: "digit"},
		{in: "Ann\x00Lee", err: "control"},
		{in: "Ann\x7fLee", err: "control"},
		{in: "\xc3\x28", err: "UTF-8"},
		{in: strings.Repeat("a", 100), want: "A" + strings.Repeat("a", 99)},
		{in: strings.Repeat("a", 101), err: "longer than 100"},
		{in: strings.Repeat("王", 101), err: "longer than 100"},
		{in: strings.Repeat("a ", 50), want: "A" + strings.Repeat(" A", 49)},
	})
}

func TestGender(t *testing.T) {
	run(t, "Gender", Gender, []tc{
		{in: "", want: ""},
		{in: "   ", want: ""},
		{in: "M", want: "male"},
		{in: " male ", want: "male"},
		{in: "Man", want: "male"},
		{in: "男", want: "male"},
		{in: "男性", want: "male"},
		{in: "Ｍ", want: "male"},
		{in: "f", want: "female"},
		{in: "FEMALE", want: "female"},
		{in: "woman", want: "female"},
		{in: "女", want: "female"},
		{in: "x", want: "other"},
		{in: "Other", want: "other"},
		{in: "nonbinary", want: "other"},
		{in: "non-binary", want: "other"},
		{in: "Non_Binary", want: "other"},
		{in: "其他", want: "other"},
		{in: "unknown", want: "unknown"},
		{in: "N/A", want: "unknown"},
		{in: "prefer not to say", want: "unknown"},
		{in: "Prefer_Not_To_Say", want: "unknown"},
		{in: "保密", want: "unknown"},
		{in: "1", err: "unknown gender"},
		{in: "yes", err: "unknown gender"},
		{in: "\xff", err: "UTF-8"},
	})
}

func TestPostcode(t *testing.T) {
	run(t, "Postcode", Postcode, []tc{
		{in: "", want: ""},
		{in: "  ", want: ""},
		{in: "100080", want: "100080"},
		{in: " sw1a   1aa ", want: "SW1A 1AA"},
		{in: "sw1a\t1aa", want: "SW1A 1AA"},
		{in: "12345-6789", want: "12345-6789"},
		{in: "１００００", want: "10000"},
		{in: "k1a 0b1", want: "K1A 0B1"},
		{in: "123456789012", want: "123456789012"},
		{in: "1234567890123", err: "longer than 12"},
		{in: "1000#", err: "only letters, digits"},
		{in: "北京100080", err: "only letters, digits"},
		{in: "10_00", err: "only letters"},
		{in: "\xff", err: "UTF-8"},
	})
}

func TestCollapseAndFold(t *testing.T) {
	if got := foldWidth("ＡＢＣ＠１２３\u3000ｘ"); got != "ABC@123 x" {
		t.Errorf("foldWidth = %q", got)
	}
	if got := collapseSpace("\u00a0a\u2003\u3000b\n"); got != "a b" {
		t.Errorf("collapseSpace = %q", got)
	}
	if got := quote(strings.Repeat("x", 40)); !strings.HasSuffix(got, `"...`) || len(got) != 32+2+3 {
		t.Errorf("quote long = %s", got)
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", " a  b ", "a\x00b", "\uFEFF你好\u3000世界", "\xff", "a\u0085b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkIdempotent(t, func(s string) (string, error) { return Text(s, 50) }, s)
	})
}

func FuzzName(f *testing.F) {
	for _, s := range []string{"", "ANN-MARIE O'NEIL", "mcDonald", "王\u3000小明", "ǄǄ", "ıı", "İİ", "jose\u0301 x", "a1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, Name, s) })
}

func FuzzGender(f *testing.F) {
	for _, s := range []string{"", "M", "女", "non-binary", "n/a", "zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, Gender, s) })
}

func FuzzPostcode(f *testing.F) {
	for _, s := range []string{"", "sw1a 1aa", "12345-6789", "１００", "#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, Postcode, s) })
}

// TestNameIdempotentLatin checks title-casing on every Latin letter, where Unicode case
// mapping has its oddities (ǅ, ı, İ, ß) that a short fuzz run may not reach.
func TestNameIdempotentLatin(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.Is(unicode.Latin, r) || !unicode.IsLetter(r) {
			continue
		}
		s := string(r)
		for _, in := range []string{s, s + s, s + "a", s + "A", "a" + s, "A" + s, s + " " + s, s + "-" + s + s} {
			checkIdempotent(t, Name, in)
		}
	}
}

// Every normalizer refuses text that is not valid UTF-8 and text holding U+FFFD, the
// character JSON and GraphQL decoders put where they met invalid bytes: either way the
// source's text is lost, and storing the replacement would hide that.
func TestInvalidUTF8AndReplacementCharacterAreRejected(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	normalizers := map[string]func(string) (string, error){
		"Text":     func(s string) (string, error) { return Text(s, 0) },
		"Name":     Name,
		"Gender":   Gender,
		"Postcode": Postcode,
		"Email":    Email,
		"Phone":    func(s string) (string, error) { return Phone(s, "CN") },
		"Date":     func(s string) (string, error) { return Date(s, false, now) },
		"Timestamp": func(s string) (string, error) {
			ts, err := Timestamp(s, time.UTC)
			return ts.String(), err
		},
		"Country":  Country,
		"Currency": Currency,
		"ParseMoney": func(s string) (string, error) {
			m, err := ParseMoney(s, "USD")
			return m.String(), err
		},
		"Identifier(device_id)":     func(s string) (string, error) { return Identifier("device_id", s, "CN") },
		"Identifier(social_handle)": func(s string) (string, error) { return Identifier("social_handle", "wechat:"+s, "CN") },
	}
	for name, f := range normalizers {
		for _, in := range []string{"Ann\xffLee", "Ann\uFFFDLee", "\xe4\xb8", "\uFFFD"} {
			if _, err := f(in); err == nil || !strings.Contains(err.Error(), "UTF-8") {
				t.Errorf("%s(%q): error %v, want one about UTF-8", name, in, err)
			}
		}
	}
}
