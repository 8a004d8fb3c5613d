package demo

import (
	"math"
	"sort"
	"time"
)

type tie struct {
	src      string // "crm" or "wechat"
	from, to *person
	typ      string
	t        time.Time
	count    int
}

type post struct {
	p    *person
	t    time.Time
	prod *product
	sent string
}

type seenPost struct {
	t    time.Time
	prod *product
}

func (g *gen) addTie(src string, from, to *person, typ string, t time.Time, count int) bool {
	if from == to {
		return false
	}
	k := src + "|" + from.id + "|" + to.id + "|" + typ
	if g.tieSet[k] {
		return false
	}
	g.tieSet[k] = true
	g.ties = append(g.ties, &tie{src, from, to, typ, t, count})
	return true
}

// makeInfluencers picks the WeChat accounts that will gather hundreds of followers.
func (g *gen) makeInfluencers() {
	r := newRNG(g.seed, 6)
	var cands []*person
	for _, p := range g.people {
		if p.wx != nil && p.age(g.start) < 45 && (p.country == "CN" || p.country == "HK") {
			cands = append(cands, p)
		}
	}
	n := min(max(3, int(math.Round(float64(len(g.people))/500))), len(cands))
	for _, i := range r.r.Perm(len(cands))[:n] {
		p := cands[i]
		p.influencer = true
		g.influencers = append(g.influencers, p)
	}
	sort.Slice(g.influencers, func(i, j int) bool { return g.influencers[i].idx < g.influencers[j].idx })
}

// makeReferrals lets customers bring friends, who then buy within days.
func (g *gen) makeReferrals() {
	r := newRNG(g.seed, 7)
	var buyers []*person
	byCity := map[string][]*person{}
	for _, p := range g.people {
		if p.buyer && (p.crm != nil || p.wx != nil) {
			buyers = append(buyers, p)
			byCity[p.cityEN] = append(byCity[p.cityEN], p)
		}
	}
	if len(buyers) < 2 {
		return
	}
	for _, p := range buyers {
		if p.existing || p.t0.Before(g.start.AddDate(0, 0, 20)) || !r.chance(0.16) {
			continue
		}
		at := p.t0.Add(-r.days(1, 10))
		shares := func(q *person) bool {
			return q != p && !q.t0.After(at.Add(-24*time.Hour)) &&
				((q.crm != nil && p.crm != nil) || (q.wx != nil && p.wx != nil))
		}
		var ref *person
		if p.wx != nil && len(g.influencers) > 0 && r.chance(0.15) {
			if q := pick(r, g.influencers); shares(q) {
				ref = q
			}
		}
		for try := 0; ref == nil && try < 30; try++ {
			pool := byCity[p.cityEN]
			if try >= 20 || len(pool) < 2 {
				pool = buyers
			}
			if q := pick(r, pool); shares(q) {
				ref = q
			}
		}
		if ref == nil {
			continue
		}
		p.referrer, p.referredAt = ref, at
		if ref.crm != nil && p.crm != nil {
			g.addTie("crm", ref, p, "referred", at, 0)
		}
		if ref.wx != nil && p.wx != nil {
			g.addTie("wechat", ref, p, "referred", at, 0)
		}
	}
}

type follow struct {
	who *person
	inf *person
	t   time.Time
}

