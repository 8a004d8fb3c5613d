// Package match is a probabilistic record-linkage engine: it decides which person
// records without a shared trusted identifier describe the same person.
//
// The method is Fellegi-Sunter. Candidate pairs come from blocking (several keys
// unioned, oversized blocks skipped). Each pair is compared field by field with
// comparators suited to the field (Jaro-Winkler for names, edit distance for ids and
// codes, Monge-Elkan for addresses, typo- and transposition-aware dates, character-level
// comparison for Chinese, Japanese and Korean), and each comparison is discretized into
// levels (exact, close, fuzzy, ..., different; missing contributes nothing). The
// probability of each level among matches (m) and non-matches (u), and the share of
// matches among candidates (λ), are estimated from the data by EM, starting from u
// measured on random pairs. A pair's weight is the sum of log2(m/u) over its fields; its
// posterior probability of being a match follows from the weight and λ. Pairs at or above
// Options.MatchProbability merge; those at or above Options.ReviewProbability go to a
// person. No weight or threshold is tuned to a data set.
package match

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Record is one person record as the matcher sees it. Case, width and accents do not
// matter: the matcher folds them.
type Record struct {
	ID string
	// Source is the system the record came from. Pairs within one source and pairs across
	// sources get their own prior: a system's own records are mostly distinct people (it
	// deduplicates at entry), while records from two systems are where one person recurs.
	Source       string
	GivenName    string
	FamilyName   string
	FullName     string // used when given/family are absent (e.g. Chinese "王小明": family name first, no space)
	BirthDate    string // YYYY-MM-DD or ""
	Gender       string
	StreetNumber string
	AddressLine1 string
	AddressLine2 string
	City         string
	Region       string
	Postcode     string
	Country      string
	Email        string
	Phone        string
	// NationalID is an id given as an external_id (Febrl's soc_sec_id): compared with typos
	// allowed, its weights learned like any field's, nothing assumed about who holds it.
	NationalID string
	// PersonalIDs are the record's exclusive identifiers: document numbers one person holds
	// one value of (national id, passport, tax id; the rules say which types). Two records
	// with different values of one type are evidence of two people, unless the difference
	// is a typo.
	PersonalIDs []PersonalID
	// WeakIDs are identifiers the rules do not trust to merge records on their own
	// ("type:value": device and cookie ids a household or a shop may share). Shared, they
	// are evidence like any field, weighed by what the data says they are worth.
	WeakIDs []string
	// Handles are the record's social handles ("wechat:yayi_xiong5218"). One that reads as
	// a name is a second form of the person's name, compared when it agrees better.
	Handles []string
}

// PersonalID is one exclusive identifier of a record: its type ("national_id") and its
// normalized value.
type PersonalID struct {
	Type, Value string
}

// Options are the decision thresholds and the blocking bound; the zero value means the
// defaults.
type Options struct {
	MatchProbability  float64 // posterior P(match) at or above which a pair merges; default 0.95
	ReviewProbability float64 // at or above (but below MatchProbability) a pair goes to human review; default 0.5
	MaxBlockSize      int     // blocks larger than this are skipped for that key; default 200
}

// Defaults.
const (
	DefaultMatchProbability  = 0.95
	DefaultReviewProbability = 0.5
	DefaultMaxBlockSize      = 200
)

func (o Options) withDefaults() Options {
	if o.MatchProbability <= 0 {
		o.MatchProbability = DefaultMatchProbability
	}
	if o.ReviewProbability <= 0 {
		o.ReviewProbability = DefaultReviewProbability
	}
	if o.MaxBlockSize <= 0 {
		o.MaxBlockSize = DefaultMaxBlockSize
	}
	return o
}

func (o Options) validate() error {
	if o.MatchProbability > 1 || o.ReviewProbability > 1 {
		return errors.New("match: probabilities must be at most 1")
	}
	if o.ReviewProbability > o.MatchProbability {
		return errors.New("match: ReviewProbability must not exceed MatchProbability")
	}
	return nil
}

// Comparison is one field's comparison within a pair.
type Comparison struct {
	Field      string
	Level      string  // "exact", "close", "fuzzy", "initial", "different" or "missing"
	Similarity float64 // the comparator's similarity in [0,1]
	Weight     float64 // log2(m/u) of the level; 0 when missing
}

// Pair is a scored pair of records.
type Pair struct {
	A, B        string  // record ids
	Probability float64 // posterior P(match)
	Weight      float64 // sum of the comparisons' weights, in bits
	Comparisons []Comparison
}

