package match

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestJaroWinklerKnownValues(t *testing.T) {
	cases := []struct {
		a, b     string
		jaro, jw float64
	}{
		{"MARTHA", "MARHTA", 0.944, 0.961},
		{"DIXON", "DICKSONX", 0.767, 0.813},
		{"DWAYNE", "DUANE", 0.822, 0.840},
		{"CRATE", "TRACE", 0.733, 0.733},
		{"abc", "abc", 1, 1},
		{"abc", "xyz", 0, 0},
		{"", "", 1, 1},
		{"a", "", 0, 0},
	}
	for _, c := range cases {
		if got := Jaro(c.a, c.b); !near(got, c.jaro, 0.0005) {
			t.Errorf("Jaro(%q,%q) = %.4f, want %.3f", c.a, c.b, got, c.jaro)
		}
		if got := JaroWinkler(c.a, c.b); !near(got, c.jw, 0.0005) {
			t.Errorf("JaroWinkler(%q,%q) = %.4f, want %.3f", c.a, c.b, got, c.jw)
		}
		if JaroWinkler(c.a, c.b) != JaroWinkler(c.b, c.a) {
			t.Errorf("JaroWinkler(%q,%q) not symmetric", c.a, c.b)
		}
	}
	// rune-level: one of three characters differs, same first character
	if got := JaroWinkler("王小明", "王晓明"); !near(got, 0.8, 1e-9) {
		t.Errorf("JaroWinkler(王小明, 王晓明) = %.4f, want 0.8", got)
	}
}

