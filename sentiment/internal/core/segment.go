package core

import (
	"math"
	"sort"
	"unicode/utf8"
)

// Segmenter is a small dictionary-based Chinese word segmenter. For each run
// of ideographs it builds the DAG of dictionary words and picks the path with
// the highest unigram log-probability (the approach of jieba without its HMM
// for unknown words). Work is linear in the run length (words are at most
// MaxRunes long).
type Segmenter struct {
	// logp holds log-probabilities of words; entries that are only prefixes
	// of longer words hold +1.
	logp     map[string]float32
	unk      float32
	maxRunes int
	words    []string
	freqs    []uint32
}

// NewSegmenter builds a segmenter from words and their corpus frequencies.
// Words longer than 8 runes and non-positive frequencies are ignored.
func NewSegmenter(words []string, freqs []uint32) *Segmenter {
	s := &Segmenter{logp: make(map[string]float32, len(words)*2)}
	type wf struct {
		w string
		f uint32
	}
	list := make([]wf, 0, len(words))
	seen := make(map[string]int, len(words))
	var total float64
	for i, w := range words {
		n := utf8.RuneCountInString(w)
		if freqs[i] == 0 || n == 0 || n > 8 {
			continue
		}
		if j, ok := seen[w]; ok {
			if freqs[i] > list[j].f {
				total += float64(freqs[i] - list[j].f)
				list[j].f = freqs[i]
			}
			continue
		}
		seen[w] = len(list)
		list = append(list, wf{w, freqs[i]})
		total += float64(freqs[i])
		if n > s.maxRunes {
			s.maxRunes = n
		}
	}
	sort.Slice(list, func(a, b int) bool { return list[a].w < list[b].w })
	if total == 0 {
		total = 1
	}
	minp := float32(0)
	for _, e := range list {
		lp := float32(math.Log(float64(e.f) / total))
		s.logp[e.w] = lp
		if lp < minp {
			minp = lp
		}
		s.words = append(s.words, e.w)
		s.freqs = append(s.freqs, e.f)
	}
	for _, e := range list {
		for i := range e.w {
			if i == 0 {
				continue
			}
			p := e.w[:i]
			if _, ok := s.logp[p]; !ok {
				s.logp[p] = 1
			}
		}
	}
	s.unk = minp - 2
	if s.maxRunes == 0 {
		s.maxRunes = 1
	}
	return s
}

// Len is the number of dictionary words.
func (s *Segmenter) Len() int { return len(s.words) }

// Words returns the dictionary (sorted) and the frequencies.
func (s *Segmenter) Words() ([]string, []uint32) { return s.words, s.freqs }

// Contains reports whether w is a dictionary word.
func (s *Segmenter) Contains(w string) bool {
	v, ok := s.logp[w]
	return ok && v <= 0
}

// Segment splits a run of ideographs into words and calls emit with the
// byte offsets of each word.
func (s *Segmenter) Segment(run string, emit func(start, end int)) {
	n := utf8.RuneCountInString(run)
	if n == 0 {
		return
	}
	if n == 1 || s == nil {
		if s == nil {
			// no dictionary: one word per character
			for i := range run {
				_, w := utf8.DecodeRuneInString(run[i:])
				emit(i, i+w)
			}
			return
		}
		emit(0, len(run))
		return
	}
	pos := make([]int32, n+1)
	k := 0
	for i := range run {
		pos[k] = int32(i)
		k++
	}
	pos[n] = int32(len(run))
	best := make([]float32, n+1)
	next := make([]int32, n+1)
	for i := n - 1; i >= 0; i-- {
		single := s.unk
		if v, ok := s.logp[run[pos[i]:pos[i+1]]]; ok && v <= 0 {
			single = v
		}
		bs := single + best[i+1]
		bj := int32(i + 1)
		lim := i + s.maxRunes
		if lim > n {
			lim = n
		}
		for j := i + 2; j <= lim; j++ {
			v, ok := s.logp[run[pos[i]:pos[j]]]
			if !ok {
				break
			}
			if v > 0 {
				continue
			}
			if sc := v + best[j]; sc > bs {
				bs, bj = sc, int32(j)
			}
		}
		best[i] = bs
		next[i] = bj
	}
	for i := 0; i < n; i = int(next[i]) {
		emit(int(pos[i]), int(pos[next[i]]))
	}
}

// Expand replaces each Han-run token by its words.
func (s *Segmenter) Expand(toks []Token) []Token {
	hasHan := false
	for i := range toks {
		if toks[i].Script == ScriptHan {
			hasHan = true
			break
		}
	}
	if !hasHan {
		return toks
	}
	out := make([]Token, 0, len(toks)*2)
	for _, t := range toks {
		if t.Script != ScriptHan {
			out = append(out, t)
			continue
		}
		first := true
		s.Segment(t.Text, func(a, b int) {
			out = append(out, Token{
				Text: t.Text[a:b], Start: t.Start + int32(a), End: t.Start + int32(b),
				Kind: KindWord, Script: ScriptHan, Join: !first,
			})
			first = false
		})
	}
	return out
}
