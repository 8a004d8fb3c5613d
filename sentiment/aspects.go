package sentiment

import (
	"math"
	"strings"

	"github.com/cdpgraph/cdpgraph/sentiment/internal/core"
)

// phraseSet matches multi-token Latin phrases in a token stream.
type phraseSet struct {
	byFirst map[string][][]string
	value   map[string]string // joined phrase -> value
}

func newPhraseSet(phrases map[string]string) *phraseSet {
	ps := &phraseSet{byFirst: map[string][][]string{}, value: map[string]string{}}
	for p, v := range phrases {
		var words []string
		for _, t := range core.Tokenize(core.Normalize(p, 0)) {
			if t.Kind == core.KindWord {
				words = append(words, t.Text)
			}
		}
		if len(words) == 0 {
			continue
		}
		ps.byFirst[words[0]] = append(ps.byFirst[words[0]], words)
		ps.value[strings.Join(words, " ")] = v
	}
	return ps
}

// match calls fn for every phrase starting at toks[i].
func (ps *phraseSet) match(toks []core.Token, i int, fn func(value string)) {
	cands := ps.byFirst[toks[i].Text]
	for _, words := range cands {
		if i+len(words) > len(toks) {
			continue
		}
		ok := true
		for k, w := range words {
			if toks[i+k].Kind != core.KindWord || toks[i+k].Text != w {
				ok = false
				break
			}
		}
		if ok {
			fn(ps.value[strings.Join(words, " ")])
		}
	}
}

var (
	enAspectPhrases  = newPhraseSet(core.EnAspectPhrases())
	enComplaintCues  = newPhraseSet(core.EnComplaintCues())
	zhAspectKeywords = core.ZhAspectKeywords()
)

// clause is a token range with its sentence range.
type clause struct{ from, to, sentFrom, sentTo int }

// clauses splits tokens at clause and sentence punctuation and before
// contrast words.
func clauses(toks []core.Token) []clause {
	var out []clause
	sentStart, start := 0, 0
	flush := func(end int) {
		if end > start {
			out = append(out, clause{from: start, to: end, sentFrom: sentStart})
		}
	}
	for i := range toks {
		t := &toks[i]
		switch {
		case t.Kind == core.KindSentence:
			flush(i)
			for k := len(out) - 1; k >= 0 && out[k].sentTo == 0; k-- {
				out[k].sentTo = i
			}
			start, sentStart = i+1, i+1
		case t.Kind == core.KindClause:
			flush(i)
			start = i + 1
		case core.IsContrast(t):
			flush(i)
			start = i
		}
	}
	flush(len(toks))
	for k := len(out) - 1; k >= 0 && out[k].sentTo == 0; k-- {
		out[k].sentTo = len(toks)
	}
	return out
}

// majorityLang picks the language of a token range by script.
func majorityLang(toks []core.Token) core.Lang {
	var han, lat int
	for i := range toks {
		switch toks[i].Script {
		case core.ScriptHan:
			han += core.HanRunes(&toks[i])
		case core.ScriptLatin:
			lat++
		}
	}
	switch {
	case han == 0 && lat == 0:
		return core.LangUnknown
	case float64(han)/1.5 >= float64(lat):
		return core.LangZH
	}
	return core.LangEN
}

// aspectLex is the least weight of the lexicon score in clause scores:
// clauses are short, and the lexicon rules (negation, intensifiers) are
// more reliable there than the document-trained models.
const aspectLex = 0.6

// weakScore: clause scores below this magnitude fall back to the sentence.
const weakScore = 0.15

func (a *Analyzer) aspects(sc *scratch, norm string, toks []core.Token) []AspectSentiment {
	var sums [8]float64
	var counts [8]int
	found := false
	for _, c := range clauses(toks) {
		var hit [8]bool
		anyHit := false
		mark := func(aspect string) {
			for k, name := range core.AspectOrder {
				if name == aspect {
					hit[k] = true
					anyHit = true
				}
			}
		}
		hasHan := false
		for i := c.from; i < c.to; i++ {
			t := &toks[i]
			if t.Kind == core.KindSymbol && t.Text == "$" {
				mark(AspectPrice)
			}
			if t.Kind != core.KindWord {
				continue
			}
			if t.Script == core.ScriptHan {
				hasHan = true
				continue
			}
			if asp, ok := core.EnAspectWord(t.Text); ok {
				mark(asp)
			}
			enAspectPhrases.match(toks[:c.to], i, mark)
		}
		if hasHan {
			text := norm[toks[c.from].Start:toks[c.to-1].End]
			for _, kw := range zhAspectKeywords {
				if strings.Contains(text, kw.Word) {
					mark(kw.Aspect)
				}
			}
		}
		if !anyHit {
			continue
		}
		found = true
		s, _ := a.score(sc, toks[c.from:c.to], majorityLang(toks[c.from:c.to]), aspectLex)
		// a clause without any sentiment word takes its sentence's score
		if sc.v.LexHits == 0 && math.Abs(s) < weakScore && (c.sentFrom != c.from || c.sentTo != c.to) {
			st, _ := a.score(sc, toks[c.sentFrom:c.sentTo], majorityLang(toks[c.sentFrom:c.sentTo]), aspectLex)
			if math.Abs(st) > math.Abs(s) {
				s = st
			}
		}
		for k := range hit {
			if hit[k] {
				sums[k] += s
				counts[k]++
			}
		}
	}
	if !found {
		return nil
	}
	var out []AspectSentiment
	for k, name := range core.AspectOrder {
		if counts[k] == 0 {
			continue
		}
		s := clamp(sums[k] / float64(counts[k]))
		out = append(out, AspectSentiment{Aspect: name, Score: s, Label: label(s)})
	}
	return out
}

// complaint: negative sentiment plus complaint cues. Strong cues (投诉,
// 差评, complain, never again, worst, ...) need only a score below 0.2;
// weak cues (退货, refund, broken, ...) need a negative score.
func complaint(norm string, toks []core.Token, score float64) bool {
	if score >= 0.2 {
		return false
	}
	strong, weak := false, false
	for i := range toks {
		if toks[i].Kind != core.KindWord || toks[i].Script == core.ScriptHan {
			continue
		}
		enComplaintCues.match(toks, i, func(v string) {
			if v == "strong" {
				strong = true
			} else {
				weak = true
			}
		})
	}
	if !strong && !(weak && score < weakCueScore) {
		s, w := core.ZhComplaintCues(norm)
		strong = strong || s
		weak = weak || w
	}
	return strong || (weak && score < weakCueScore)
}

// weakCueScore: weak complaint cues need a score below this.
const weakCueScore = -0.1