func TestEditDistances(t *testing.T) {
	lev := []struct {
		a, b string
		d    int
	}{
		{"kitten", "sitting", 3}, {"flaw", "lawn", 2}, {"", "abc", 3}, {"abc", "", 3},
		{"same", "same", 0}, {"ca", "ac", 2}, {"王小明", "王晓明", 1}, {"欧阳娜娜", "欧娜娜", 1},
	}
	for _, c := range lev {
		if got := Levenshtein(c.a, c.b); got != c.d {
			t.Errorf("Levenshtein(%q,%q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
	dl := []struct {
		a, b string
		d    int
	}{
		{"ca", "ac", 1}, {"1234567", "1243567", 1}, {"kitten", "sitting", 3},
		{"19800517", "19800571", 1}, {"abc", "", 3}, {"", "", 0},
	}
	for _, c := range dl {
		if got := DamerauLevenshtein(c.a, c.b); got != c.d {
			t.Errorf("DamerauLevenshtein(%q,%q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
	// long strings take the heap path
	long1, long2 := strings.Repeat("ab", 40), strings.Repeat("ab", 39)+"ba"
	if got := DamerauLevenshtein(long1, long2); got != 1 {
		t.Errorf("DamerauLevenshtein(long) = %d, want 1", got)
	}
	if got := DamerauLevenshtein(strings.Repeat("a", 70), strings.Repeat("b", 70)); got != 70 {
		t.Errorf("DamerauLevenshtein(long) = %d, want 70", got)
	}
}

func TestDamerauWithin(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	words := []string{"", "a", "ab", "ba", "abc", "acb", "smith", "smyth", "smiths", "msith", "19800517", "19800571",
		"19081705", "1234567", "1243567", "7654321", "anna.lee@example.com", "ana.lee@example.com", "王小明", "王晓明"}
	for i := 0; i < 3000; i++ {
		a, b := words[rng.IntN(len(words))], words[rng.IntN(len(words))]
		if i%3 == 0 { // random mutations of a word
			r := []rune(a)
			for k := rng.IntN(4); k > 0 && len(r) > 0; k-- {
				r[rng.IntN(len(r))] = rune('a' + rng.IntN(3))
			}
			b = string(r)
		}
		full := DamerauLevenshtein(a, b)
		for k := 0; k <= 3; k++ {
			if got := damerauWithin([]rune(a), []rune(b), k); got != min(full, k+1) {
				t.Fatalf("damerauWithin(%q,%q,%d) = %d, full distance %d", a, b, k, got, full)
			}
		}
	}
}

func TestMongeElkan(t *testing.T) {
	if got := MongeElkan([]string{"light", "street"}, []string{"street", "light"}); got != 1 {
		t.Errorf("reordered words: %v, want 1", got)
	}
	got := MongeElkan([]string{"light", "setreet"}, []string{"light", "street"})
	if got < 0.92 || got >= 1 {
		t.Errorf("one misspelled word: %v, want in [0.92,1)", got)
	}
	if MongeElkan(nil, []string{"a"}) != 0 {
		t.Error("empty side should be 0")
	}
}

func TestSoundex(t *testing.T) {
	for in, want := range map[string]string{
		"Robert": "R163", "Rupert": "R163", "Ashcraft": "A261", "Tymczak": "T522",
		"Pfister": "P236", "Lee": "L000", "": "", "王": "",
	} {
		if got := Soundex(in); got != want {
			t.Errorf("Soundex(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDateLevels(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"1980-05-17", "1980-05-17", LevelExact},
		{"1980-05-17", "19800517", LevelExact},
		{"1980-05-17", "1980-05-18", LevelClose}, // one digit
		{"1980-05-17", "1908-05-17", LevelClose}, // adjacent digits swapped
		{"1980-05-07", "1980-07-05", LevelClose}, // day and month transposed
		{"1980-11-03", "1980-03-11", LevelClose}, // day and month transposed
		{"1980-05-17", "1981-06-17", LevelDifferent},
		{"1980-05-17", "1975-12-01", LevelDifferent},
		{"1980-05-07", "1981-07-05", LevelDifferent}, // transposed but another year
		{"1980-05-17", "", LevelMissing},
	}
	for _, c := range cases {
		if got := DateLevel(c.a, c.b); got != c.want {
			t.Errorf("DateLevel(%q,%q) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"  Müller-Lüdenscheidt ": "muller ludenscheidt",
		"O'Brien":                "obrien",
		"O’Brien":                "obrien",
		"ＡＢＣ　ｄｅｆ":                "abc def",
		"Øster  Straße":          "oster strasse",
		"José":                   "jose",
		"王 小明":                   "王 小明",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := foldText("王 小明"); got != "王小明" {
		t.Errorf("foldText strips spaces in CJK: %q", got)
	}
}

func levelName(f int, c compared) string {
	if c.level == missing {
		return LevelMissing
	}
	return fieldSpecs[f].levels[c.level]
}

func compareRecords(a, b Record) [numFields]compared {
	pa, pb := prepare(&a), prepare(&b)
	var c [numFields]compared
	compareAll(&pa, &pb, &c, true)
	return c
}

func TestCJKNames(t *testing.T) {
	cases := []struct {
		a, b           Record
		given, family  string
		fullNameSimMin float64
	}{
		// a homophone typed for one character of the given name
		{Record{FullName: "王小明"}, Record{FullName: "王晓明"}, LevelClose, LevelExact, 0},
		// different family name
		{Record{FullName: "王小明"}, Record{FullName: "李小明"}, LevelExact, LevelDifferent, 0},
		// spaces, full-width space and parts given separately all compare alike
		{Record{FullName: "王　小明"}, Record{GivenName: "小明", FamilyName: "王"}, LevelExact, LevelExact, 0},
		// compound family name
		{Record{FullName: "欧阳娜娜"}, Record{FamilyName: "欧阳", GivenName: "娜娜"}, LevelExact, LevelExact, 0},
		// single-character given names that differ are different
		{Record{FullName: "张伟"}, Record{FullName: "张强"}, LevelDifferent, LevelExact, 0},
		// Korean
		{Record{FullName: "김민수"}, Record{FullName: "김민서"}, LevelClose, LevelExact, 0},
	}
	for _, c := range cases {
		got := compareRecords(c.a, c.b)
		// CJK names have fields of their own: another naming culture, other weights.
		if got[fGiven].level != missing || got[fFamily].level != missing {
			t.Errorf("%q vs %q compared as Latin names", c.a.FullName, c.b.FullName)
		}
		if g, f := levelName(fGivenCJK, got[fGivenCJK]), levelName(fFamilyCJK, got[fFamilyCJK]); g != c.given || f != c.family {
			t.Errorf("%q vs %q: given %s family %s, want %s %s", c.a.FullName, c.b.FullName, g, f, c.given, c.family)
		}
	}
}

func TestLatinNames(t *testing.T) {
	cases := []struct {
		a, b          Record
		given, family string
	}{
		{Record{GivenName: "Martha", FamilyName: "Smith"}, Record{GivenName: "MARHTA", FamilyName: "smith"}, LevelClose, LevelExact},
		// parts swapped
		{Record{GivenName: "james", FamilyName: "thomas"}, Record{GivenName: "Thomas", FamilyName: "James"}, LevelExact, LevelExact},
		// initial
		{Record{GivenName: "J", FamilyName: "Doe"}, Record{GivenName: "John", FamilyName: "Doe"}, LevelInitial, LevelExact},
		// accents and case
		{Record{GivenName: "José", FamilyName: "Núñez"}, Record{GivenName: "jose", FamilyName: "NUNEZ"}, LevelExact, LevelExact},
		// full name only on one side
		{Record{FullName: "Anna Maria Schmidt"}, Record{GivenName: "anna maria", FamilyName: "schmidt"}, LevelExact, LevelExact},
		{Record{FullName: "Schmidt, Anna"}, Record{GivenName: "anna", FamilyName: "schmidt"}, LevelExact, LevelExact},
		{Record{GivenName: "elk i", FamilyName: "menzies"}, Record{GivenName: "elki", FamilyName: "menzies"}, LevelExact, LevelExact},
		{Record{GivenName: "", FamilyName: "white"}, Record{GivenName: "ann", FamilyName: "white"}, LevelMissing, LevelExact},
		{Record{GivenName: "peter", FamilyName: "white"}, Record{GivenName: "maria", FamilyName: "black"}, LevelDifferent, LevelDifferent},
	}
	for _, c := range cases {
		got := compareRecords(c.a, c.b)
		if g, f := levelName(fGiven, got[fGiven]), levelName(fFamily, got[fFamily]); g != c.given || f != c.family {
			t.Errorf("%+v vs %+v: given %s family %s, want %s %s", c.a, c.b, g, f, c.given, c.family)
		}
	}
}

func TestOtherFieldLevels(t *testing.T) {
	a := Record{NationalID: "3007951", Postcode: "6302", StreetNumber: "95", AddressLine1: "leahy place",
		City: "shenton park", Email: "Ann.Lee@Example.com", Phone: "+61 2 9876 5432", Gender: "F"}
	b := Record{NationalID: "3009751", Postcode: "6320", StreetNumber: "59", AddressLine1: "leahy lplace",
		City: "shento mpark", Email: "ann.lee@example.org", Phone: "02 9876 5432", Gender: "female"}
	got := compareRecords(a, b)
	want := map[int]string{
		fNID: LevelClose, fPostcode: LevelClose, fStreetNo: LevelClose, fAddr1: LevelClose,
		fCity: LevelClose, fEmail: LevelClose, fPhone: LevelExact, fGender: LevelExact,
		fBirth: LevelMissing, fCountry: LevelMissing,
	}
	for f, w := range want {
		if g := levelName(f, got[f]); g != w {
			t.Errorf("%s: %s (sim %.3f), want %s", fieldSpecs[f].name, g, got[f].sim, w)
		}
	}
}
