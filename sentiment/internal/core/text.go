// Package core holds the pieces of the sentiment model shared by the runtime
// package and the offline trainer: text normalisation, tokenisation, the
// Chinese segmenter, feature extraction, the linear model and its file format.
package core

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Script of a token.
type Script uint8

// Scripts.
const (
	ScriptNone  Script = iota // punctuation, numbers, emoji, symbols
	ScriptHan                 // CJK ideographs
	ScriptLatin               // Latin letters
	ScriptOther               // letters of any other script (kana, Hangul, Cyrillic, ...)
)

// Kind of a token.
type Kind uint8

// Token kinds.
const (
	KindWord     Kind = iota // a word (Latin, other script) or a Han run / Han word
	KindNumber               // digits
	KindEmoji                // emoji or ASCII emoticon
	KindClause               // clause punctuation: , ; : 、 ...
	KindSentence             // sentence punctuation: . ! ? 。 newline ...
	KindSymbol               // currency and similar symbols kept as tokens
)

// Token is one unit of normalised text.
type Token struct {
	Text   string
	Start  int32 // byte offsets into the normalised text
	End    int32
	Kind   Kind
	Script Script
	// Join marks a Han word that directly continues the previous Han word
	// (both come from the same run of ideographs).
	Join bool
}

// Normalize makes text safe and uniform: it keeps at most maxBytes bytes,
// decodes HTML entities, replaces invalid UTF-8 and control characters by spaces, folds full-width
// ASCII to half-width, unifies quotes, drops zero-width and emoji modifier
// characters and lower-cases letters. The result is valid UTF-8.
func Normalize(s string, maxBytes int) string {
	if maxBytes > 0 && len(s) > maxBytes {
		s = s[:maxBytes]
	}
	if strings.IndexByte(s, '&') >= 0 && strings.IndexByte(s, ';') >= 0 {
		s = html.UnescapeString(s) // never longer than its input
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			r = ' '
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == 0x3000 || r == '\t' || r == '\v' || r == '\f' || r == 0xA0:
			r = ' '
		case r == '\r':
			r = '\n'
		case r == 0x2018 || r == 0x2019 || r == 0x201B || r == 0x2032 || r == 0x0060 || r == 0xB4:
			r = '\''
		case r == 0x201C || r == 0x201D || r == 0x201E || r == 0x2033:
			r = '"'
		case r == 0xFE0F || r == 0xFE0E || r == 0x200B || r == 0x200C || r == 0x200D || r == 0xFEFF ||
			(r >= 0x1F3FB && r <= 0x1F3FF) || r == 0x20E3:
			continue
		case r == '\n':
		case r < 0x20 || (r >= 0x7F && r < 0xA0):
			r = ' '
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		if unicode.IsUpper(r) {
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// IsHan reports whether r is a CJK ideograph.
func IsHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return r >= 0x3400 && unicode.Is(unicode.Han, r) && r != 0x3002 && r != 0x3001
}

// IsEmoji reports whether r is a pictographic emoji.
func IsEmoji(r rune) bool {
	switch {
	case r >= 0x1F300 && r <= 0x1FAFF, r >= 0x1F000 && r <= 0x1F2FF:
		return true
	case r >= 0x2600 && r <= 0x27BF:
		return true
	case r == 0x2B50 || r == 0x2B55 || r == 0x2B06 || r == 0x2B07 || r == 0x2B05 || r == 0x2B1B || r == 0x2B1C:
		return true
	case r == 0x203C || r == 0x2049 || r == 0x2122 || r == 0x2139 || r == 0x3030 || r == 0x303D:
		return true
	}
	return false
}

func isClausePunct(r rune) bool {
	switch r {
	case ',', ';', ':', '(', ')', '[', ']', '{', '}', '|', '/', '<', '>',
		'、', '，', '；', '：', '（', '）', '【', '】', '《', '》', '〈', '〉', '「', '」', '『', '』', '—', '–':
		return true
	}
	return false
}

func isSentencePunct(r rune) bool {
	switch r {
	case '.', '!', '?', '\n', '。', '！', '？', '…', '｡', '¡', '¿':
		return true
	}
	return false
}

func isSymbol(r rune) bool {
	switch r {
	case '$', '¥', '￥', '€', '£':
		return true
	}
	return false
}

// emoticons (lower-case, as produced by Normalize). Longest first.
var emoticons = []string{
	">:(", ":'(", ":-)", ":-(", ":-d", ":-p", ":-/", ";-)", "^_^", "</3", "t_t", "-_-",
	":)", ":(", ":]", ":[", ":d", ":p", ":/", ";)", "=)", "=(", "<3", "^^", "xd",
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// matchEmoticon returns the emoticon starting at s[i:], if any.
func matchEmoticon(s string, i int) string {
	c := s[i]
	switch c {
	case ':', ';', '=', '<', '>', '^', '-', 'x', 't':
	default:
		return ""
	}
	if c == 'x' || c == 't' {
		// letter-initial emoticons need a word boundary before them
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:i])
			if isWordRune(r) {
				return ""
			}
		}
	}
	for _, e := range emoticons {
		if strings.HasPrefix(s[i:], e) {
			j := i + len(e)
			if j < len(s) {
				r, _ := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r) || (r == '/' && e == ":/") {
					continue
				}
			}
			return e
		}
	}
	return ""
}

