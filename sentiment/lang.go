package sentiment

import "github.com/cdpgraph/cdpgraph/sentiment/internal/core"

// part is a token range scored with one language model.
type part struct {
	lang     core.Lang
	from, to int
	units    float64 // size in word-equivalents
}

// script run of letter tokens
type run struct {
	script      core.Script
	first, last int // token indices
	han, words  int // ideographs, other words
}

func (r *run) units() float64 { return float64(r.han)/1.5 + float64(r.words) }

// substantial runs stand on their own; others (a brand name or "app" inside
// Chinese text, a couple of ideographs inside English text) are absorbed by
// their neighbours.
func (r *run) substantial() bool {
	if r.script == core.ScriptHan {
		return r.han >= 3
	}
	return r.words >= 2
}

func langOf(s core.Script) core.Lang {
	switch s {
	case core.ScriptHan:
		return core.LangZH
	case core.ScriptLatin:
		return core.LangEN
	}
	return core.LangUnknown
}

// splitLanguages cuts the token stream into language parts by script:
// maximal runs of Han or Latin (or other-script) words, where runs too small
// to stand alone join a neighbour. Punctuation, numbers and emoji belong to
// the part they follow.
func splitLanguages(toks []core.Token) []part {
	var runs []run
	for i := range toks {
		t := &toks[i]
		if t.Kind != core.KindWord {
			continue
		}
		if n := len(runs); n == 0 || runs[n-1].script != t.Script {
			runs = append(runs, run{script: t.Script, first: i})
		}
		r := &runs[len(runs)-1]
		r.last = i
		if t.Script == core.ScriptHan {
			r.han += core.HanRunes(t)
		} else {
			r.words++
		}
	}
	if len(runs) == 0 {
		return []part{{lang: core.LangUnknown, from: 0, to: len(toks), units: 1}}
	}
	if len(runs) > 1 {
		runs = mergeRuns(runs)
	}
	parts := make([]part, len(runs))
	for k := range runs {
		from, to := runs[k].first, len(toks)
		if k == 0 {
			from = 0
		}
		if k+1 < len(runs) {
			to = runs[k+1].first
		}
		parts[k] = part{lang: langOf(runs[k].script), from: from, to: to, units: runs[k].units()}
	}
	return parts
}

func mergeRuns(runs []run) []run {
	anySubstantial := false
	for i := range runs {
		if runs[i].substantial() {
			anySubstantial = true
			break
		}
	}
	if !anySubstantial {
		// everything is small: the script with most content wins
		var units [4]float64
		for i := range runs {
			units[runs[i].script] += runs[i].units()
		}
		best := runs[0].script
		for s := range units {
			if units[s] > units[best] {
				best = core.Script(s)
			}
		}
		all := run{script: best, first: runs[0].first, last: runs[len(runs)-1].last}
		for i := range runs {
			all.han += runs[i].han
			all.words += runs[i].words
		}
		return []run{all}
	}
	var out []run
	var pending *run // small runs before the first substantial one
	for i := range runs {
		r := runs[i]
		if !r.substantial() {
			if len(out) == 0 {
				if pending == nil {
					p := r
					pending = &p
				} else {
					pending.last = r.last
					pending.han += r.han
					pending.words += r.words
				}
				continue
			}
			o := &out[len(out)-1]
			o.last = r.last
			o.han += r.han
			o.words += r.words
			continue
		}
		if pending != nil {
			r.first = pending.first
			r.han += pending.han
			r.words += pending.words
			pending = nil
		}
		if n := len(out); n > 0 && out[n-1].script == r.script {
			o := &out[n-1]
			o.last = r.last
			o.han += r.han
			o.words += r.words
			continue
		}
		out = append(out, r)
	}
	return out
}

func overallLanguage(parts []part) string {
	zh, en := false, false
	for _, p := range parts {
		switch p.lang {
		case core.LangZH:
			zh = true
		case core.LangEN:
			en = true
		}
	}
	switch {
	case zh && en:
		return LangMixed
	case zh:
		return LangChinese
	case en:
		return LangEnglish
	}
	return LangUnknown
}

// DetectLanguage returns "zh", "en", "mixed" or "unknown" for text, using
// scripts only: Han ideographs mean Chinese, Latin letters English. Text is
// "mixed" when both have a substantial part (at least 3 ideographs and 2
// Latin words in separate runs); a few foreign words inside a text do not
// change its language.
func DetectLanguage(text string) string {
	toks := core.Tokenize(core.Normalize(text, MaxInputBytes))
	return overallLanguage(splitLanguages(toks))
}