// makeSocialGraph builds the WeChat graph: follows by preferential attachment with
// city communities, influencers with hundreds of followers, shares and mentions.
func (g *gen) makeSocialGraph() {
	r := newRNG(g.seed, 8)
	var wx []*person
	for _, p := range g.people {
		if p.wx != nil {
			wx = append(wx, p)
		}
	}
	sortByTime(wx, func(x *person) time.Time { return x.wx.created })
	neighbours := map[*person][]*person{}
	link := func(a, b *person) {
		neighbours[a] = append(neighbours[a], b)
		neighbours[b] = append(neighbours[b], a)
	}
	followAt := func(a, b *person) time.Time {
		return g.clock(r, r.timeIn(maxTime(maxTime(a.wx.created, b.wx.created), g.start.AddDate(-1, 0, 0)), g.end), a.zone, webHours)
	}
	// Referrals made earlier are friendships too.
	for _, t := range g.ties {
		if t.src == "wechat" {
			link(t.from, t.to)
			if g.addTie("wechat", t.to, t.from, "follows", t.t.Add(r.days(0, 3)), 0) {
				g.addTie("wechat", t.from, t.to, "follows", t.t.Add(r.days(0, 5)), 0)
			}
		}
	}
	infW := make([]float64, len(g.influencers))
	for i := range infW {
		infW[i] = 1 / math.Pow(float64(i)+1, 0.7)
	}
	r.r.Shuffle(len(infW), func(i, j int) { infW[i], infW[j] = infW[j], infW[i] })
	var infPick *weighted
	if len(infW) > 0 {
		infPick = newWeighted(infW)
	}
	cityUrn := map[string][]*person{}
	var urn []*person
	for _, u := range wx {
		if infPick != nil {
			for k := r.poisson(1.4); k > 0; k-- {
				inf := g.influencers[infPick.pick(r)]
				t := followAt(u, inf)
				if g.addTie("wechat", u, inf, "follows", t, 0) {
					g.follows = append(g.follows, follow{u, inf, t})
				}
			}
		}
		for k := 1 + r.poisson(0.8); k > 0; k-- {
			var v *person
			if c := cityUrn[u.cityEN]; len(c) > 0 && r.chance(0.75) {
				v = pick(r, c)
			} else if len(urn) > 0 {
				v = pick(r, urn)
			}
			if v == nil || v == u {
				continue
			}
			if g.addTie("wechat", u, v, "follows", followAt(u, v), 0) {
				link(u, v)
				cityUrn[v.cityEN] = append(cityUrn[v.cityEN], v)
				urn = append(urn, v)
				if r.chance(0.45) {
					g.addTie("wechat", v, u, "follows", followAt(u, v), 0)
				}
			}
		}
		cityUrn[u.cityEN] = append(cityUrn[u.cityEN], u)
		urn = append(urn, u)
	}
	// Shares and mentions run along friendships.
	for _, u := range wx {
		ns := neighbours[u]
		if len(ns) == 0 {
			continue
		}
		for k := r.poisson(0.6); k > 0; k-- {
			v := pick(r, ns)
			g.addTie("wechat", u, v, "shared", followAt(u, v), 1+r.poisson(1.2))
		}
		for k := r.poisson(0.35); k > 0; k-- {
			v := pick(r, ns)
			g.addTie("wechat", u, v, "mentioned", followAt(u, v), 1+r.poisson(0.6))
		}
	}
	// Influencers mention each other.
	for _, a := range g.influencers {
		for k := r.poisson(2); k > 0; k-- {
			b := pick(r, g.influencers)
			g.addTie("wechat", a, b, "mentioned", followAt(a, b), 1+r.poisson(2))
		}
	}
}

// makeInfluencerPosts writes the influencers' WeChat posts; a post that features a
// product nudges followers who saw it to buy that product.
func (g *gen) makeInfluencerPosts() {
	r := newRNG(g.seed, 10)
	featured := map[*person][]*product{}
	for _, inf := range g.influencers {
		var fs []*product
		for range 6 {
			ci := inf.affinity.pick(r)
			fs = append(fs, g.cat.byCat[ci][g.cat.popular[ci].pick(r)])
		}
		featured[inf] = fs
		for k := 25 + r.poisson(30); k > 0; k-- {
			ps := &post{p: inf, t: g.clock(r, r.timeIn(maxTime(inf.wx.created, g.start), g.end), inf.zone, webHours), sent: sentPos}
			if r.chance(0.75) {
				ps.prod = pick(r, fs)
			}
			if r.chance(0.1) {
				ps.sent = sentMix
			}
			g.posts = append(g.posts, ps)
		}
	}
	sortByTime(g.posts, func(x *post) time.Time { return x.t })
	byInf := map[*person][]*post{}
	for _, ps := range g.posts {
		if ps.prod != nil {
			byInf[ps.p] = append(byInf[ps.p], ps)
		}
	}
	for _, f := range g.follows {
		for _, ps := range byInf[f.inf] {
			if ps.t.After(f.t) {
				f.who.seen = append(f.who.seen, seenPost{ps.t, ps.prod})
			}
		}
	}
	for _, p := range g.people {
		sortByTime(p.seen, func(x seenPost) time.Time { return x.t })
	}
}