// LevelWeight is one level of one field in the fitted model.
type LevelWeight struct {
	Level   string
	M       float64 // P(level | match)
	U       float64 // P(level | non-match), fitted on the candidate pairs
	URandom float64 // P(level) among random pairs: EM's starting u
	Weight  float64 // log2(M/U); 0 for a level no candidate pair had (no evidence)
	Pairs   int     // candidate pairs at this level
}

// FieldWeights is the fitted model of one field.
type FieldWeights struct {
	Field    string
	Method   string
	Active   bool // false when no candidate pair had the field on both sides
	Observed int  // candidate pairs with the field on both sides
	Levels   []LevelWeight
}

// ModelVersion changes whenever the comparisons change (fields, levels, how names are
// read), so that a stored model from an older version is refitted instead of scoring
// comparisons it has no weights for.
const ModelVersion = 3

// Model is a fitted Fellegi-Sunter model.
type Model struct {
	Version int     // ModelVersion at fitting; 0 before versions existed
	Lambda  float64 // share of matches among candidate pairs (across sources, when the records name them)
	// LambdaSameSource is the share of matches among candidate pairs from one source; 0 in
	// models fitted before sources were told apart, which then use Lambda for every pair.
	LambdaSameSource float64
	Fields           []FieldWeights
	Candidates       int // candidate pairs it was fitted on
	RandomPairs      int // random pairs sampled for the starting u
	Iterations       int
	Converged        bool
	Options          Options
	Blocking         []string // the blocking keys, described
	// Names are the given-name counts of the fitted records, which band agreement on a
	// given name by how many hold it; nil in models fitted before bands existed.
	Names *NameFrequencies `json:",omitempty"`
	// Labels says what the analysts' labelled pairs changed in this fit; nil without labels.
	Labels         *LabelEffect `json:",omitempty"`
	weights        table        // log2(m/u); 0 for inactive fields
	nLevels        [numFields]int
	priorLog2Odds  [2]float64 // by pairClass
	tableAvailable bool
}

// ErrNoCandidates means blocking found no pair worth comparing: nothing to fit or link.
var ErrNoCandidates = errors.New("match: blocking found no candidate pairs")

// Result is the outcome of Link.
type Result struct {
	Model      *Model
	Matches    []Pair // P >= MatchProbability, most probable first
	Review     []Pair // ReviewProbability <= P < MatchProbability, most probable first
	Candidates int
}

// Fit estimates the model from the records' candidate pairs by EM.
func Fit(records []Record, opts Options) (*Model, error) {
	m, _, _, _, err := fit(records, opts, nil)
	return m, err
}

// fit returns the model with the prepared records, candidates and their vectors. Labelled
// pairs (analysts' decisions) fix the posterior of their candidate pairs (labels.go).
func fit(records []Record, opts Options, labels []LabelledPair) (*Model, []prepared, [][2]int, []vector, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, nil, nil, nil, err
	}
	if len(records) < 2 {
		return nil, nil, nil, nil, errors.New("match: need at least two records")
	}
	seen := make(map[string]bool, len(records))
	for i := range records {
		id := records[i].ID
		if id == "" {
			return nil, nil, nil, nil, fmt.Errorf("match: record %d has no ID", i)
		}
		if seen[id] {
			return nil, nil, nil, nil, fmt.Errorf("match: duplicate record ID %q", id)
		}
		seen[id] = true
	}
	prep := prepareAll(records)
	names := countNames(prep)
	for i := range prep {
		names.annotate(&prep[i])
	}
	cands := candidates(prep, opts)
	vecs := vectorsOf(prep, cands)
	var nLevels [numFields]int
	for f := range numFields {
		nLevels[f] = len(fieldSpecs[f].levels)
	}
	if len(cands) == 0 {
		return nil, nil, nil, nil, ErrNoCandidates
	}
	uRand, sampled := randomU(prep, nLevels)
	model := &Model{
		Version:     ModelVersion,
		Candidates:  len(cands),
		RandomPairs: sampled,
		Options:     opts,
		Blocking:    slices.Clone(blockingKeys),
	}
	lambda0 := min(max(float64(len(records))/2/float64(len(cands)), 0.01), 0.5)
	pats, labelled := labelPatterns(prep, cands, vecs, labels)
	res := runEM(pats, nLevels, priorM(nLevels), uRand, [2]float64{lambda0, lambda0})
	model.Lambda, model.LambdaSameSource = res.lambda[acrossSources], res.lambda[sameSource]
	model.Iterations = res.iterations
	model.Converged = res.converged
	model.nLevels = nLevels
	for f := range numFields {
		fw := FieldWeights{
			Field:    fieldSpecs[f].name,
			Method:   fieldSpecs[f].method,
			Observed: int(res.observed[f]),
			Active:   res.observed[f] > 0,
		}
		for l := range nLevels[f] {
			w := math.Log2(res.m[f][l] / res.u[f][l])
			if !fw.Active || res.levelCount[f][l] == 0 {
				w = 0
			}
			model.weights[f][l] = w
			fw.Levels = append(fw.Levels, LevelWeight{
				Level: fieldSpecs[f].levels[l], M: res.m[f][l], U: res.u[f][l],
				URandom: uRand[f][l], Weight: w, Pairs: int(res.levelCount[f][l]),
			})
		}
		model.Fields = append(model.Fields, fw)
	}
	model.priorLog2Odds = priorsOf(model.Lambda, model.LambdaSameSource)
	model.Names = names
	model.tableAvailable = true
	if labelled != nil {
		model.Labels = labelEffect(model, labelled, prep, cands, vecs, uRand, lambda0)
	}
	return model, prep, cands, vecs, nil
}

