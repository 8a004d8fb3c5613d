package demo

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Evidence says which of a person's records carry evidence that they are one person. It
// is read from what the generator wrote into the records, never from what the platform
// makes of them, so it bounds what any method can find.
//
// Two valid records of the same person are linked directly when
//
//  1. they carry the same value of an identifier that stands for a person: an e-mail
//     address (compared trimmed and lower-cased), the person's phone (in whatever style
//     each source writes it), a loyalty id, a social handle, or an external id (the WeChat
//     unionid); or
//  2. both carry the person's full name, given and family name (in characters or in
//     pinyin; with the one typo a record may have, in the given name for Chinese names; a
//     WeChat display name counts when it is the full name, decorated or not, and so does
//     a social handle that spells it, `wechat:nili_zhang6926`), and they agree on one more
//     fact: the birth date, a device or cookie id, or the city when nobody else in the
//     data with that full name has a record in that city (a careful human checks for
//     namesakes before matching on a name and a city).
//
// Records linked through a chain of such links form an evidence group; a true pair is
// linkable when both records are in the same group. A given name, a pet name, a city and
// a gender (`Isla`, `小素🌙`, Shanghai, female) are not evidence: thousands of people share
// them. A device or cookie id alone is not either: households and kiosks share them (the
// platform's rules do not let them link on their own). A record made invalid on purpose
// is rejected at import, so it forms a group of its own.
type Evidence struct {
	// Per customer record ("source:source_id"): its evidence group, "P00042/1",
	// "P00042/2": the person and a number, groups numbered by their smallest record key.
	RecordGroup map[string]string `json:"record_group"`
	// Pairs of records of the same person, and how many of them are linkable.
	TruePairs     int `json:"true_pairs"`
	LinkablePairs int `json:"linkable_pairs"`
	// WeChat follower accounts, how many share their unionid with the person's shop
	// login, how many carry an authorised phone, and how many are in no group with another
	// record of a person who has other records (anonymous followers of known people).
	WeChatAccounts   int `json:"wechat_accounts"`
	WeChatUnionID    int `json:"wechat_unionid_shared"`
	WeChatPhone      int `json:"wechat_phone"`
	WeChatUnlinkable int `json:"wechat_unlinkable"`
}

// evidenceRecord is one written customer record with the person it belongs to.
type evidenceRecord struct {
	key     string
	p       *person
	rec     *cdp.CustomerRecord
	invalid bool
}

// evidence groups each person's records by the links defined on Evidence.
func evidence(recs []evidenceRecord) Evidence {
	ev := Evidence{RecordGroup: map[string]string{}}
	byPerson := map[*person][]evidenceRecord{}
	var people []*person
	for _, r := range recs {
		if _, ok := byPerson[r.p]; !ok {
			people = append(people, r.p)
		}
		byPerson[r.p] = append(byPerson[r.p], r)
	}
	sort.Slice(people, func(i, j int) bool { return people[i].idx < people[j].idx })
	namesakes := map[string]map[*person]bool{} // full name and city -> people with a record there
	for _, r := range recs {
		if k := nameCity(r); k != "" {
			if namesakes[k] == nil {
				namesakes[k] = map[*person]bool{}
			}
			namesakes[k][r.p] = true
		}
	}
	for _, p := range people {
		rs := byPerson[p]
		sort.Slice(rs, func(i, j int) bool { return rs[i].key < rs[j].key })
		facts := make([]recordFacts, len(rs))
		for i, r := range rs {
			facts[i] = factsOf(r)
			if len(namesakes[nameCity(r)]) != 1 {
				facts[i].city = ""
			}
		}
		parent := make([]int, len(rs))
		for i := range parent {
			parent[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			if parent[i] != i {
				parent[i] = find(parent[i])
			}
			return parent[i]
		}
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				if linked(&facts[i], &facts[j]) {
					if a, b := find(i), find(j); a != b {
						parent[max(a, b)] = min(a, b)
					}
				}
			}
		}
		number := map[int]int{}
		size := map[int]int{}
		for i := range rs {
			root := find(i)
			if _, ok := number[root]; !ok {
				number[root] = len(number) + 1
			}
			size[root]++
			ev.RecordGroup[rs[i].key] = fmt.Sprintf("%s/%d", p.id, number[root])
		}
		n := len(rs)
		ev.TruePairs += n * (n - 1) / 2
		for _, s := range size {
			ev.LinkablePairs += s * (s - 1) / 2
		}
		for i, r := range rs {
			if !strings.HasPrefix(r.key, "wechat:") {
				continue
			}
			ev.WeChatAccounts++
			if p.wx != nil && p.wx.shopLogin {
				ev.WeChatUnionID++
			}
			if r.rec.Phone != "" {
				ev.WeChatPhone++
			}
			if n > 1 && size[find(i)] == 1 {
				ev.WeChatUnlinkable++
			}
		}
	}
	return ev
}

