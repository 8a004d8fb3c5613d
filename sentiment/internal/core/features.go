package core

import (
	"math"
	"unicode/utf8"
)

// Lang is the language a token range is scored with.
type Lang uint8

// Languages.
const (
	LangUnknown Lang = iota
	LangEN
	LangZH
)

func (l Lang) String() string {
	switch l {
	case LangEN:
		return "en"
	case LangZH:
		return "zh"
	}
	return "unknown"
}

// NDense is the number of dense (lexicon) features.
const NDense = 3

// Feature namespaces.
const (
	nsWord    = 'w'
	nsNeg     = 'n'
	nsBigram  = 'b'
	nsChar    = 'c'
	nsEmoji   = 'e'
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	// sparse features of texts longer than this many tokens are damped by
	// sqrt(lengthNorm/n) so that long documents do not saturate.
	// VADER's normalisation constant.
	vaderAlpha = 15
	// negation flips and damps a lexicon valence (as in VADER).
	negFlip = -0.74
)

// Feat is one sparse feature occurrence.
type Feat struct {
	Key uint64
	Val float32
}

// Vector is the feature representation of a token range.
type Vector struct {
	Sparse []Feat
	Dense  [NDense]float32
	// LexSum is the signed sum of lexicon valences (after negation,
	// intensity and contrast weights); LexHits counts lexicon matches.
	LexSum  float64
	LexHits int
	// Tokens counts content tokens (words and emoji).
	Tokens int
}

// Compound maps the lexicon sum to [-1, 1] like VADER's compound score.
func (v *Vector) Compound() float64 {
	return v.LexSum / math.Sqrt(v.LexSum*v.LexSum+vaderAlpha)
}

func hashStr(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// Key1 is the feature key of a namespaced token.
func Key1(ns byte, a string) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(ns)
	h *= fnvPrime
	return hashStr(h, a)
}

func key1b(ns byte, a []byte) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(ns)
	h *= fnvPrime
	for _, c := range a {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// Key2 is the feature key of a namespaced token pair.
func Key2(ns byte, a, b string) uint64 {
	h := Key1(ns, a)
	h ^= 0xFF
	h *= fnvPrime
	return hashStr(h, b)
}

// LengthNorm: sparse features of texts longer than this many tokens are
// damped by sqrt(LengthNorm/n) so that long documents do not saturate.
const LengthNorm = 24.0

// Featurizer turns tokens into feature vectors.
type Featurizer struct {
	// EnLex maps English words to valences (VADER + overlay).
	EnLex map[string]float32
}

// LexValue returns the lexicon valence of a token.
func (f *Featurizer) LexValue(t *Token) float32 {
	switch t.Kind {
	case KindEmoji:
		return emojiLexicon[t.Text]
	case KindWord:
		if t.Script == ScriptHan {
			return zhLexicon[t.Text]
		}
		return f.EnLex[t.Text]
	}
	return 0
}

func isNegator(t *Token) (bool, float32) {
	if t.Script == ScriptHan {
		m, ok := zhNegators[t.Text]
		return ok, m
	}
	if enNegators[t.Text] {
		return true, 1
	}
	return false, 0
}

func intensifier(t *Token) (float32, bool) {
	if t.Script == ScriptHan {
		m, ok := zhIntensifiers[t.Text]
		return m, ok
	}
	m, ok := enIntensifiers[t.Text]
	return m, ok
}

// IsContrast reports whether t is a contrast word ("but", "但是").
func IsContrast(t *Token) bool {
	if t.Kind != KindWord {
		return false
	}
	if t.Script == ScriptHan {
		return zhContrast[t.Text]
	}
	return enContrast[t.Text]
}

func isConcessive(t *Token) bool {
	if t.Kind != KindWord {
		return false
	}
	if t.Script == ScriptHan {
		return zhConcessive[t.Text]
	}
	return enConcessive[t.Text]
}

// ContrastWeights computes per-token discourse weights: in a sentence with a
// contrast word, tokens before the last contrast word weigh 0.5 and tokens
// after it 1.5; a clause opened by a concessive word weighs 0.5.
func ContrastWeights(toks []Token, cw []float32) []float32 {
	if cap(cw) < len(toks) {
		cw = make([]float32, len(toks))
	}
	cw = cw[:len(toks)]
	for i := range cw {
		cw[i] = 1
	}
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && toks[i].Kind != KindSentence {
			continue
		}
		last := -1
		for k := start; k < i; k++ {
			if IsContrast(&toks[k]) {
				last = k
			}
		}
		if last >= 0 {
			for k := start; k < last; k++ {
				cw[k] *= 0.5
			}
			for k := last + 1; k < i; k++ {
				cw[k] *= 1.5
			}
		}
		for k := start; k < i; k++ {
			if isConcessive(&toks[k]) {
				for j := k; j < i && toks[j].Kind != KindClause; j++ {
					if j > k && IsContrast(&toks[j]) {
						break
					}
					cw[j] *= 0.5
				}
			}
		}
		start = i + 1
	}
	return cw
}

