package sentiment

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Confusion counts gold labels (Pos, Neg) against predictions. A prediction
// is the sign of Result.Score; a score of exactly 0 (no evidence at all) is
// "Neutral" and counts as wrong.
type Confusion struct {
	PosAsPos     int `json:"pos_as_pos"`
	PosAsNeg     int `json:"pos_as_neg"`
	PosAsNeutral int `json:"pos_as_neutral"`
	NegAsPos     int `json:"neg_as_pos"`
	NegAsNeg     int `json:"neg_as_neg"`
	NegAsNeutral int `json:"neg_as_neutral"`
}

// EvalStats are the figures for one group of examples.
type EvalStats struct {
	N        int     `json:"n"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
	// NeutralLabels counts examples whose Result.Label was "neutral"
	// (their score sign still counts for accuracy).
	NeutralLabels int       `json:"neutral_labels"`
	Confusion     Confusion `json:"confusion"`
}

// EvalResult is the outcome of Evaluate.
type EvalResult struct {
	Overall EvalStats `json:"overall"`
	// ByLanguage is keyed by the detected language (Result.Language).
	ByLanguage map[string]EvalStats `json:"by_language"`
}

func (s *EvalStats) add(gold bool, r Result) {
	s.N++
	if r.Label == Neutral {
		s.NeutralLabels++
	}
	c := &s.Confusion
	switch {
	case r.Score > 0 && gold:
		c.PosAsPos++
		s.Correct++
	case r.Score > 0:
		c.NegAsPos++
	case r.Score < 0 && gold:
		c.PosAsNeg++
	case r.Score < 0:
		c.NegAsNeg++
		s.Correct++
	case gold:
		c.PosAsNeutral++
	default:
		c.NegAsNeutral++
	}
	s.Accuracy = float64(s.Correct) / float64(s.N)
}

// maxEvalLine bounds one line of an evaluation file.
const maxEvalLine = 4 << 20

// Evaluate reads labelled examples, one per line as "label<TAB>text" with
// label "pos" or "neg" (also "positive"/"negative"), analyses each text with
// the shared Analyzer and reports accuracy overall and per detected
// language. Blank lines and lines starting with '#' are skipped. A malformed
// line stops the evaluation with an error naming its line number.
func Evaluate(r io.Reader) (EvalResult, error) { return shared().Evaluate(r) }

// Evaluate is like the package-level Evaluate, with this Analyzer.
func (a *Analyzer) Evaluate(r io.Reader) (EvalResult, error) {
	res := EvalResult{ByLanguage: map[string]EvalStats{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxEvalLine)
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		lab, text, ok := strings.Cut(l, "\t")
		if !ok {
			return res, fmt.Errorf("sentiment: line %d: want \"label<TAB>text\", found no TAB: %q", line, snippet(l))
		}
		var gold bool
		switch strings.ToLower(strings.TrimSpace(lab)) {
		case "pos", "positive":
			gold = true
		case "neg", "negative":
		default:
			return res, fmt.Errorf("sentiment: line %d: label %q is not pos or neg", line, snippet(lab))
		}
		if strings.TrimSpace(text) == "" {
			return res, fmt.Errorf("sentiment: line %d: empty text", line)
		}
		out := a.Analyze(text)
		res.Overall.add(gold, out)
		st := res.ByLanguage[out.Language]
		st.add(gold, out)
		res.ByLanguage[out.Language] = st
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return res, fmt.Errorf("sentiment: line %d: longer than %d bytes", line+1, maxEvalLine)
		}
		return res, fmt.Errorf("sentiment: after line %d: %w", line, err)
	}
	if res.Overall.N == 0 {
		return res, errors.New("sentiment: no labelled examples found")
	}
	return res, nil
}

func snippet(s string) string {
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return strings.ToValidUTF8(s, "?")
}

// String formats the result as a small report.
func (e EvalResult) String() string {
	var b strings.Builder
	row := func(name string, s EvalStats) {
		c := s.Confusion
		fmt.Fprintf(&b, "%-8s n=%-6d accuracy=%.4f  pos->pos %d pos->neg %d pos->0 %d  neg->neg %d neg->pos %d neg->0 %d  neutral-labelled %d\n",
			name, s.N, s.Accuracy, c.PosAsPos, c.PosAsNeg, c.PosAsNeutral, c.NegAsNeg, c.NegAsPos, c.NegAsNeutral, s.NeutralLabels)
	}
	row("overall", e.Overall)
	langs := make([]string, 0, len(e.ByLanguage))
	for l := range e.ByLanguage {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		row(l, e.ByLanguage[l])
	}
	return b.String()
}
