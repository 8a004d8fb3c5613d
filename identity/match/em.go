package match

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Estimation of the Fellegi-Sunter model by expectation-maximization. The candidate pairs
// are a mixture of matches (share λ) and non-matches; given the class, the fields'
// levels are independent, with probabilities m (matches) and u (non-matches). EM runs on
// the distinct comparison vectors with their counts, so its cost does not depend on the
// number of pairs.

const (
	probFloor   = 1e-6 // m, u and λ are kept within [probFloor, 1-probFloor]
	pseudoCount = 0.5  // Jeffreys-style pseudo-count per level in every M-step
	emMaxIter   = 1000
	emTolerance = 1e-7
	randomPairs = 100000 // pairs sampled to estimate u before EM
	randomSeed  = 0x5eed_cdb6
)

type table [numFields][maxLevels]float64

// Pair classes: each has its own share of matches λ, estimated by EM with the shared m and
// u. Records that do not name their source are all "across sources", as before.
const (
	acrossSources = 0
	sameSource    = 1
)

func classOf(a, b *prepared) int {
	if a.source != "" && a.source == b.source {
		return sameSource
	}
	return acrossSources
}

func classesOf(prep []prepared, cands [][2]int) []int8 {
	out := make([]int8, len(cands))
	for k, c := range cands {
		out[k] = int8(classOf(&prep[c[0]], &prep[c[1]]))
	}
	return out
}

// pattern is a distinct comparison vector of one pair class and the number of pairs that
// have it.
type pattern struct {
	v     vector
	class int8
	count float64
	label int8 // labelSame or labelDifferent for analysts' labelled pairs (labels.go); 0 otherwise
}

// patternsOf counts the distinct (vector, class) pairs, sorted for determinism; classes
// nil puts every pair across sources.
func patternsOf(vs []vector, classes []int8) []pattern {
	type vc struct {
		v vector
		c int8
	}
	sorted := make([]vc, len(vs))
	for i, v := range vs {
		sorted[i].v = v
		if classes != nil {
			sorted[i].c = classes[i]
		}
	}
	slices.SortFunc(sorted, func(a, b vc) int {
		if a.c != b.c {
			return int(a.c) - int(b.c)
		}
		return cmpVector(a.v, b.v)
	})
	var out []pattern
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		out = append(out, pattern{v: sorted[i].v, class: sorted[i].c, count: float64(j - i)})
		i = j
	}
	return out
}

func cmpVector(a, b vector) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}

func clampProb(p float64) float64 {
	return min(max(p, probFloor), 1-probFloor)
}

// emResult is the outcome of runEM.
type emResult struct {
	m, u       table
	lambda     [2]float64 // by pair class
	iterations int
	converged  bool
	observed   [numFields]float64 // pairs with the field present on both sides
	levelCount table              // pairs at each level
}

// runEM fits λ, m and u from the patterns, starting from the given values. Only the
// first nLevels[f] levels of each field are used; a field with nLevels 0 is ignored.
func runEM(pats []pattern, nLevels [numFields]int, m, u table, lambda [2]float64) emResult {
	res := emResult{m: m, u: u, lambda: [2]float64{clampProb(lambda[0]), clampProb(lambda[1])}}
	for _, p := range pats {
		for f := range numFields {
			if l := p.v[f]; l >= 0 {
				res.observed[f] += p.count
				res.levelCount[f][l] += p.count
			}
		}
	}
	var logRatio table
	for it := 1; it <= emMaxIter; it++ {
		for f := range numFields {
			for l := range nLevels[f] {
				logRatio[f][l] = math.Log(res.m[f][l] / res.u[f][l])
			}
		}
		var prior [2]float64
		for c, l := range res.lambda {
			prior[c] = math.Log(l / (1 - l))
		}
		var mc, uc table
		var sumG, sumN [2]float64
		for _, p := range pats {
			z := prior[p.class]
			for f := range numFields {
				if l := p.v[f]; l >= 0 && nLevels[f] > 0 {
					z += logRatio[f][l]
				}
			}
			g := sigmoid(z)
			if p.label != 0 {
				g = labelledPosterior(p.label)
			}
			cg, cu := p.count*g, p.count*(1-g)
			sumG[p.class] += cg
			sumN[p.class] += p.count
			for f := range numFields {
				if l := p.v[f]; l >= 0 {
					mc[f][l] += cg
					uc[f][l] += cu
				}
			}
		}
		delta := 0.0
		for c := range res.lambda {
			if sumN[c] > 0 { // a class without pairs keeps its start
				newLambda := clampProb(sumG[c] / sumN[c])
				delta = max(delta, math.Abs(newLambda-res.lambda[c]))
				res.lambda[c] = newLambda
			}
		}
		for f := range numFields {
			L := nLevels[f]
			if L == 0 {
				continue
			}
			var a, b [maxLevels]float64
			for l := range L {
				a[l] = mc[f][l] + pseudoCount
				b[l] = uc[f][l] + pseudoCount
			}
			nm, nu := constrainedMStep(a[:L], b[:L])
			if f == fPersonal {
				boundWorseErrors(&nm)
			}
			for l := range L {
				nm[l], nu[l] = clampProb(nm[l]), clampProb(nu[l])
				delta = max(delta, math.Abs(nm[l]-res.m[f][l]), math.Abs(nu[l]-res.u[f][l]))
				res.m[f][l], res.u[f][l] = nm[l], nu[l]
			}
		}
		res.iterations = it
		if delta < emTolerance {
			res.converged = true
			break
		}
	}
	return res
}