// recordFacts is what a record says that can link it: identifier values standing for a
// person, weak identifiers, and personal fields.
type recordFacts struct {
	valid    bool
	strong   []string
	weak     []string
	fullName bool
	birth    string
	city     string
}

// nameCity is the key of a person's full name in the city a record gives.
func nameCity(r evidenceRecord) string {
	city := strings.ToLower(strings.TrimSpace(r.rec.City))
	if city == "" || r.invalid {
		return ""
	}
	return strings.ToLower(r.p.fullName()) + "|" + city
}

func factsOf(r evidenceRecord) recordFacts {
	f := recordFacts{valid: !r.invalid}
	if !f.valid {
		return f
	}
	c := r.rec
	add := func(list *[]string, kind, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*list = append(*list, kind+":"+v)
		}
	}
	add(&f.strong, "email", strings.ToLower(c.Email))
	if c.Phone != "" { // the generator writes only the person's own phone, in the source's style
		add(&f.strong, "phone", r.p.phone.cc+r.p.phone.nsn)
	}
	add(&f.strong, "loyalty", strings.ToUpper(c.LoyaltyID))
	add(&f.strong, "handle", strings.ToLower(c.SocialHandle))
	add(&f.weak, "device", c.DeviceID)
	add(&f.weak, "cookie", c.CookieID)
	for _, id := range c.Identifiers {
		switch id.Type {
		case "external_id":
			add(&f.strong, "external", id.Value)
		case "device_id", "cookie_id":
			add(&f.weak, strings.TrimSuffix(id.Type, "_id"), id.Value)
		}
	}
	f.fullName = carriesFullName(r.p, c)
	f.birth = c.BirthDate
	f.city = strings.ToLower(strings.TrimSpace(c.City))
	return f
}

func linked(a, b *recordFacts) bool {
	if !a.valid || !b.valid {
		return false
	}
	if shareAny(a.strong, b.strong) {
		return true
	}
	if !a.fullName || !b.fullName {
		return false
	}
	return (a.birth != "" && a.birth == b.birth) || (a.city != "" && a.city == b.city) || shareAny(a.weak, b.weak)
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// carriesFullName reports whether a record states p's given and family name, in one of
// the ways the generator writes them: separate fields, a full name or a social handle,
// in characters or pinyin, with at most one typo, maybe followed by a display name's
// decoration.
func carriesFullName(p *person, c *cdp.CustomerRecord) bool {
	var cands []string
	if c.GivenName != "" && c.FamilyName != "" {
		cands = append(cands, c.FamilyName+c.GivenName, c.GivenName+c.FamilyName)
	}
	if c.FullName != "" {
		cands = append(cands, c.FullName)
	}
	if _, handle, ok := strings.Cut(c.SocialHandle, ":"); ok { // "wechat:nili_zhang6926"
		cands = append(cands, strings.TrimRightFunc(handle, unicode.IsDigit))
	}
	for _, s := range cands {
		s = squeeze(s)
		if p.chinese {
			// Characters: the family name exactly, the given name with at most one
			// substituted or swapped character (a homophone typo), or followed by decoration.
			if rest, ok := strings.CutPrefix(s, p.family); ok {
				g := []rune(rest)
				if strings.HasPrefix(rest, p.given) || (len(g) == len([]rune(p.given)) && osaDistance(rest, p.given) <= 1) {
					return true
				}
			}
			py := strings.ToLower(p.givenPY + p.familyPY)
			yp := strings.ToLower(p.familyPY + p.givenPY)
			if ls := strings.ToLower(s); ls == py || ls == yp {
				return true
			}
			continue
		}
		ls := strings.ToLower(s)
		for _, form := range []string{p.given + p.family, p.family + p.given, p.givenPY + p.familyPY} {
			form = strings.ToLower(squeeze(form))
			if strings.HasPrefix(ls, form) || (len([]rune(form)) >= 5 && osaDistance(ls, form) <= 1) {
				return true
			}
		}
	}
	return false
}

// squeeze removes spaces and the dots and underscores names are joined with.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '_' {
			return -1
		}
		return r
	}, s)
}

// osaDistance is the optimal string alignment distance over runes: insertions,
// deletions, substitutions and swaps of neighbours, each one edit.
func osaDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