// Tokenize splits normalised text into tokens. Runs of Han characters become
// a single KindWord token with ScriptHan (see Segmenter.Expand).
func Tokenize(s string) []Token {
	toks := make([]Token, 0, len(s)/4+1)
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ':
			i += w
		case r < utf8.RuneSelf && matchEmoticon(s, i) != "":
			e := matchEmoticon(s, i)
			toks = append(toks, Token{Text: e, Start: int32(i), End: int32(i + len(e)), Kind: KindEmoji})
			i += len(e)
		case IsHan(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !IsHan(r2) {
					break
				}
				j += w2
			}
			toks = append(toks, Token{Text: s[i:j], Start: int32(i), End: int32(j), Kind: KindWord, Script: ScriptHan})
			i = j
		case unicode.IsDigit(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsDigit(r2) {
					j += w2
					continue
				}
				if (r2 == '.' || r2 == ',') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j += w2
					continue
				}
				break
			}
			toks = append(toks, Token{Text: s[i:j], Start: int32(i), End: int32(j), Kind: KindNumber})
			i = j
		case unicode.IsLetter(r):
			script := ScriptOther
			if unicode.Is(unicode.Latin, r) {
				script = ScriptLatin
			}
			j := i + w
			apos := false
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if IsHan(r2) {
					break
				}
				if isWordRune(r2) {
					j += w2
					continue
				}
				if (r2 == '\'' || r2 == '-') && j+1 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+1:])
					if unicode.IsLetter(r3) && !IsHan(r3) {
						if r2 == '\'' {
							apos = true
						}
						j += w2
						continue
					}
				}
				break
			}
			text := s[i:j]
			if apos {
				text = strings.ReplaceAll(text, "'", "")
			}
			toks = append(toks, Token{Text: text, Start: int32(i), End: int32(j), Kind: KindWord, Script: script})
			i = j
		case IsEmoji(r):
			toks = append(toks, Token{Text: s[i : i+w], Start: int32(i), End: int32(i + w), Kind: KindEmoji})
			i += w
		case isSentencePunct(r):
			toks = append(toks, Token{Text: s[i : i+w], Start: int32(i), End: int32(i + w), Kind: KindSentence})
			i += w
		case isClausePunct(r):
			toks = append(toks, Token{Text: s[i : i+w], Start: int32(i), End: int32(i + w), Kind: KindClause})
			i += w
		case isSymbol(r):
			toks = append(toks, Token{Text: s[i : i+w], Start: int32(i), End: int32(i + w), Kind: KindSymbol})
			i += w
		default:
			i += w
		}
	}
	return toks
}

// HanRunes counts the runes of a Han token (Han text is all ideographs).
func HanRunes(t *Token) int { return utf8.RuneCountInString(t.Text) }