// constrainedMStep returns the m and u of one field maximizing the expected complete
// log-likelihood with match counts a and non-match counts b per level (best level first,
// "different" last), subject to the monotone constraints of Winkler's constrained EM:
// exact agreement is at least as likely among matches as among non-matches
// (m[0] >= u[0]), and disagreement at most as likely (m[last] <= u[last]). Without them
// EM may settle on a split of the non-matches (say, the pairs that one blocking key
// brought together) instead of matches versus non-matches. A violated constraint binds:
// the level gets m = u = its pooled frequency, the other levels share the rest in
// proportion to their counts.
func constrainedMStep(a, b []float64) (m, u [maxLevels]float64) {
	L := len(a)
	var tied [maxLevels]bool
	var A, B float64
	for l := range L {
		A += a[l]
		B += b[l]
	}
	for range 3 {
		var pooled, freeA, freeB float64
		for l := range L {
			if tied[l] {
				pooled += a[l] + b[l]
			} else {
				freeA += a[l]
				freeB += b[l]
			}
		}
		rest := 1 - pooled/(A+B)
		for l := range L {
			switch {
			case tied[l]:
				m[l] = (a[l] + b[l]) / (A + B)
				u[l] = m[l]
			default:
				m[l] = rest * a[l] / freeA
				u[l] = rest * b[l] / freeB
			}
		}
		changed := false
		if !tied[0] && m[0] < u[0] {
			tied[0], changed = true, true
		}
		if last := L - 1; last > 0 && !tied[last] && m[last] > u[last] {
			tied[last], changed = true, true
		}
		if !changed {
			break
		}
	}
	return m, u
}

// worseErrorShare bounds how often one person's exclusive identifier is recorded with
// more than one error, relative to exactly one: over 80% of keying errors are a single
// wrong, missing, extra or transposed character (Damerau 1964), so worse errors are at most
// a quarter as common as typos.
const worseErrorShare = 0.25

// boundWorseErrors applies that bound to the m of an exclusive identifier (levels exact,
// typo, different): a person holds one value, so among matches "different" can only be an
// entry error worse than a typo. Without the bound EM, which sees twins and a relative
// with a copied birth date agree on address, phone and birth date, may count them as
// matches and learn that a different document number is common among matches. The bound
// is the maximum-likelihood m under the constraint m[different] <= share·m[typo], given the
// exact level's m.
func boundWorseErrors(m *[maxLevels]float64) {
	if m[personalDifferent] <= worseErrorShare*m[personalTypo] {
		return
	}
	s := m[personalTypo] + m[personalDifferent]
	m[personalTypo] = s / (1 + worseErrorShare)
	m[personalDifferent] = s * worseErrorShare / (1 + worseErrorShare)
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// randomU estimates u from the level frequencies of random record pairs, almost all of
// which are non-matches: a well-defined starting point for EM. It returns the estimate
// and the number of pairs sampled (all pairs when there are few records).
func randomU(prep []prepared, nLevels [numFields]int) (table, int) {
	n := len(prep)
	var pairs [][2]int
	if total := n * (n - 1) / 2; total <= randomPairs {
		pairs = make([][2]int, 0, total)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				pairs = append(pairs, [2]int{i, j})
			}
		}
	} else {
		pairs = make([][2]int, 0, randomPairs)
		rng := rand.New(rand.NewPCG(randomSeed, uint64(n)))
		for len(pairs) < randomPairs {
			i, j := rng.IntN(n), rng.IntN(n)
			if i != j {
				pairs = append(pairs, [2]int{i, j})
			}
		}
	}
	var counts table
	for _, v := range vectorsOf(prep, pairs) {
		for f := range numFields {
			if l := v[f]; l >= 0 {
				counts[f][l]++
			}
		}
	}
	sampled := len(pairs)
	var u table
	for f := range numFields {
		L := nLevels[f]
		var t float64
		for l := range L {
			t += counts[f][l]
		}
		for l := range L {
			u[f][l] = clampProb((counts[f][l] + pseudoCount) / (t + pseudoCount*float64(L)))
		}
	}
	return u, sampled
}

// priorM is the starting m: matches mostly agree exactly, sometimes closely, rarely
// differ.
func priorM(nLevels [numFields]int) table {
	var m table
	start := map[string]float64{
		LevelExact: 0.85, LevelClose: 0.06, LevelTypo: 0.06, LevelFuzzy: 0.03, LevelInitial: 0.02, LevelDifferent: 0.04,
	}
	for f := range numFields {
		L := nLevels[f]
		var t float64
		for l := range L {
			t += start[fieldSpecs[f].levels[l]]
		}
		for l := range L {
			if t == 0 { // levels that are not agreement grades (frequency bands): no preference
				m[f][l] = 1 / float64(L)
				continue
			}
			m[f][l] = start[fieldSpecs[f].levels[l]] / t
		}
	}
	return m
}