// Featurize computes the features of toks for lang into v (which is reset).
// cwBuf is an optional scratch buffer.
func (f *Featurizer) Featurize(toks []Token, lang Lang, v *Vector, cwBuf []float32) []float32 {
	v.Sparse = v.Sparse[:0]
	v.Dense = [NDense]float32{}
	v.LexSum, v.LexHits, v.Tokens = 0, 0, 0
	cw := ContrastWeights(toks, cwBuf)
	scope := 3
	if lang == LangZH {
		scope = 2
	}
	var (
		negLeft    int
		negMult    float32 = 1
		mult       float32 = 1
		pendingToo bool
		prev       string
		prevHan    rune = -1
		pos, neg   float64
	)
	add := func(k uint64, val float32) { v.Sparse = append(v.Sparse, Feat{k, val}) }
	bigram := func(w string, c float32) {
		if prev != "" {
			add(Key2(nsBigram, prev, w), c)
		}
		prev = w
	}
	for i := range toks {
		t := &toks[i]
		c := cw[i]
		if t.Script != ScriptHan || !t.Join {
			prevHan = -1
		}
		switch t.Kind {
		case KindSentence, KindClause:
			negLeft, mult, negMult, pendingToo, prev = 0, 1, 1, false, ""
			continue
		case KindNumber, KindSymbol:
			continue
		case KindEmoji:
			v.Tokens++
			add(Key1(nsEmoji, t.Text), c)
			if lv := emojiLexicon[t.Text]; lv != 0 {
				x := float64(lv * c)
				if x > 0 {
					pos += x
				} else {
					neg -= x
				}
				v.LexHits++
			}
			continue
		}
		// words
		v.Tokens++
		w := t.Text
		prevWord := prev
		if lang == LangZH && t.Script == ScriptHan {
			for _, r := range w {
				if prevHan >= 0 {
					var buf [8]byte
					n := utf8.EncodeRune(buf[:], prevHan)
					n += utf8.EncodeRune(buf[n:], r)
					add(key1b(nsChar, buf[:n]), c)
				}
				prevHan = r
			}
		}
		if ok, m := isNegator(t); ok {
			add(Key1(nsWord, w), c)
			bigram(w, c)
			negLeft, negMult = scope, m
			continue
		}
		if m, ok := intensifier(t); ok {
			mult *= m
			if mult > 2.5 {
				mult = 2.5
			}
			// "too X", "太X", "有点X": negative unless X is positive
			switch w {
			case "too", "太", "有点", "有点儿", "有些":
				pendingToo = true
			}
			bigram(w, c)
			continue
		}
		val := c * mult
		if negLeft > 0 {
			add(Key1(nsNeg, w), val)
		} else {
			add(Key1(nsWord, w), val)
		}
		bigram(w, c)
		lv := f.LexValue(t)
		phrase := false
		if prevWord != "" {
			pm := enPhrases
			if t.Script == ScriptHan {
				pm = zhPhrases
			}
			if m := pm[prevWord]; m != nil {
				if pv, ok := m[w]; ok {
					lv, phrase = pv, true
				}
			}
		}
		if pendingToo && lv <= 0 && !phrase {
			lv -= 1
		}
		if lv != 0 {
			if negLeft > 0 && !phrase {
				lv *= negFlip * negMult
			}
			x := float64(lv * val)
			if x > 0 {
				pos += x
			} else {
				neg -= x
			}
			v.LexHits++
		}
		mult, pendingToo = 1, false
		if negLeft > 0 {
			negLeft--
		}
	}
	if float64(v.Tokens) > LengthNorm {
		s := float32(math.Sqrt(LengthNorm / float64(v.Tokens)))
		for i := range v.Sparse {
			v.Sparse[i].Val *= s
		}
	}
	v.LexSum = pos - neg
	v.Dense[0] = float32(v.Compound())
	v.Dense[1] = float32(math.Tanh(pos / 4))
	v.Dense[2] = float32(math.Tanh(neg / 4))
	return cw
}
