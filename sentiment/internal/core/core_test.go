package core

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func words(toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Text)
	}
	return out
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"ＧＯＯＤ　Ｑｕａｌｉｔｙ！": "good quality!",
		"don’t":         "don't",
		"a\xffb":        "a b",
		"x\u200by":      "xy",
		"👍🏽":            "👍",
		"&#20013;&amp;": "中&",
		"Ünïcode":       "ünïcode",
	}
	for in, want := range cases {
		if got := Normalize(in, 0); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("好", 100)
	if got := Normalize(long, 10); !utf8.ValidString(got) || len(got) > 10 {
		t.Errorf("cut: %q", got)
	}
}

func TestTokenize(t *testing.T) {
	got := words(Tokenize(Normalize("I didn't like it :( but 3.5 stars, $20! 质量好😀 well-made <3", 0)))
	want := []string{"i", "didnt", "like", "it", ":(", "but", "3.5", "stars", ",", "$", "20", "!", "质量好", "😀", "well-made", "<3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if w := words(Tokenize("http://x.io/a")); strings.Contains(strings.Join(w, " "), ":/") {
		t.Errorf("URL produced an emoticon: %q", w)
	}
}

func TestSegmenter(t *testing.T) {
	s := NewSegmenter([]string{"快递", "很快", "快", "质量", "很", "差", "很差"}, []uint32{100, 50, 30, 100, 80, 40, 20})
	toks := s.Expand(Tokenize("快递很快，质量很差x"))
	got := words(toks)
	want := []string{"快递", "很快", "，", "质量", "很差", "x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q want %q", got, want)
	}
	if toks[0].Join || !toks[1].Join || toks[3].Join || !toks[4].Join {
		t.Errorf("join flags wrong: %+v", toks)
	}
	// unknown characters become single-character words; long runs are linear
	run := strings.Repeat("未知字", 20000)
	n := 0
	s.Segment(run, func(a, b int) { n++ })
	if n != 60000 {
		t.Errorf("got %d words", n)
	}
	var nilSeg *Segmenter
	n = 0
	nilSeg.Segment("快递很快", func(a, b int) { n++ })
	if n != 4 {
		t.Errorf("nil segmenter: %d words", n)
	}
}

func TestModelRoundTrip(t *testing.T) {
	m := &Model{
		EN:    &Linear{Bias: 0.5, Dense: [NDense]float32{1, 2, -3}, W: map[uint64]float32{1: 0.25, 99: -1.5, 1 << 60: 2}},
		ZH:    &Linear{Bias: -0.5, W: map[uint64]float32{7: 1}},
		EnLex: map[string]float32{"good": 1.9},
		Seg:   NewSegmenter([]string{"快递"}, []uint32{3}),
		T2S:   map[rune]rune{'質': '质'},
		Meta:  []byte(`{"x":1}`),
	}
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got.EN.Bias != 0.5 || got.EN.Dense != m.EN.Dense || len(got.EN.W) != 3 || got.ZH.W[7] != 1 ||
		got.EnLex["good"] != 1.9 || !got.Seg.Contains("快递") || got.T2S['質'] != '质' || string(got.Meta) != `{"x":1}` {
		t.Errorf("round trip mismatch: %+v", got)
	}
	if w := got.EN.W[99]; w > -1.49 || w < -1.51 {
		t.Errorf("quantised weight %v", w)
	}
	// corrupt and truncated input fails cleanly
	for _, bad := range [][]byte{nil, []byte("garbage"), buf.Bytes()[:buf.Len()/2]} {
		if _, err := Decode(bytes.NewReader(bad)); err == nil {
			t.Errorf("Decode accepted %d bad bytes", len(bad))
		}
	}
}

func TestFeaturizeNegationAndContrast(t *testing.T) {
	f := &Featurizer{EnLex: map[string]float32{"good": 2, "bad": -2}}
	score := func(s string) float64 {
		var v Vector
		f.Featurize(Tokenize(Normalize(s, 0)), LangEN, &v, nil)
		return v.LexSum
	}
	if !(score("good") > 0 && score("not good") < 0 && score("very good") > score("good")) {
		t.Error("negation/intensifier rules")
	}
	if !(score("good but bad") < 0 && score("bad but good") > 0) {
		t.Error("contrast rule")
	}
	if score("too small") >= 0 || score("never again") >= 0 {
		t.Error("too/phrase rules")
	}
}
