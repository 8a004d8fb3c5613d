// Package sentiment scores customer feedback (reviews, surveys, complaints,
// tickets, social posts) in Chinese and English: overall polarity in
// [-1, 1], a positive/negative/neutral label, per-aspect sentiment
// (delivery, price, quality, service, fit, app, packaging) and a complaint
// flag.
//
// The model ships inside the binary (model.bin, embedded with go:embed) and
// is decoded lazily once, on first use. It combines, per language, a
// logistic regression over hashed n-gram features (negation-marked words,
// word bigrams and, for Chinese, character bigrams; NB-scaled as in NBSVM)
// with dense lexicon features computed by VADER-like rules (negation,
// intensifiers, contrast, emoji). Chinese is segmented by a small
// dictionary-based max-probability segmenter. See README.md for the training
// data, its licences and the held-out accuracies.
//
// All functions are safe for concurrent use and never panic on any input:
// empty, whitespace-only, emoji-only, invalid UTF-8 or very long text
// (only the first MaxInputBytes bytes are analysed).
package sentiment

//go:generate bash internal/train/fetch_data.sh /tmp/sentiment-data
//go:generate go run ./internal/train -data /tmp/sentiment-data -out .

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"math"
	"sync"

	"github.com/cdpgraph/cdpgraph/sentiment/internal/core"
)

//go:embed model.bin
var modelBin []byte

// MaxInputBytes bounds the work per text: Analyze looks at no more than the
// first MaxInputBytes bytes of its input.
const MaxInputBytes = 64 << 10

// Language codes reported in Result.Language.
const (
	LangChinese = "zh"
	LangEnglish = "en"
	LangMixed   = "mixed"
	LangUnknown = "unknown"
)

// Labels.
const (
	Positive = "positive"
	Negative = "negative"
	Neutral  = "neutral"
)

// Aspect names reported in AspectSentiment.Aspect.
const (
	AspectDelivery  = core.AspectDelivery  // 快递/物流/发货, delivery, shipping
	AspectPrice     = core.AspectPrice     // 价格/贵/便宜, price, expensive
	AspectQuality   = core.AspectQuality   // 质量/做工, quality, sturdy
	AspectService   = core.AspectService   // 客服/服务/售后, customer service, staff
	AspectFit       = core.AspectFit       // 尺码/大小/颜色, size, fit, colour
	AspectApp       = core.AspectApp       // app/网站, website, checkout
	AspectPackaging = core.AspectPackaging // 包装, packaging, box
)

// NeutralBand: texts (and aspects) whose |Score| is below it are labelled
// neutral.
const NeutralBand = 0.15

// Result is the analysis of one text.
type Result struct {
	// Language is "zh", "en", "mixed" (substantial parts in both) or
	// "unknown" (no Chinese or Latin letters, e.g. only emoji).
	Language string `json:"language"`
	// Score is the polarity in [-1, 1]; its sign is the predicted polarity.
	Score float64 `json:"score"`
	// Label is "positive", "negative" or "neutral" (|Score| < NeutralBand).
	Label string `json:"label"`
	// Aspects lists the aspects mentioned, in a fixed order, each scored
	// from the clause (or, if the clause carries no sentiment, the sentence)
	// that mentions it.
	Aspects []AspectSentiment `json:"aspects,omitempty"`
	// Complaint is set for negative feedback with complaint cues
	// (退货/退款/投诉/差评, refund/complain/broken/never again/worst, ...).
	Complaint bool `json:"complaint"`
}

// AspectSentiment is the sentiment about one aspect.
type AspectSentiment struct {
	Aspect string  `json:"aspect"`
	Score  float64 `json:"score"`
	Label  string  `json:"label"`
}

// Analyzer holds a decoded model. Use Load for the shared instance.
type Analyzer struct {
	m    *core.Model
	fz   core.Featurizer
	meta map[string]any
	pool sync.Pool
}

var (
	defaultOnce     sync.Once
	defaultAnalyzer *Analyzer
	defaultErr      error
)

// Load returns the shared Analyzer, decoding the embedded model on the
// first call (about 100 ms); later calls return the same instance.
func Load() (*Analyzer, error) {
	defaultOnce.Do(func() {
		defaultAnalyzer, defaultErr = NewAnalyzer()
	})
	return defaultAnalyzer, defaultErr
}

// NewAnalyzer decodes the embedded model into a new, independent Analyzer.
// Most callers want Load, which does this only once.
func NewAnalyzer() (*Analyzer, error) {
	m, err := core.Decode(bytes.NewReader(modelBin))
	if err != nil {
		return nil, err
	}
	a := &Analyzer{m: m, fz: core.Featurizer{EnLex: m.EnLex}}
	_ = json.Unmarshal(m.Meta, &a.meta)
	return a, nil
}

// lexiconOnly is used if the embedded model cannot be decoded (which the
// tests rule out): it scores with the emoji lexicon only.
var lexiconOnly = &Analyzer{}

func shared() *Analyzer {
	a, err := Load()
	if err != nil || a == nil {
		return lexiconOnly
	}
	return a
}

// Analyze analyses text with the shared Analyzer.
func Analyze(text string) Result { return shared().Analyze(text) }

