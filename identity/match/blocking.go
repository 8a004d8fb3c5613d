package match

import (
	"slices"
	"sort"
	"strings"
)

// Blocking: each record emits a handful of keys; two records become a candidate pair when
// they share at least one key whose block is no larger than MaxBlockSize. The keys are
// chosen so that a true duplicate survives a typo in any one or two fields: every field
// that can carry a typo appears in several keys, each paired with a different other
// field.

// blockingKeys describes the keys, for the report.
var blockingKeys = []string{
	"national id: first half, second half",
	"each personal id (national id, passport, tax id) of 5+ characters: first half, second half",
	"birth date with day and month in sorted order",
	"family-name phonetic code + birth year",
	"given-name phonetic code + birth year",
	"given-name phonetic code + family-name phonetic code (either order)",
	"birth month and day + family-name initial; + given-name initial",
	"postcode + given-name initial; postcode + family-name initial",
	"postcode + street number; family-name phonetic code + street number",
	"first word of address line 1 (phonetic) + street number",
	"city + family-name phonetic code",
	"email; email local part; phone last 8 digits",
	"each weak identifier (device or cookie id)",
	"CJK: full name",
	"full name in pinyin (Han names romanized; Latin names in either order; also a name spelled by a social handle)",
}

// keysOf appends the blocking keys of p to dst. Each key is prefixed by its kind so that
// keys of different kinds never collide.
func keysOf(p *prepared, dst []string) []string {
	add := func(kind string, parts ...string) {
		for _, s := range parts {
			if s == "" {
				return
			}
		}
		dst = append(dst, kind+"\x00"+strings.Join(parts, "\x00"))
	}
	if n := len(p.nid); n >= 5 {
		h := n / 2
		add("nid1", p.nid[:h])
		add("nid2", p.nid[h:])
	}
	for _, id := range p.pids {
		if n := len(id.value); n >= 5 {
			add("pid1", id.typ, id.value[:n/2])
			add("pid2", id.typ, id.value[n/2:])
		}
	}
	year, md := "", ""
	if len(p.dob) == 8 {
		year = p.dob[:4]
		m, d := p.dob[4:6], p.dob[6:8]
		if m > d {
			m, d = d, m
		}
		md = m + d
		add("dob", year, md)
	} else if len(p.dob) >= 4 {
		year = p.dob[:4]
	}
	add("fy", p.familySdx, year)
	add("gy", p.givenSdx, year)
	if p.givenSdx != "" && p.familySdx != "" {
		x, y := p.givenSdx, p.familySdx
		if x > y {
			x, y = y, x
		}
		add("gf", x, y)
	}
	add("mdf", md, p.familyFirst)
	add("mdg", md, p.givenFirst)
	add("pg", p.postcode, p.givenFirst)
	add("pf", p.postcode, p.familyFirst)
	add("ps", p.postcode, p.stno)
	add("cf", p.city, p.familySdx)
	add("fs", p.familySdx, p.stno)
	add("as", p.addr1Key, p.stno)
	add("em", p.email)
	add("el", p.emailLocal)
	if len(p.phone) >= 7 {
		add("ph", lastN(p.phone, 8))
	}
	for _, id := range p.weak {
		add("wk", id)
	}
	if p.cjkName {
		add("cjk", p.family+p.given)
		add("py", string(p.familyPY), string(p.givenPY))
	} else {
		// A romanized Chinese name meets its Han form under the pinyin key, in either order.
		g, f := string(p.givenNS), string(p.familyNS)
		add("py", f, g)
		add("py", g, f)
	}
	if h := p.handleName; h != nil {
		g, f := string(h.givenNS), string(h.familyNS)
		add("py", f, g)
		add("py", g, f)
	}
	return dst
}

// Keys returns the blocking keys of a record: two records are candidates when they share
// a key (and its block is not oversized). A store can index records by these keys to find
// the candidates of a new record, then Score them with a fitted Model.
func Keys(r *Record) []string {
	p := prepare(r)
	keys := keysOf(&p, nil)
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Candidates returns the candidate pairs of records (indexes i < j into records, sorted)
// from blocking: records sharing any blocking key, skipping for that key every block
// larger than opts.MaxBlockSize. The work is linear in the number of records times the
// block size bound.
func Candidates(records []Record, opts Options) [][2]int {
	opts = opts.withDefaults()
	prep := make([]prepared, len(records))
	for i := range records {
		prep[i] = prepare(&records[i])
	}
	return candidates(prep, opts)
}

func candidates(prep []prepared, opts Options) [][2]int {
	type entry struct {
		key string
		rec int32
	}
	var entries []entry
	var buf []string
	for i := range prep {
		buf = keysOf(&prep[i], buf[:0])
		slices.Sort(buf) // a key emitted twice (a handle spelling the record's own name) counts once
		buf = slices.Compact(buf)
		for _, k := range buf {
			entries = append(entries, entry{k, int32(i)})
		}
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].key != entries[j].key {
			return entries[i].key < entries[j].key
		}
		return entries[i].rec < entries[j].rec
	})
	var pairs []uint64
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].key == entries[lo].key {
			hi++
		}
		if n := hi - lo; n >= 2 && n <= opts.MaxBlockSize {
			for x := lo; x < hi; x++ {
				for y := x + 1; y < hi; y++ {
					a, b := entries[x].rec, entries[y].rec
					if a == b {
						continue
					}
					pairs = append(pairs, uint64(a)<<32|uint64(b))
				}
			}
		}
		lo = hi
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	out := make([][2]int, len(pairs))
	for i, p := range pairs {
		out[i] = [2]int{int(p >> 32), int(p & 0xffffffff)}
	}
	return out
}
