package normalize

import (
	"errors"
	"fmt"
	"strings"
)

// maxCountryLen bounds the input; the longest name in the table has 52 characters.
const maxCountryLen = 100

// Indexes over countryTable and countryAliases, built once at start-up.
var (
	countryAlpha2 = map[string]bool{}
	countryAlpha3 = map[string]string{}
	countryNames  = map[string]string{}
)

func init() {
	countryNames, _ = buildCountryIndex()
}

// buildCountryIndex fills the code maps and returns the name index keyed by countryKey,
// with the keys that two entries claim for different codes; a test keeps that list
// empty, since a silent clash would send customers to the wrong country.
func buildCountryIndex() (names map[string]string, clashes []string) {
	names = map[string]string{}
	add := func(name, code string) {
		k := countryKey(name)
		if prev, ok := names[k]; ok && prev != code {
			clashes = append(clashes, name)
			return
		}
		names[k] = code
	}
	short := map[string]map[string]bool{}
	for _, c := range countryTable {
		countryAlpha2[c.alpha2] = true
		countryAlpha3[c.alpha3] = c.alpha2
		add(c.name, c.alpha2)
		// "Bolivia (Plurinational State of)" is also written without the qualifier.
		if i := strings.Index(c.name, " ("); i > 0 {
			k := countryKey(c.name[:i])
			if short[k] == nil {
				short[k] = map[string]bool{}
			}
			short[k][c.alpha2] = true
		}
	}
	for name, code := range countryAliases {
		add(name, code)
	}
	// A name without its qualifier counts only when unambiguous and not claimed by an
	// alias: "Virgin Islands" may be VG or VI, and "Korea" is taken to be KR.
	for k, codes := range short {
		if _, ok := names[k]; !ok && len(codes) == 1 {
			for code := range codes {
				names[k] = code
			}
		}
	}
	return names, clashes
}

// Country returns the ISO 3166-1 alpha-2 code for an alpha-2 or alpha-3 code (any case)
// or a country name: the ISO English short name, a common English form ("USA", "UK",
// "Great Britain", "South Korea", "Ivory Coast"...) or a Chinese name ("中国", "美国",
// "香港", "台灣"...). Case, accents, dots, commas and a leading "The" are ignored.
func Country(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	t := strings.TrimSpace(foldWidth(s))
	if t == "" {
		return "", errEmpty
	}
	if len(t) > maxCountryLen {
		return "", errors.New("not a known country")
	}
	key := countryKey(t)
	// Codes are tried as typed, then without dots ("U.S.A.").
	for _, c := range [...]string{strings.ToUpper(t), strings.ToUpper(key)} {
		if len(c) == 2 && countryAlpha2[c] {
			return c, nil
		}
		if a2, ok := countryAlpha3[c]; ok {
			return a2, nil
		}
	}
	if a2, ok := countryNames[key]; ok {
		return a2, nil
	}
	return "", fmt.Errorf("unknown country %s; use an ISO 3166 code such as CN or US", quote(t))
}

// foldAccents removes the diacritics found in country names, so that "Cote d'Ivoire"
// and "Curacao" match their ISO spelling.
var foldAccents = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i",
	"ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ç", "c", "ñ", "n",
)

// countryKey reduces a country name to a lookup key: lower case, no accents, "&" as
// "and", dots and apostrophes dropped ("U.S.A." = "usa"), other punctuation as spaces,
// "st" as "saint", and no leading "the".
func countryKey(s string) string {
	s = foldAccents.Replace(strings.ToLower(foldWidth(s)))
	s = strings.NewReplacer("&", " and ", ".", "", "'", "", "’", "",
		",", " ", "-", " ", "(", " ", ")", " ", "/", " ", "_", " ").Replace(s)
	words := strings.Fields(s)
	for i, w := range words {
		if w == "st" {
			words[i] = "saint"
		}
	}
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	return strings.Join(words, " ")
}