func prepareAll(records []Record) []prepared {
	prep := make([]prepared, len(records))
	parallel(len(records), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			prep[i] = prepare(&records[i])
		}
	})
	return prep
}

func vectorsOf(prep []prepared, cands [][2]int) []vector {
	vecs := make([]vector, len(cands))
	parallel(len(cands), func(lo, hi int) {
		var c [numFields]compared
		for k := lo; k < hi; k++ {
			compareAll(&prep[cands[k][0]], &prep[cands[k][1]], &c, false)
			vecs[k] = vectorOf(&c)
		}
	})
	return vecs
}

// parallel runs fn over [0,n) split in contiguous chunks, one per CPU. Each chunk writes
// its own slots, so the result does not depend on scheduling.
func parallel(n int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 2048 || workers < 2 {
		fn(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// priorsOf returns the prior log2 odds of each pair class.
func priorsOf(across, same float64) [2]float64 {
	across = clampProb(across)
	if same <= 0 {
		same = across
	}
	same = clampProb(same)
	return [2]float64{acrossSources: math.Log2(across / (1 - across)), sameSource: math.Log2(same / (1 - same))}
}

// table returns the weights, rebuilding them from Fields for a model assembled by hand.
func (m *Model) table() (table, [numFields]int, [2]float64) {
	if m.tableAvailable {
		return m.weights, m.nLevels, m.priorLog2Odds
	}
	var w table
	var nl [numFields]int
	for f := range numFields {
		nl[f] = len(fieldSpecs[f].levels)
		for _, fw := range m.Fields {
			if fw.Field != fieldSpecs[f].name || !fw.Active {
				continue
			}
			for _, lw := range fw.Levels {
				for l, name := range fieldSpecs[f].levels {
					if name == lw.Level {
						w[f][l] = lw.Weight
					}
				}
			}
		}
	}
	return w, nl, priorsOf(m.Lambda, m.LambdaSameSource)
}

// logOdds returns the weight of a vector and the posterior log2 odds.
func (m *Model) logOdds(v *vector, w *table, prior float64) (weight, odds float64) {
	for f := range numFields {
		if l := v[f]; l >= 0 {
			weight += w[f][l]
		}
	}
	return weight, prior + weight
}

func probFromLog2Odds(z float64) float64 {
	return sigmoid(z * math.Ln2)
}

// Score compares two records with the model. The comparisons list every field the model
// uses (Active), with level "missing" and weight 0 when either record lacks it.
func (m *Model) Score(a, b *Record) Pair {
	pa, pb := prepare(a), prepare(b)
	m.Names.annotate(&pa)
	m.Names.annotate(&pb)
	return m.scorePrepared(&pa, &pb)
}

// ScorePairs scores pairs of records (indexes into records) and returns, in order, those
// with a match probability of at least atLeast, explained as Score explains them. Each
// record is prepared once and a pair is explained only when it qualifies: what ingest does
// with a batch and its blocking candidates. It is not safe to call at the same time as
// other methods of the same model.
func (m *Model) ScorePairs(records []Record, pairs [][2]int, atLeast float64) []Pair {
	if !m.tableAvailable { // a model read from JSON: build its weight table once, not per pair
		m.weights, m.nLevels, m.priorLog2Odds = m.table()
		m.tableAvailable = true
	}
	prep := prepareAll(records)
	for i := range prep {
		m.Names.annotate(&prep[i])
	}
	scored := make([]*Pair, len(pairs))
	parallel(len(pairs), func(lo, hi int) {
		var c [numFields]compared
		for k := lo; k < hi; k++ {
			a, b := &prep[pairs[k][0]], &prep[pairs[k][1]]
			compareAll(a, b, &c, false)
			v := vectorOf(&c)
			if _, odds := m.logOdds(&v, &m.weights, m.priorLog2Odds[classOf(a, b)]); probFromLog2Odds(odds) >= atLeast {
				p := m.scorePrepared(a, b)
				scored[k] = &p
			}
		}
	})
	var out []Pair
	for _, p := range scored {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

func (m *Model) scorePrepared(a, b *prepared) Pair {
	w, _, prior := m.table()
	var c [numFields]compared
	compareAll(a, b, &c, true)
	v := vectorOf(&c)
	weight, odds := m.logOdds(&v, &w, prior[classOf(a, b)])
	p := Pair{A: a.id, B: b.id, Probability: probFromLog2Odds(odds), Weight: weight}
	for f := range numFields {
		if !m.fieldActive(f) {
			continue
		}
		cmp := Comparison{Field: fieldSpecs[f].name, Similarity: c[f].sim}
		if l := c[f].level; l >= 0 {
			cmp.Level = fieldSpecs[f].levels[l]
			cmp.Weight = w[f][l]
		} else {
			cmp.Level = LevelMissing
		}
		p.Comparisons = append(p.Comparisons, cmp)
	}
	return p
}

func (m *Model) fieldActive(f int) bool {
	for _, fw := range m.Fields {
		if fw.Field == fieldSpecs[f].name {
			return fw.Active
		}
	}
	return false
}

// Link runs the whole pipeline: blocking, fitting, scoring and classification.
func Link(records []Record, opts Options) (*Result, error) {
	return LinkLabelled(records, opts, nil)
}

// LinkLabelled is Link with analysts' labelled pairs as evidence for the fit (labels.go).
func LinkLabelled(records []Record, opts Options, labels []LabelledPair) (*Result, error) {
	model, prep, cands, vecs, err := fit(records, opts, labels)
	if err != nil {
		return nil, err
	}
	opts = model.Options
	res := &Result{Model: model, Candidates: len(cands)}
	w, _, prior := model.table()
	for k, pair := range cands {
		_, odds := model.logOdds(&vecs[k], &w, prior[classOf(&prep[pair[0]], &prep[pair[1]])])
		p := probFromLog2Odds(odds)
		if p < opts.ReviewProbability {
			continue
		}
		scored := model.scorePrepared(&prep[pair[0]], &prep[pair[1]])
		if p >= opts.MatchProbability {
			res.Matches = append(res.Matches, scored)
		} else {
			res.Review = append(res.Review, scored)
		}
	}
	sortPairs(res.Matches)
	sortPairs(res.Review)
	return res, nil
}

func sortPairs(ps []Pair) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Probability != ps[j].Probability {
			return ps[i].Probability > ps[j].Probability
		}
		if ps[i].A != ps[j].A {
			return ps[i].A < ps[j].A
		}
		return ps[i].B < ps[j].B
	})
}

// Report renders the model for an analyst: the prior, and for each field and level the
// probabilities among matches (m) and non-matches (u) and the weight log2(m/u).
func (m *Model) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Fellegi-Sunter model fitted by EM on %d candidate pairs (%d iterations, converged=%v)\n",
		m.Candidates, m.Iterations, m.Converged)
	fmt.Fprintf(&b, "prior λ = P(match | candidate) = %.5f (%.2f bits) across sources, %.5f within one source; starting u from %d random pairs\n",
		m.Lambda, math.Log2(m.Lambda/(1-m.Lambda)), m.LambdaSameSource, m.RandomPairs)
	fmt.Fprintf(&b, "match at P >= %.3g, review at P >= %.3g, blocks larger than %d skipped\n",
		m.Options.MatchProbability, m.Options.ReviewProbability, m.Options.MaxBlockSize)
	if len(m.Blocking) > 0 {
		fmt.Fprintf(&b, "blocking keys: %s\n", strings.Join(m.Blocking, "; "))
	}
	fmt.Fprintf(&b, "%-14s %-10s %10s %10s %10s %8s %8s\n", "field", "level", "m", "u", "u(random)", "weight", "pairs")
	for _, fw := range m.Fields {
		if !fw.Active {
			fmt.Fprintf(&b, "%-14s (not present in the data)\n", fw.Field)
			continue
		}
		for _, l := range fw.Levels {
			fmt.Fprintf(&b, "%-14s %-10s %10.5f %10.6f %10.6f %+8.2f %8d\n", fw.Field, l.Level, l.M, l.U, l.URandom, l.Weight, l.Pairs)
		}
	}
	return b.String()
}
