package match

import (
	"math"
	"strings"
)

// Term-frequency adjustment of given names. The model's weight for "given names agree
// exactly" is an average over all names, but two records that share a rare given name
// are far more likely to be one person than two that share a common one: 雅依 is not 伟,
// and Cosimo is not John. Following Splink (and Winkler's frequency-based matching), an
// exact agreement on value v is weighed log2(S / f_v) bits on top of the level's weight,
// where f_v is the share of records that hold v and S = Σ f² the chance that two random
// records agree at all: within the exact level, matches agree on v in proportion to f_v
// and non-matches in proportion to f_v². A name of typical frequency gains nothing, a rare
// one gains, a common one loses.
//
// Family names are not adjusted. Blocking pairs records by city and family name, and
// skips the oversized blocks of common family names, so among candidate pairs agreement
// on a rare family name is as ordinary as on a common one; the same bonus there merged
// relatives and people who share only a surname (measured in docs/benchmarks.md).

// NameFrequencies counts the given names of the records the model was fitted on.
type NameFrequencies struct {
	Records int     // records that state a given name
	SumSq   float64 // Σ f², f the share of records holding each value
	// Counts holds the values held by two or more records (a pair that agrees holds its
	// value twice at least); romanized forms, Chinese names in pinyin and Latin names as
	// written, are counted again under "py:" for agreement across scripts.
	Counts map[string]int `json:",omitempty"`
}

// maxFrequencyBits bounds the adjustment either way, so that a name seen twice in a
// small file cannot outweigh everything else.
const maxFrequencyBits = 8.0

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
		switch {
		case p.cjkName && len(p.givenPY) > 0:
			all[pinyinKey(string(p.givenPY))]++
		case !p.cjkName:
			all[pinyinKey(string(p.givenNS))]++
		}
	}
	var sq int64 // summed as integers: map order must not change the result
	for v, k := range all {
		if k >= 2 {
			nf.Counts[v] = k
		}
		if !strings.HasPrefix(v, "py:") { // romanized keys count the same records again
			sq += int64(k) * int64(k)
		}
	}
	if nf.Records > 0 {
		n := float64(nf.Records)
		nf.SumSq = float64(sq) / (n * n)
	}
	return nf
}

// givenAdjustment returns the frequency adjustment of the given-name comparison of a and
// b, whose level is in v: non-zero only for exact agreement in the orientation the
// records state (with the parts swapped the level's weight stands alone), by their own
// names or a name read from a handle.
func (nf *NameFrequencies) givenAdjustment(a, b *prepared, v *vector) float64 {
	if nf == nil || (v[fGiven] != 0 && v[fGivenCJK] != 0) || nf.Records < 2 || nf.SumSq <= 0 {
		return 0
	}
	for _, forms := range [3][2]*prepared{{a, b}, {a.handleName, b}, {a, b.handleName}} {
		if forms[0] == nil || forms[1] == nil {
			continue
		}
		if key := agreedGivenName(forms[0], forms[1]); key != "" {
			k := max(nf.Counts[key], 2)
			bits := math.Log2(nf.SumSq * float64(nf.Records) / float64(k))
			return min(max(bits, -maxFrequencyBits), maxFrequencyBits)
		}
	}
	return 0
}

// agreedGivenName is the key of the given name a and b share exactly, or "".
func agreedGivenName(a, b *prepared) string {
	switch {
	case len(a.givenNS) == 0:
		return ""
	case a.cjkName == b.cjkName && runesEqual(a.givenNS, b.givenNS):
		return string(a.givenNS)
	case a.cjkName && !b.cjkName && len(a.givenPY) > 0 && runesEqual(a.givenPY, b.givenNS):
		return pinyinKey(string(a.givenPY))
	case b.cjkName && !a.cjkName && len(b.givenPY) > 0 && runesEqual(b.givenPY, a.givenNS):
		return pinyinKey(string(b.givenPY))
	}
	return ""
}
