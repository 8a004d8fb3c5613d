package demo

import (
	"fmt"
	"time"
)

type crmRec struct {
	id               string
	p                *person
	created, updated time.Time
	addr             address
	email, loyalty   string
}

type posRec struct {
	id      string
	p       *person
	store   *store
	created time.Time
}

type webRec struct {
	id               string
	p                *person
	created          time.Time
	cookie, device   string
	cookie2, device2 string
}

type wxRec struct {
	id, handle string
	p          *person
	created    time.Time
	unionID    string // the person's WeChat unionid, the same in every app of the brand
	shopLogin  bool   // signed in to the shop (web, app or mini-programme) with WeChat
}

// makeSourceRecords creates each person's accounts in the source systems, with the
// times they were opened, and gives them ids in each source's own style.
func (g *gen) makeSourceRecords() {
	r := newRNG(g.seed, 5)
	day := 24 * time.Hour
	last := g.end.Add(-time.Hour)
	for _, p := range g.people {
		opened := p.since
		if p.buyer && !p.existing {
			opened = p.t0.Add(-r.days(0, 3))
		}
		opened = g.clock(r, opened, p.zone, webHours)
		if p.inCRM {
			c := &crmRec{p: p, created: opened, updated: opened, addr: p.addr, email: p.email, loyalty: p.loyalty}
			if p.household != nil {
				c.email = p.household.email
			}
			moved := p.oldAddr != nil && opened.Before(p.moveAt)
			if moved {
				c.addr = *p.oldAddr
			}
			switch {
			case moved && r.chance(0.15):
				p.crmDup = dupMoved
			case r.chance(0.03):
				p.crmDup = dupSignup
			}
			p.crm = append(p.crm, c)
			switch p.crmDup {
			case dupMoved: // signed up again at the new address; the old record stays as it was
				c2 := &crmRec{p: p, created: p.moveAt.Add(r.days(1, 40)), addr: p.addr, email: c.email,
					loyalty: g.unique(func() string { return "LY" + r.digits(8) })}
				if r.chance(0.5) {
					c2.email = g.secondEmail(r, p)
				}
				c2.created = g.clock(r, minTime(c2.created, last), p.zone, webHours)
				c2.updated = c2.created
				p.crm = append(p.crm, c2)
			case dupSignup: // forgot the first account: new e-mail, same phone
				c2 := &crmRec{p: p, created: g.clock(r, minTime(r.timeIn(opened.Add(30*day), last), last), p.zone, webHours), addr: c.addr, email: g.secondEmail(r, p),
					loyalty: g.unique(func() string { return "LY" + r.digits(8) })}
				if moved && c2.created.After(p.moveAt) {
					c2.addr = p.addr
				}
				c2.updated = c2.created
				p.crm = append(p.crm, c2)
			default:
				if moved && r.chance(0.8) { // the member updated the address
					c.addr = p.addr
					c.updated = g.clock(r, minTime(p.moveAt.Add(r.days(1, 30)), last), p.zone, webHours)
				}
			}
		}
		if p.inPOS {
			created := opened
			if p.existing {
				created = minTime(opened.Add(r.days(0, 30)), g.start.Add(-day))
			}
			p.pos = append(p.pos, &posRec{p: p, store: p.homeStore, created: g.clock(r, created, zoneCN, posHours)})
			if r.chance(0.025) { // registered again at another store
				other := p.homeStore
				if p.city != nil && len(p.city.stores) > 1 {
					for other == p.homeStore {
						other = pick(r, p.city.stores)
					}
				} else {
					other = pick(r, stores)
				}
				p.pos = append(p.pos, &posRec{p: p, store: other, created: g.clock(r, r.timeIn(maxTime(created, g.start), last), zoneCN, posHours)})
			}
		}
		if p.inWeb {
			created := opened
			if p.existing {
				created = minTime(opened.Add(r.days(0, 200)), g.start.Add(-day))
			} else if p.buyer {
				created = p.t0.Add(-r.days(0, 20))
			}
			created = g.clock(r, created, p.zone, webHours)
			w := &webRec{p: p, created: created, cookie: "ck_" + r.hex(16), device: uuid(r)}
			if r.chance(0.3) {
				w.device2 = uuid(r)
			}
			if r.chance(0.25) {
				w.cookie2 = "ck_" + r.hex(16)
			}
			w.id = g.unique(func() string { return "u_" + r.hex(6) })
			p.web = w
		}
		if p.inWx {
			w := &wxRec{p: p, created: g.clock(r, r.timeIn(g.start.AddDate(-3, 0, 0), g.end.Add(-10*day)), p.zone, webHours)}
			w.id = g.unique(func() string { return "wx_" + r.alnum(10) })
			if r.chance(0.7) {
				w.handle = g.unique(func() string { return "wechat:wxid_" + r.alnum(14) })
			} else {
				w.handle = g.unique(func() string {
					return fmt.Sprintf("wechat:%s_%s%d", p.givenPY, p.familyPY, r.between(1, 9999))
				})
			}
			p.wx = w
		}
	}

	// CRM ids follow sign-up order; till ids are numbered per store.
	var crms []*crmRec
	var poss []*posRec
	for _, p := range g.people {
		crms = append(crms, p.crm...)
		poss = append(poss, p.pos...)
	}
	sortByTime(crms, func(x *crmRec) time.Time { return x.created })
	for i, c := range crms {
		c.id = fmt.Sprintf("C%06d", i+1)
	}
	sortByTime(poss, func(x *posRec) time.Time { return x.created })
	seq := map[int]int{}
	for _, c := range poss {
		seq[c.store.num]++
		c.id = fmt.Sprintf("POS-%02d-%05d", c.store.num, seq[c.store.num])
	}
}

// secondEmail is another personal address of p, made once.
func (g *gen) secondEmail(r *rng, p *person) string {
	if p.email2 == "" {
		p.email2 = g.makeEmail(r, p)
	}
	return p.email2
}

func uuid(r *rng) string {
	h := r.hex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-" + string("89ab"[r.n(4)]) + h[17:20] + "-" + h[20:]
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// crmAt is the CRM record p used at t: the latest opened by then.
func (p *person) crmAt(t time.Time) *crmRec {
	c := p.crm[0]
	for _, x := range p.crm[1:] {
		if !x.created.After(t) {
			c = x
		}
	}
	return c
}
