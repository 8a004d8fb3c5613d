package match

// Given-name frequency. The weight of "given names agree exactly" is an average over all
// names, but two records that share a rare given name are far more likely to be one
// person than two that share a common one: 雅依 is not 伟, and Cosimo is not John. When
// given names agree exactly, a further field says how many records hold that name, in
// bands (2, 3-5, 6-20, 21+), and EM weighs each band like any other level. This is
// Winkler's frequency-based matching with the weights learned from the candidate pairs:
// a correction from population frequencies (Splink's term-frequency adjustment) was
// tried first and was worse here, because blocking already brings records that share a
// rare name together far more often than chance would (docs/benchmarks.md).

// NameFrequencies counts the given names of the records the model was fitted on, so
// that records scored later are banded the same way.
type NameFrequencies struct {
	Records int // records that state a given name
	// Counts holds the values held by two or more records; romanized forms (Chinese names
	// in pinyin, Latin names as written) are counted again under "py:" for agreement
	// across scripts.
	Counts map[string]int `json:",omitempty"`
}

// pinyinKey is the key under which a name's romanized form is counted: 雅依 and "Yayi"
// share one count.
func pinyinKey(s string) string { return "py:" + s }

func countNames(prep []prepared) *NameFrequencies {
	all := map[string]int{}
	nf := &NameFrequencies{Counts: map[string]int{}}
	for i := range prep {
		p := &prep[i]
		if len(p.givenNS) == 0 {
			continue
		}
		nf.Records++
		all[string(p.givenNS)]++
		if py := romanized(p); py != "" {
			all[pinyinKey(py)]++
		}
	}
	for v, k := range all {
		if k >= 2 {
			nf.Counts[v] = k
		}
	}
	return nf
}

// romanized is a given name in Latin letters: a Chinese name's pinyin, a Latin name as is.
func romanized(p *prepared) string {
	if p.cjkName {
		return string(p.givenPY)
	}
	return string(p.givenNS)
}

// annotate sets a record's given-name counts from the table: at least 1, the record
// itself.
func (nf *NameFrequencies) annotate(p *prepared) {
	if nf == nil || len(p.givenNS) == 0 {
		return
	}
	p.givenN = max(nf.Counts[string(p.givenNS)], 1)
	if py := romanized(p); py != "" {
		p.givenPYN = max(nf.Counts[pinyinKey(py)], 1)
	}
	if p.handleName != nil {
		nf.annotate(p.handleName)
	}
}

// agreedGivenCount is how many records hold the given name a and b share exactly (0 when
// unknown or not shared), by their own names or a name read from a handle. Parts that
// agree only when swapped do not count.
func agreedGivenCount(a, b *prepared) int {
	for _, forms := range append([][2]*prepared{{a, b}}, handleForms(a, b)...) {
		x, y := forms[0], forms[1]
		if len(x.givenNS) == 0 {
			continue
		}
		switch {
		case x.cjkName == y.cjkName && runesEqual(x.givenNS, y.givenNS):
			return max(x.givenN, y.givenN)
		case x.cjkName != y.cjkName && romanized(x) != "" && romanized(x) == romanized(y):
			return max(x.givenPYN, y.givenPYN)
		}
	}
	return 0
}
