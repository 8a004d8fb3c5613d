package normalize

import (
	"strings"
	"testing"
)

func TestCountryTable(t *testing.T) {
	if n := len(countryTable); n != 249 {
		t.Errorf("countryTable has %d entries, want 249", n)
	}
	a2, a3 := map[string]bool{}, map[string]bool{}
	for _, c := range countryTable {
		if len(c.alpha2) != 2 || len(c.alpha3) != 3 || strings.ToUpper(c.alpha2+c.alpha3) != c.alpha2+c.alpha3 || c.name == "" {
			t.Errorf("malformed entry %v", c)
		}
		if a2[c.alpha2] || a3[c.alpha3] {
			t.Errorf("duplicate code in %v", c)
		}
		a2[c.alpha2], a3[c.alpha3] = true, true
		// Every code and name resolves to its own entry.
		for _, in := range []string{c.alpha2, strings.ToLower(c.alpha3), c.name, strings.ToUpper(c.name)} {
			if got, err := Country(in); err != nil || got != c.alpha2 {
				t.Errorf("Country(%q) = %q, %v; want %s", in, got, err, c.alpha2)
			}
		}
	}
	for name, code := range countryAliases {
		if !a2[code] {
			t.Errorf("alias %q points to unknown code %s", name, code)
		}
	}
	if _, clashes := buildCountryIndex(); len(clashes) > 0 {
		t.Errorf("names claimed by two countries: %q", clashes)
	}
}

func TestCountry(t *testing.T) {
	run(t, "Country", Country, []tc{
		{in: "CN", want: "CN"},
		{in: "cn", want: "CN"},
		{in: " chn ", want: "CN"},
		{in: "China", want: "CN"},
		{in: "中国", want: "CN"},
		{in: "中華人民共和國", want: "CN"},
		{in: "PRC", want: "CN"},
		{in: "People's Republic of China", want: "CN"},
		{in: "United States", want: "US"},
		{in: "united states of america", want: "US"},
		{in: "USA", want: "US"},
		{in: "U.S.A.", want: "US"},
		{in: "U.S.", want: "US"},
		{in: "美国", want: "US"},
		{in: "UK", want: "GB"},
		{in: "Great Britain", want: "GB"},
		{in: "gbr", want: "GB"},
		{in: "英国", want: "GB"},
		{in: "Hong Kong", want: "HK"},
		{in: "hong kong sar", want: "HK"},
		{in: "香港", want: "HK"},
		{in: "中国香港", want: "HK"},
		{in: "Macau", want: "MO"},
		{in: "澳门", want: "MO"},
		{in: "Taiwan", want: "TW"},
		{in: "台湾", want: "TW"},
		{in: "臺灣", want: "TW"},
		{in: "Japan", want: "JP"},
		{in: "日本", want: "JP"},
		{in: "Germany", want: "DE"},
		{in: "德国", want: "DE"},
		{in: "Australia", want: "AU"},
		{in: "澳洲", want: "AU"},
		{in: "South Korea", want: "KR"},
		{in: "Korea", want: "KR"},
		{in: "Korea, Republic of", want: "KR"},
		{in: "韩国", want: "KR"},
		{in: "North Korea", want: "KP"},
		{in: "Russia", want: "RU"},
		{in: "Vietnam", want: "VN"},
		{in: "Viet Nam", want: "VN"},
		{in: "Iran", want: "IR"},
		{in: "Bolivia", want: "BO"},
		{in: "Cote d'Ivoire", want: "CI"},
		{in: "Côte d’Ivoire", want: "CI"},
		{in: "Ivory Coast", want: "CI"},
		{in: "Curacao", want: "CW"},
		{in: "St Lucia", want: "LC"},
		{in: "St. Kitts & Nevis", want: "KN"},
		{in: "Bosnia & Herzegovina", want: "BA"},
		{in: "The Netherlands", want: "NL"},
		{in: "Bahamas", want: "BS"},
		{in: "The Bahamas", want: "BS"},
		{in: "Turkey", want: "TR"},
		{in: "Türkiye", want: "TR"},
		{in: "Guinea-Bissau", want: "GW"},
		{in: "guinea bissau", want: "GW"},
		{in: "ＣＮ", want: "CN"},
		{in: "ｃｈｉｎａ", want: "CN"},

		{in: "", err: "empty"},
		{in: "   ", err: "empty"},
		{in: "ZZ", err: "unknown country"},
		{in: "EU", err: "unknown country"},
		{in: "XXX", err: "unknown country"},
		{in: "Virgin Islands", err: "unknown country"}, // VG or VI: ambiguous
		{in: "Atlantis", err: `unknown country "Atlantis"`},
		{in: "火星", err: "unknown country"},
		{in: "\xff", err: "UTF-8"},
		{in: strings.Repeat("China", 100), err: "not a known country"},
	})
}

func FuzzCountry(f *testing.F) {
	for _, s := range []string{"CN", "chn", "China", "中国", "U.S.A.", "St Lucia", "Virgin Islands", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, Country, s) })
}