// ModelInfo describes the embedded model.
type ModelInfo struct {
	// Bytes is the size of the embedded (compressed) model file.
	Bytes int
	// EnglishFeatures and ChineseFeatures count non-zero weights.
	EnglishFeatures, ChineseFeatures int
	// DictionaryWords is the size of the segmenter dictionary.
	DictionaryWords int
	// Meta is the trainer's metadata (sources, held-out accuracies).
	Meta map[string]any
}

// Info describes the model behind a.
func (a *Analyzer) Info() ModelInfo {
	if a == nil || a.m == nil {
		return ModelInfo{}
	}
	return ModelInfo{
		Bytes:           len(modelBin),
		EnglishFeatures: len(a.m.EN.W),
		ChineseFeatures: len(a.m.ZH.W),
		DictionaryWords: a.m.Seg.Len(),
		Meta:            a.meta,
	}
}

// scratch is per-call reusable memory.
type scratch struct {
	v  core.Vector
	cw []float32
}

func (a *Analyzer) getScratch() *scratch {
	if s, ok := a.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{}
}

// tokens normalises, tokenises and segments text.
func (a *Analyzer) tokens(text string) (string, []core.Token) {
	norm := core.Normalize(text, MaxInputBytes)
	if a.m != nil {
		norm = a.m.Fold(norm)
	}
	toks := core.Tokenize(norm)
	if a.m != nil {
		toks = a.m.Seg.Expand(toks)
	} else {
		toks = (*core.Segmenter)(nil).Expand(toks)
	}
	return norm, toks
}

// score scores a token range in one language. It returns the score in
// [-1, 1] and the evidence behind it.
//
// The rule-based lexicon score is blended in with weight
// max(minLex, lexBlend*(1-evidence/lexEvidence)): it carries the
// hand-written e-commerce, emoji and phrase knowledge the training data
// lacks and matters most for short texts, where the model has little
// evidence.
func (a *Analyzer) score(sc *scratch, toks []core.Token, lang core.Lang, minLex float64) (float64, float64) {
	sc.cw = a.fz.Featurize(toks, lang, &sc.v, sc.cw)
	var lm *core.Linear
	if a.m != nil {
		switch lang {
		case core.LangEN:
			lm = a.m.EN
		case core.LangZH:
			lm = a.m.ZH
		}
	}
	if lm == nil {
		// lexicon only (emoji, emoticons, words of the lexicons)
		return sc.v.Compound(), math.Abs(sc.v.LexSum)
	}
	z, ev := lm.Margin(&sc.v)
	s := math.Tanh(z / 2) // = 2*P(positive) - 1
	// Little evidence (no known word, no lexicon hit): shrink towards 0 so
	// that the class prior alone never yields a confident label.
	if ev < evidenceFull {
		s *= ev / evidenceFull
	}
	if sc.v.LexHits > 0 {
		w := math.Max(minLex, lexBlend*(1-ev/lexEvidence))
		s = (1-w)*s + w*sc.v.Compound()
	}
	return s, ev
}

// lexBlend is the largest weight of the lexicon score in the final score;
// the weight falls linearly to 0 at model evidence lexEvidence.
const lexBlend, lexEvidence = 0.5, 3.0

// evidenceFull is the evidence (sum of |feature contributions|) above which
// scores are not shrunk.
const evidenceFull = 1.5

func label(s float64) string {
	switch {
	case s >= NeutralBand:
		return Positive
	case s <= -NeutralBand:
		return Negative
	}
	return Neutral
}

func clamp(s float64) float64 {
	if math.IsNaN(s) {
		return 0
	}
	return math.Max(-1, math.Min(1, s))
}

// Analyze analyses one text.
func (a *Analyzer) Analyze(text string) Result {
	if a == nil {
		a = lexiconOnly
	}
	norm, toks := a.tokens(text)
	if len(toks) == 0 {
		return Result{Language: LangUnknown, Label: Neutral}
	}
	sc := a.getScratch()
	defer a.pool.Put(sc)

	parts := splitLanguages(toks)
	res := Result{Language: overallLanguage(parts)}
	var sum, wsum float64
	for i, p := range parts {
		s, ev := a.score(sc, toks[p.from:p.to], p.lang, 0)
		// parts are weighed by their size, less if the model found little
		// evidence in them (so a part without sentiment does not dilute
		// one with it)
		w := p.units * math.Max(0.05, math.Min(1, ev/evidenceFull))
		// a part opened by a contrast word outweighs the parts before it
		if i > 0 && startsWithContrast(toks[p.from:p.to]) {
			sum *= 0.5
			wsum *= 0.5
			w *= 1.5
		}
		sum += s * w
		wsum += w
	}
	if wsum > 0 {
		res.Score = clamp(sum / wsum)
	}
	res.Label = label(res.Score)
	res.Aspects = a.aspects(sc, norm, toks)
	res.Complaint = complaint(norm, toks, res.Score)
	return res
}

func startsWithContrast(toks []core.Token) bool {
	for i := range toks {
		switch toks[i].Kind {
		case core.KindWord:
			return core.IsContrast(&toks[i])
		case core.KindClause, core.KindSentence:
			continue
		default:
			return false
		}
	}
	return false
}
