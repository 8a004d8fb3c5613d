package demo

import (
	"strconv"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

func itoa(n int) string { return strconv.Itoa(n) }

// names returns the given and family name as one record spells them: about one record
// in twenty has a typo.
func names(r *rng, p *person) (given, family string) {
	given, family = p.given, p.family
	if !r.chance(0.05) {
		return
	}
	if p.chinese {
		return typoChinese(r, given), family
	}
	if r.chance(0.7) {
		return typoLatin(r, given), family
	}
	return given, typoLatin(r, family)
}

// typoLatin swaps two neighbouring letters or drops one.
func typoLatin(r *rng, s string) string {
	rs := []rune(s)
	if len(rs) < 3 {
		return s
	}
	i := 1 + r.n(len(rs)-2)
	if r.chance(0.5) && rs[i] != rs[i+1] {
		rs[i], rs[i+1] = rs[i+1], rs[i]
		return string(rs)
	}
	return string(append(rs[:i:i], rs[i+1:]...))
}

// typoChinese replaces a character with a homophone, or swaps the two characters.
func typoChinese(r *rng, s string) string {
	rs := []rune(s)
	var at []int
	var with []string
	for i, c := range rs {
		for _, h := range cnHomophones {
			if string(c) == h[0] {
				at, with = append(at, i), append(with, h[1])
			} else if string(c) == h[1] {
				at, with = append(at, i), append(with, h[0])
			}
		}
	}
	if len(at) > 0 {
		k := r.n(len(at))
		rs[at[k]] = []rune(with[k])[0]
		return string(rs)
	}
	if len(rs) == 2 && rs[0] != rs[1] {
		return string([]rune{rs[1], rs[0]})
	}
	return s
}

func joinName(p *person, given, family string) string {
	if p.chinese {
		return family + given
	}
	return given + " " + family
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func setAddress(rec *cdp.CustomerRecord, a address) {
	rec.AddressLine1, rec.AddressLine2, rec.City, rec.Region, rec.Postcode, rec.Country = a.line1, a.line2, a.city, a.region, a.postcode, a.country
}

func (g *gen) crmCustomer(r *rng, c *crmRec) cdp.CustomerRecord {
	p := c.p
	given, family := names(r, p)
	rec := cdp.CustomerRecord{SourceID: c.id, GivenName: given, FamilyName: family, FullName: joinName(p, given, family),
		Email: c.email, LoyaltyID: c.loyalty, Country: c.addr.country, UpdatedAt: fmtTime(c.updated, zoneCN)}
	if r.chance(0.04) {
		rec.Email = capitalise(rec.Email)
	}
	if r.chance(0.95) {
		rec.Phone = p.phone.render(r, styleCRM)
	}
	if r.chance(0.9) {
		rec.BirthDate = p.birth.Format("2006-01-02")
	}
	if r.chance(0.93) {
		rec.Gender = p.gender
	}
	if r.chance(0.88) {
		setAddress(&rec, c.addr)
	}
	if p.wx != nil && r.chance(0.3) {
		rec.SocialHandle = p.wx.handle
	}
	return rec
}

func (g *gen) posCustomer(r *rng, c *posRec) cdp.CustomerRecord {
	p := c.p
	given, family := names(r, p)
	rec := cdp.CustomerRecord{SourceID: c.id, City: c.store.cityEN, UpdatedAt: fmtTime(c.created, zoneCN)}
	x := r.f()
	if p.chinese {
		switch {
		case x < 0.4:
			rec.FullName = family + given
		case x < 0.65: // 王女士, 李先生
			title := "先生"
			if p.gender == "female" {
				title = "女士"
			}
			rec.FullName, rec.FamilyName, rec.Gender = family+title, family, p.gender
		case x < 0.8:
			rec.FamilyName = family
		default:
			rec.GivenName, rec.FamilyName = given, family
		}
	} else {
		switch {
		case x < 0.35:
			rec.FullName = given + " " + family
		case x < 0.55:
			rec.FullName = string([]rune(given)[:1]) + ". " + family
		case x < 0.7:
			rec.FamilyName = strings.ToUpper(family)
		default:
			rec.GivenName, rec.FamilyName = given, family
		}
	}
	if r.chance(0.88) {
		rec.Phone = p.phone.render(r, stylePOS)
	}
	if p.loyalty != "" && r.chance(0.7) {
		rec.LoyaltyID = p.loyalty
	}
	if rec.Phone == "" && rec.LoyaltyID == "" {
		rec.Phone = p.phone.render(r, stylePOS)
	}
	return rec
}

func (g *gen) webCustomer(r *rng, w *webRec) cdp.CustomerRecord {
	p := w.p
	given, family := names(r, p)
	if p.chinese && r.chance(0.15) { // typed in pinyin
		given, family = capitalise(p.givenPY), capitalise(p.familyPY)
	}
	rec := cdp.CustomerRecord{SourceID: w.id, CookieID: w.cookie, DeviceID: w.device, Country: p.country}
	if r.chance(0.8) {
		rec.GivenName, rec.FamilyName = given, family
	}
	if r.chance(0.5) || rec.GivenName == "" {
		if isASCII(given) && p.chinese {
			rec.FullName = given + " " + family
		} else {
			rec.FullName = joinName(p, given, family)
		}
	}
	switch x := r.f(); {
	case p.household != nil && r.chance(0.5):
		rec.Email = p.household.email
	case x < 0.2:
		rec.Email = g.secondEmail(r, p)
	case x < 0.3:
		rec.Email = strings.ToUpper(p.email)
	case x < 0.36:
		local, domain, _ := strings.Cut(p.email, "@")
		rec.Email = capitalise(local) + "@" + strings.ToUpper(domain)
	case x < 0.41:
		rec.Email = " " + p.email + " "
	default:
		rec.Email = p.email
	}
	if r.chance(0.45) {
		rec.Phone = p.phone.render(r, styleWeb)
	}
	if r.chance(0.2) {
		rec.BirthDate = p.birth.Format("2006-01-02")
	}
	if r.chance(0.3) {
		rec.Gender = p.gender
	}
	updated := w.created
	if r.chance(0.75) {
		a := p.addr
		if p.oldAddr != nil && w.created.Before(p.moveAt) {
			if r.chance(0.5) {
				updated = p.moveAt.Add(r.days(1, 20))
			} else {
				a = *p.oldAddr // still ships to the old address
			}
		}
		setAddress(&rec, a)
	}
	if p.loyalty != "" && r.chance(0.2) {
		rec.LoyaltyID = p.loyalty
	}
	if w.device2 != "" {
		rec.Identifiers = append(rec.Identifiers, cdp.IdentifierRecord{Type: "device_id", Value: w.device2})
	}
	if w.cookie2 != "" {
		rec.Identifiers = append(rec.Identifiers, cdp.IdentifierRecord{Type: "cookie_id", Value: w.cookie2})
	}
	if p.wx != nil && p.wx.shopLogin { // signed in with WeChat: the shop knows the unionid
		rec.Identifiers = append(rec.Identifiers, cdp.IdentifierRecord{Type: "external_id", Value: unionIDPrefix + p.wx.unionID})
	}
	rec.UpdatedAt = fmtTime(minTime(updated, g.end.Add(-time.Minute)), time.UTC)
	return rec
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (g *gen) wxCustomer(r *rng, w *wxRec) cdp.CustomerRecord {
	p := w.p
	rec := cdp.CustomerRecord{SourceID: w.id, SocialHandle: w.handle, FullName: nickname(r, p), UpdatedAt: fmtTime(w.created, zoneCN),
		Identifiers: []cdp.IdentifierRecord{{Type: "external_id", Value: unionIDPrefix + w.unionID}}}
	if phoneAuthorised(w, r.f()) {
		rec.Phone = p.phone.render(r, styleWeChat)
	}
	if r.chance(0.6) {
		rec.Gender = p.gender
	}
	if r.chance(0.5) {
		rec.City, rec.Country = p.cityEN, p.country
	}
	if p.web != nil && r.chance(0.15) {
		rec.DeviceID = p.web.device
	}
	return rec
}

// nickname is a WeChat display name.
func nickname(r *rng, p *person) string {
	var n string
	if p.chinese {
		gr := []rune(p.given)
		last := string(gr[len(gr)-1])
		switch x := r.f(); {
		case x < 0.2:
			n = p.family + p.given
		case x < 0.32 && len(gr) > 1:
			n = p.given
		case x < 0.42:
			n = "阿" + last
		case x < 0.52:
			n = last + last
		case x < 0.72:
			n = pick(r, cnNickPhrases)
		case x < 0.9:
			n = pick(r, cnEnglishNick)
			if r.chance(0.3) {
				n += "_" + p.family
			}
		default:
			n = "小" + last
		}
	} else {
		switch x := r.f(); {
		case x < 0.3:
			n = p.given
		case x < 0.5:
			n = strings.ToLower(p.given) + "." + strings.ToLower(string([]rune(p.family)[:1]))
		case x < 0.65:
			n = p.given + " " + p.family
		case x < 0.8:
			n = string([]rune(p.given)[:1]) + string([]rune(p.family)[:1])
		default:
			n = p.given + " in " + p.cityEN
		}
	}
	if r.chance(0.25) {
		n += pick(r, nickDecor)
	}
	return n
}

// breakCustomer makes a record invalid in one of the ways a data-quality report must
// catch. It reports whether it found a field to break.
func breakCustomer(r *rng, rec *cdp.CustomerRecord) bool {
	var opts []int
	if rec.Email != "" {
		opts = append(opts, 0)
	}
	if rec.BirthDate != "" {
		opts = append(opts, 1)
	}
	if rec.Phone != "" {
		opts = append(opts, 2)
	}
	if len(opts) == 0 {
		return false
	}
	switch pick(r, opts) {
	case 0:
		e := strings.TrimSpace(rec.Email)
		local, domain, _ := strings.Cut(e, "@")
		switch r.n(5) {
		case 0:
			rec.Email = local + domain
		case 1:
			rec.Email = local + "@@" + domain
		case 2:
			rec.Email = local[:len(local)/2] + " " + local[len(local)/2:] + "@" + domain
		case 3:
			rec.Email = local + "@" + strings.Replace(domain, ".", "..", 1)
		default:
			rec.Email = local + "@"
		}
	case 1:
		y := rec.BirthDate[:4]
		rec.BirthDate = pick(r, []string{y + "-02-30", y + "-04-31", y + "-13-05", y + "-00-12"})
	default:
		rec.Phone = pick(r, []string{"12345", "138123", "000000"})
	}
	return true
}
