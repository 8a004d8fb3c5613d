package match

import "strings"

// This file holds the string comparators. All of them work on runes, so that Chinese,
// Japanese and Korean text is compared character by character.

// JaroWinkler returns the Jaro-Winkler similarity of a and b in [0,1]: the Jaro
// similarity boosted by 0.1 per character of common prefix (at most four) when the Jaro
// similarity exceeds 0.7 (Winkler 1990).
func JaroWinkler(a, b string) float64 {
	return jaroWinklerRunes([]rune(a), []rune(b))
}

// Jaro returns the Jaro similarity of a and b in [0,1].
func Jaro(a, b string) float64 {
	return jaroRunes([]rune(a), []rune(b))
}

func jaroWinklerRunes(a, b []rune) float64 {
	j := jaroRunes(a, b)
	if j <= 0.7 {
		return j
	}
	l := 0
	for l < len(a) && l < len(b) && l < 4 && a[l] == b[l] {
		l++
	}
	return j + float64(l)*0.1*(1-j)
}

func jaroRunes(a, b []rune) float64 {
	la, lb := len(a), len(b)
	if la == 0 && lb == 0 {
		return 1
	}
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	window := lb/2 - 1
	if window < 0 {
		window = 0
	}
	var bufA, bufB [64]bool
	var ma, mb []bool
	if la <= 64 && lb <= 64 {
		ma, mb = bufA[:la], bufB[:lb]
	} else {
		ma, mb = make([]bool, la), make([]bool, lb)
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := i-window, i+window+1
		if lo < 0 {
			lo = 0
		}
		if hi > lb {
			hi = lb
		}
		for k := lo; k < hi; k++ {
			if !mb[k] && a[i] == b[k] {
				ma[i], mb[k] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	m := float64(matches)
	return (m/float64(la) + m/float64(lb) + (m-float64(t)/2)/m) / 3
}

// Levenshtein returns the edit distance (insertions, deletions, substitutions) between a
// and b, counted in runes.
func Levenshtein(a, b string) int {
	return levenshteinRunes([]rune(a), []rune(b))
}

func levenshteinRunes(a, b []rune) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(b) == 0 {
		return len(a)
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// DamerauLevenshtein returns the optimal-string-alignment distance between a and b:
// Levenshtein distance where swapping two adjacent characters also costs one edit, the
// most common keying error in identifiers and dates.
func DamerauLevenshtein(a, b string) int {
	return damerauRunes([]rune(a), []rune(b))
}

func damerauRunes(a, b []rune) int {
	la, lb := len(a), len(b)
	if la == 0 {
		return lb
	}
	if lb == 0 {
		return la
	}
	w := lb + 1
	var buf [256]int32
	var d []int32
	if (la+1)*w <= len(buf) {
		d = buf[:(la+1)*w]
	} else {
		d = make([]int32, (la+1)*w)
	}
	for i := 0; i <= la; i++ {
		d[i*w] = int32(i)
	}
	for j := 0; j <= lb; j++ {
		d[j] = int32(j)
	}
	for i := 1; i <= la; i++ {
		for j := 1; j <= lb; j++ {
			var cost int32 = 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(d[(i-1)*w+j]+1, d[i*w+j-1]+1, d[(i-1)*w+j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, d[(i-2)*w+j-2]+1)
			}
			d[i*w+j] = v
		}
	}
	return int(d[la*w+lb])
}

// damerauWithin returns the Damerau (OSA) distance of a and b when it is at most k, and
// k+1 otherwise. Only the diagonal band |i-j| <= k is computed, after trimming the common
// prefix and suffix, so deciding "within one or two edits" costs O(len·k).
func damerauWithin(a, b []rune, k int) int {
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	la, lb := len(a), len(b)
	big := int32(k + 1)
	if abs(la-lb) > k {
		return k + 1
	}
	if la == 0 || lb == 0 {
		return min(max(la, lb), k+1)
	}
	w := lb + 1
	var buf [256]int32
	var d []int32
	if (la+1)*w <= len(buf) {
		d = buf[:(la+1)*w]
	} else {
		d = make([]int32, (la+1)*w)
	}
	for i := range d {
		d[i] = big
	}
	for j := 0; j <= min(lb, k); j++ {
		d[j] = int32(j)
	}
	for i := 0; i <= min(la, k); i++ {
		d[i*w] = int32(i)
	}
	prevMin := int32(0)
	for i := 1; i <= la; i++ {
		rowMin := big
		if i <= k {
			rowMin = int32(i)
		}
		for j := max(1, i-k); j <= min(lb, i+k); j++ {
			var cost int32 = 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(d[(i-1)*w+j]+1, d[i*w+j-1]+1, d[(i-1)*w+j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, d[(i-2)*w+j-2]+1)
			}
			v = min(v, big)
			d[i*w+j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin >= big && prevMin >= big {
			return k + 1 // every later cell derives from these two rows
		}
		prevMin = rowMin
	}
	return int(min(d[la*w+lb], big))
}

// MongeElkan returns the symmetric Monge-Elkan similarity of two token lists: for every
// token the best Jaro-Winkler similarity with a token of the other list, averaged, and
// the two directions averaged. It tolerates reordered, missing and misspelled words.
func MongeElkan(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	ra := make([][]rune, len(a))
	rb := make([][]rune, len(b))
	for i, t := range a {
		ra[i] = []rune(t)
	}
	for i, t := range b {
		rb[i] = []rune(t)
	}
	return mongeElkanRunes(ra, rb)
}

func mongeElkanRunes(a, b [][]rune) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var sim [16 * 16]float64
	var s []float64
	if len(a)*len(b) <= len(sim) {
		s = sim[:len(a)*len(b)]
	} else {
		s = make([]float64, len(a)*len(b))
	}
	for i := range a {
		for j := range b {
			s[i*len(b)+j] = jaroWinklerRunes(a[i], b[j])
		}
	}
	var ab, ba float64
	for i := range a {
		best := 0.0
		for j := range b {
			best = max(best, s[i*len(b)+j])
		}
		ab += best
	}
	for j := range b {
		best := 0.0
		for i := range a {
			best = max(best, s[i*len(b)+j])
		}
		ba += best
	}
	return (ab/float64(len(a)) + ba/float64(len(b))) / 2
}

// Soundex returns the American Soundex code of the Latin letters of s ("" when s has
// none). It is used as a blocking key only.
func Soundex(s string) string {
	var out [4]byte
	n := 0
	var last byte
	for i := 0; i < len(s) && n < 4; i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c < 'a' || c > 'z' {
			continue
		}
		code := soundexCode[c-'a']
		if n == 0 {
			out[0] = c - 'a' + 'A'
			n = 1
			last = code
			continue
		}
		switch code {
		case '0': // vowels separate equal codes
			last = 0
		case 'h': // h and w do not
		default:
			if code != last {
				out[n] = code
				n++
			}
			last = code
		}
	}
	if n == 0 {
		return ""
	}
	for n < 4 {
		out[n] = '0'
		n++
	}
	return string(out[:])
}

// soundexCode maps a..z to its digit; '0' for vowels and y, 'h' for h and w.
var soundexCode = [26]byte{
	'0', '1', '2', '3', '0', '1', '2', 'h', '0', '2', '2', '4', '5',
	'5', '0', '1', '2', '6', '2', '3', '0', '1', 'h', '2', '0', '2',
}

// tokens splits on spaces.
func tokens(s string) []string {
	return strings.Fields(s)
}
