package demo

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"
)

type item struct {
	prod *product
	qty  int
}

type order struct {
	p        *person
	t        time.Time
	src      string // "pos" or "web"
	pos      *posRec
	store    *store
	channel  string
	currency string
	status   string
	items    []item
	dropout  bool // the last purchase before the customer dropped out
	id       string
	invalid  string // "currency" or "quantity" when deliberately broken
}

const year = 365.25 * 24 * float64(time.Hour)

// season is the demand multiplier on a day: Singles' Day, 618, year end, Chinese New Year.
func (g *gen) season(t time.Time) float64 {
	d := t.In(zoneCN)
	m := 1.0
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		m = 1.25
	}
	switch mo, day := d.Month(), d.Day(); {
	case mo == time.November && day == 11:
		m *= 3
	case mo == time.November && day < 11:
		m *= 1.8
	case mo == time.June && day <= 18:
		m *= 1.5
	case mo == time.December && day >= 15:
		m *= 1.3
	}
	for _, ny := range chineseNewYears {
		switch dd := d.Sub(ny).Hours() / 24; {
		case dd >= -14 && dd < 0:
			m *= 1.4
		case dd >= 0 && dd < 7:
			m *= 0.4
		}
	}
	return m
}

var chineseNewYears = []time.Time{
	time.Date(2024, 2, 10, 0, 0, 0, 0, zoneCN), time.Date(2025, 1, 29, 0, 0, 0, 0, zoneCN),
	time.Date(2026, 2, 17, 0, 0, 0, 0, zoneCN), time.Date(2027, 2, 6, 0, 0, 0, 0, zoneCN),
}

const seasonMax = 4.0

// nextPurchase draws the next purchase after from (a thinned Poisson process), or zero.
func (g *gen) nextPurchase(r *rng, lambda float64, from time.Time) time.Time {
	t := from
	for {
		t = t.Add(time.Duration(r.exp() / (lambda * seasonMax) * year))
		if !t.Before(g.end) {
			return time.Time{}
		}
		if r.f()*seasonMax < g.season(t) {
			return t
		}
	}
}

var posHours = newWeighted([]float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 6, 6, 7, 8, 8, 8, 9, 10, 8, 4, 0, 0})
var webHours = newWeighted([]float64{3, 1.5, 0.8, 0.4, 0.3, 0.3, 0.8, 2, 3, 4, 5, 5, 7, 6, 5, 5, 5, 5, 6, 7, 9, 10, 9, 6})

// retime moves t to a plausible time of day on the same local day.
func (g *gen) retime(r *rng, t time.Time, loc *time.Location, hours *weighted) time.Time {
	d := t.In(loc)
	nt := time.Date(d.Year(), d.Month(), d.Day(), hours.pick(r), r.n(60), r.n(60), 0, loc)
	if nt.Before(g.start) || !nt.Before(g.end) {
		return t
	}
	return nt
}

// clock moves t to a waking hour of the same local day, unless that leaves the history.
func (g *gen) clock(r *rng, t time.Time, loc *time.Location, hours *weighted) time.Time {
	d := t.In(loc)
	nt := time.Date(d.Year(), d.Month(), d.Day(), hours.pick(r), r.n(60), r.n(60), 0, loc)
	if !nt.Before(g.end) {
		return t
	}
	return nt
}

func (g *gen) makeOrders() {
	r := newRNG(g.seed, 11)
	for _, p := range g.people {
		if !p.buyer {
			continue
		}
		var times []time.Time
		dropped := false
		t := p.t0
		if p.existing {
			t = g.nextPurchase(r, p.lambda, g.start)
		}
		for !t.IsZero() {
			times = append(times, t)
			if r.chance(p.pDrop) {
				dropped = true
				break
			}
			t = g.nextPurchase(r, p.lambda, t)
		}
		for _, t := range times {
			o := &order{p: p, status: "completed"}
			if p.inPOS && (!p.inWeb || r.chance(p.posPref)) {
				o.src, o.channel, o.currency = "pos", "store", "CNY"
				o.store = p.homeStore
				if x := r.f(); x < 0.05 {
					o.store = pick(r, stores)
				} else if x < 0.18 && p.city != nil && len(p.city.stores) > 0 {
					o.store = pick(r, p.city.stores)
				}
				o.t = g.retime(r, t, zoneCN, posHours)
				o.pos = p.pos[0]
				for _, c := range p.pos[1:] {
					if c.store == o.store && !c.created.After(o.t) {
						o.pos = c
					}
				}
			} else {
				o.src, o.currency = "web", countryCurrency[p.country]
				o.channel = "web"
				if p.appUser && r.chance(0.75) {
					o.channel = "app"
				}
				if p.country == "CN" && r.chance(0.15) {
					o.channel = "mini_program"
				}
				o.t = g.retime(r, t, p.zone, webHours)
			}
			o.items = g.basket(r, p, o.t)
			p.orders = append(p.orders, o)
		}
		sortByTime(p.orders, func(x *order) time.Time { return x.t })
		if dropped && len(p.orders) > 0 {
			last := p.orders[len(p.orders)-1]
			last.dropout = true
			p.dropAt = last.t
		}
		for _, o := range p.orders {
			returned := 0.04 + 0.06*b2f(p.sat < -0.8) + 0.15*b2f(o.dropout)
			cancelled := 0.006
			if o.src == "web" {
				returned *= 1.6
				cancelled = 0.035
			}
			switch x := r.f(); {
			case x < cancelled:
				o.status = "cancelled"
			case x < cancelled+returned:
				o.status = "returned"
			}
			if r.chance(0.004) {
				o.invalid = "currency"
				if r.chance(0.5) {
					o.invalid = "quantity"
				}
			}
			g.orders = append(g.orders, o)
		}
	}
	sortByTime(g.orders, func(x *order) time.Time { return x.t })
	daySeq := map[string]int{}
	webSeq := 0
	for _, o := range g.orders {
		if o.src == "pos" {
			k := fmt.Sprintf("R%02d-%s", o.store.num, o.t.In(zoneCN).Format("20060102"))
			daySeq[k]++
			o.id = fmt.Sprintf("%s-%04d", k, daySeq[k])
		} else {
			webSeq++
			o.id = fmt.Sprintf("WO%08d", 10000000+webSeq)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var basketSizes = newWeighted([]float64{55, 27, 12, 6})
var quantities = newWeighted([]float64{85, 12, 3})

// basket picks the order's items: by the person's taste and the products' popularity,
// plus a product an influencer they follow featured in the last 30 days.
func (g *gen) basket(r *rng, p *person, t time.Time) []item {
	n := basketSizes.pick(r) + 1
	var items []item
	has := func(pr *product) bool {
		for _, it := range items {
			if it.prod == pr {
				return true
			}
		}
		return false
	}
	add := func(pr *product) {
		q := quantities.pick(r) + 1
		if pr.price > 800 {
			q = 1
		}
		items = append(items, item{pr, q})
	}
	for i := len(p.seen) - 1; i >= 0; i-- { // the latest post seen in the last two weeks
		s := p.seen[i]
		if s.t.After(t) {
			continue
		}
		if t.Sub(s.t) < 14*24*time.Hour && r.chance(0.15) {
			add(s.prod)
		}
		break
	}
	for tries := 0; len(items) < n && tries < 20; tries++ {
		ci := p.affinity.pick(r)
		pr := g.cat.byCat[ci][g.cat.popular[ci].pick(r)]
		if !has(pr) {
			add(pr)
		}
	}
	return items
}

type event struct {
	t                  time.Time
	p                  *person
	typ, channel       string
	sku, query, target string
	session            string
	id                 string
}

// engagement scales a person's browsing: it fades in the months before they drop out.
func (g *gen) engagement(p *person, t time.Time) float64 {
	const window = 150 * 24 * time.Hour
	if p.buyer && !p.existing && t.Before(p.t0) {
		return 0.5
	}
	if p.dropAt.IsZero() {
		return 1
	}
	if d := p.dropAt.Sub(t); d > window {
		return 1
	} else if d >= 0 {
		return 0.15 + 0.85*float64(d)/float64(window)
	}
	if t.Sub(p.dropAt) < 90*24*time.Hour {
		return 0.12
	}
	return 0.03
}

func (g *gen) makeEvents() {
	r := newRNG(g.seed, 12)
	const bound = 1.8
	for _, p := range g.people {
		if p.web == nil {
			continue
		}
		rate := 2.0
		if p.buyer {
			rate = min(0.8+0.35*p.lambda, 20)
		}
		t := maxTime(p.web.created, g.start)
		for {
			t = t.Add(time.Duration(r.exp() / (rate * bound) * year))
			if !t.Before(g.end) {
				break
			}
			s := g.engagement(p, t)
			if d := t.In(zoneCN); d.Month() == time.November && d.Day() <= 11 {
				s *= 1.8
			}
			if r.f()*bound < s {
				g.browse(r, p, g.retime(r, t, p.zone, webHours))
			}
		}
		for _, o := range p.orders {
			if o.src == "web" && r.chance(0.3) {
				g.checkout(r, p, o)
			}
		}
	}
	sortByTime(g.events, func(x *event) time.Time { return x.t })
	for i, e := range g.events {
		e.id = fmt.Sprintf("ev_%09d", i+1)
	}
}

func (g *gen) sessionChannel(r *rng, p *person) string {
	if p.appUser && r.chance(0.7) {
		return "app"
	}
	if p.country == "CN" && r.chance(0.1) {
		return "mini_program"
	}
	return "web"
}

func (g *gen) newSession(r *rng) string {
	return g.unique(func() string { return "s_" + r.hex(12) })
}

// step returns a gap between two events of a session.
func step(r *rng) time.Duration {
	return time.Duration(5+r.exp()*40) * time.Second
}

func (g *gen) emit(p *person, t time.Time, typ, channel, session string, prod *product, query string) {
	e := &event{t: t, p: p, typ: typ, channel: channel, session: session, query: query}
	if prod != nil {
		e.sku = prod.sku
	}
	base := "https://www.maisonlin.example"
	if channel != "web" {
		base = "maisonlin:/"
	}
	switch typ {
	case "view", "add_to_cart", "remove_from_cart":
		e.target = base + "/p/" + prod.sku
		if typ != "view" {
			e.target = base + "/cart"
		}
	case "search":
		e.target = base + "/search?q=" + url.QueryEscape(query)
	case "click":
		e.target = base + query
		e.query = ""
	case "login":
		e.target = base + "/account/login"
	case "checkout":
		e.target = base + "/checkout"
	}
	g.events = append(g.events, e)
}

var geomViews = newWeighted([]float64{30, 25, 18, 12, 8, 4, 3})

func (g *gen) browse(r *rng, p *person, t time.Time) {
	ch := g.sessionChannel(r, p)
	s := g.newSession(r)
	if r.chance(0.3) {
		g.emit(p, t, "login", ch, s, nil, "")
		t = t.Add(step(r))
	}
	ci := p.affinity.pick(r)
	if r.chance(0.4) {
		g.emit(p, t, "search", ch, s, nil, g.query(r, p, ci))
		t = t.Add(step(r))
	} else if r.chance(0.35) {
		target := "/c/" + categories[ci]
		if d := t.In(zoneCN); d.Month() == time.November && d.Day() <= 11 {
			target = "/promo/double11"
		}
		g.emit(p, t, "click", ch, s, nil, target)
		t = t.Add(step(r))
	}
	var viewed []*product
	for k := geomViews.pick(r) + 1; k > 0; k-- {
		pr := g.cat.byCat[ci][g.cat.popular[ci].pick(r)]
		if r.chance(0.2) {
			g.emit(p, t, "click", ch, s, nil, "/p/"+pr.sku+"?from=recommendation")
			t = t.Add(step(r))
		}
		g.emit(p, t, "view", ch, s, pr, "")
		viewed = append(viewed, pr)
		t = t.Add(step(r))
	}
	if r.chance(0.2) {
		pr := pick(r, viewed)
		g.emit(p, t, "add_to_cart", ch, s, pr, "")
		if r.chance(0.35) {
			g.emit(p, t.Add(step(r)), "remove_from_cart", ch, s, pr, "")
		}
	}
}

// checkout writes the tracked session that ended in web order o.
func (g *gen) checkout(r *rng, p *person, o *order) {
	type ev struct {
		typ  string
		prod *product
	}
	var evs []ev
	if r.chance(0.5) {
		evs = append(evs, ev{"login", nil})
	}
	for _, it := range o.items {
		evs = append(evs, ev{"view", it.prod}, ev{"add_to_cart", it.prod})
	}
	evs = append(evs, ev{"checkout", nil})
	t := o.t.Add(-10 * time.Second)
	times := make([]time.Time, len(evs))
	for i := len(evs) - 1; i >= 0; i-- {
		times[i] = t
		t = t.Add(-step(r))
	}
	if times[0].Before(g.start) {
		return
	}
	ch := o.channel
	s := g.newSession(r)
	for i, e := range evs {
		g.emit(p, times[i], e.typ, ch, s, e.prod, "")
	}
}

var genericQueries = map[string][]string{
	"zh": {"新品", "双十一", "礼物", "打折", "夏季新款", "冬季外套", "情侣款"},
	"en": {"sale", "new in", "gift ideas", "summer", "winter coat", "bestsellers"},
}

func (g *gen) query(r *rng, p *person, ci int) string {
	if r.chance(0.15) {
		return pick(r, genericQueries[p.lang])
	}
	n := pick(r, catNouns[ci])
	m := pick(r, catMods[ci])
	if p.lang == "zh" {
		if r.chance(0.5) {
			return m.zh + n.zh
		}
		return n.zh
	}
	q := strings.ToLower(n.en)
	if r.chance(0.4) {
		q = strings.ToLower(m.en) + " " + q
	}
	if r.chance(0.08) && len(q) > 5 { // typed in a hurry
		i := 1 + r.n(len(q)-3)
		q = q[:i] + q[i+1:]
	}
	return q
}

type feedback struct {
	src, kind string
	p         *person
	crm       *crmRec
	t         time.Time
	channel   string
	rating    int
	hasRating bool
	text      string
	status    string
	sku       string
	id        string
	invalid   bool
}

func clampRound(x float64, lo, hi int) int {
	return min(max(int(math.Round(x)), lo), hi)
}

func sentimentOf(rating, lo, hi int) string {
	switch {
	case rating >= hi:
		return sentPos
	case rating <= lo:
		return sentNeg
	default:
		return sentMix
	}
}

func (g *gen) slotsFor(r *rng, p *person, o *order, pr *product, lang string) slots {
	s := slots{days: r.between(3, 15), n: max(len(p.orders), 2), city: p.cityEN}
	if lang == "zh" && p.city != nil {
		s.city = p.city.zh
	}
	st := p.homeStore
	if o != nil && o.store != nil {
		st = o.store
	}
	if st == nil {
		st = stores[0]
	}
	s.store = st.name
	if lang == "en" {
		s.store = st.cityEN
	}
	if pr != nil {
		s.product = pr.nameEN
		if lang == "zh" {
			s.product = pr.nameZH
		}
	}
	return s
}

func (g *gen) makeFeedback() {
	r := newRNG(g.seed, 13)
	for _, o := range g.orders {
		p := o.p
		if o.status == "cancelled" {
			continue
		}
		returned := o.status == "returned"
		if o.src == "web" && r.chance(0.085+0.2*b2f(returned)) {
			t := g.clock(r, o.t.Add(r.days(2, 20)), p.zone, webHours)
			if t.Before(g.end) {
				rating := clampRound(4.1+0.8*p.sat+0.7*r.norm()-1.8*b2f(o.dropout)-1.5*b2f(returned), 1, 5)
				pr := pick(r, o.items).prod
				f := &feedback{src: "web", kind: "review", p: p, t: t, channel: o.channel, rating: rating, hasRating: true, sku: pr.sku}
				if r.chance(0.85) {
					topic := ""
					if returned {
						topic = pick(r, []string{"size", "quality"})
					}
					f.text = writeText(r, templates, templateIndex, p.lang, sentimentOf(rating, 2, 4), topic, g.slotsFor(r, p, o, pr, p.lang))
				}
				f.invalid = r.chance(0.005)
				g.feedback = append(g.feedback, f)
			}
		}
		if p.crm == nil {
			continue
		}
		if r.chance(0.028) {
			t := g.clock(r, o.t.Add(r.days(1, 7)), p.zone, webHours)
			if t.Before(g.end) {
				nps := clampRound(8+1.6*p.sat+1.4*r.norm()-3.5*b2f(o.dropout)-1.5*b2f(returned), 0, 10)
				f := &feedback{src: "crm", kind: "survey", p: p, crm: p.crmAt(t), t: t, rating: nps, hasRating: true,
					channel: pick(r, []string{"email", "email", "email", "sms", "wechat"})}
				if r.chance(0.55) {
					f.text = writeText(r, templates, templateIndex, p.lang, sentimentOf(nps, 6, 9), "", g.slotsFor(r, p, o, nil, p.lang))
				}
				f.invalid = r.chance(0.005)
				g.feedback = append(g.feedback, f)
			}
		}
		pc := 0.003 + 0.015*b2f(p.sat < -1) + 0.25*b2f(o.dropout && p.sat < 0.3) + 0.05*b2f(returned)
		if r.chance(pc) {
			t := g.clock(r, o.t.Add(r.days(1, 15)), p.zone, webHours)
			if t.Before(g.end) {
				pr := pick(r, o.items).prod
				ch := pick(r, []string{"phone", "email", "wechat"})
				if o.src == "pos" && r.chance(0.4) {
					ch = "store"
				}
				f := &feedback{src: "crm", kind: "complaint", p: p, crm: p.crmAt(t), t: t, channel: ch, sku: pr.sku,
					text:   writeText(r, templates, templateIndex, p.lang, sentNeg, "", g.slotsFor(r, p, o, pr, p.lang)),
					status: g.ticketStatus(r, t)}
				g.feedback = append(g.feedback, f)
			}
		}
		if r.chance(0.012) {
			t := g.clock(r, o.t.Add(r.days(1, 10)), p.zone, webHours)
			if t.Before(g.end) {
				pr := pick(r, o.items).prod
				sent := sentAsk
				if r.chance(0.3) {
					sent = sentNeg
				}
				f := &feedback{src: "crm", kind: "ticket", p: p, crm: p.crmAt(t), t: t,
					channel: pick(r, []string{"chat", "chat", "email", "phone"}),
					text:    writeText(r, templates, templateIndex, p.lang, sent, "", g.slotsFor(r, p, o, pr, p.lang)),
					status:  g.ticketStatus(r, t)}
				g.feedback = append(g.feedback, f)
			}
		}
	}
	// Tickets without an order: questions before buying.
	for _, p := range g.people {
		if p.crm != nil && r.chance(0.02) {
			t := g.clock(r, r.timeIn(maxTime(p.crm[0].created, g.start), g.end), p.zone, webHours)
			g.feedback = append(g.feedback, &feedback{src: "crm", kind: "ticket", p: p, crm: p.crmAt(t), t: t,
				channel: "chat", text: writeText(r, templates, templateIndex, p.lang, sentAsk, "", g.slotsFor(r, p, nil, nil, p.lang)),
				status: g.ticketStatus(r, t)})
		}
	}
	// WeChat posts: the influencers' and everybody else's.
	for _, ps := range g.posts {
		f := &feedback{src: "wechat", kind: "post", p: ps.p, t: ps.t, channel: "wechat",
			text: writeText(r, postTemplates, postIndex, ps.p.lang, ps.sent, "", g.slotsFor(r, ps.p, nil, ps.prod, ps.p.lang))}
		if ps.prod != nil {
			f.sku = ps.prod.sku
		}
		g.feedback = append(g.feedback, f)
	}
	for _, p := range g.people {
		if p.wx == nil || p.influencer {
			continue
		}
		for k := r.poisson(0.3); k > 0; k-- {
			f := &feedback{src: "wechat", kind: "post", p: p, channel: "wechat"}
			var pr *product
			var o *order
			if len(p.orders) > 0 && r.chance(0.6) {
				o = pick(r, p.orders)
				pr = pick(r, o.items).prod
				f.t = g.clock(r, o.t.Add(r.days(1, 5)), p.zone, webHours)
				f.sku = pr.sku
			} else {
				f.t = g.clock(r, r.timeIn(maxTime(p.wx.created, g.start), g.end), p.zone, webHours)
			}
			if !f.t.Before(g.end) {
				continue
			}
			sent := sentPos
			switch x := p.sat + 0.5*r.norm(); {
			case x < -1:
				sent = sentNeg
			case x < -0.3:
				sent = sentMix
			}
			f.text = writeText(r, postTemplates, postIndex, p.lang, sent, "", g.slotsFor(r, p, o, pr, p.lang))
			g.feedback = append(g.feedback, f)
		}
	}
	sortByTime(g.feedback, func(x *feedback) time.Time { return x.t })
	seq := map[string]int{}
	prefix := map[string]string{"crm": "FB%07d", "web": "RV%07d", "wechat": "MP%09d"}
	for _, f := range g.feedback {
		seq[f.src]++
		f.id = fmt.Sprintf(prefix[f.src], seq[f.src])
	}
}

func (g *gen) ticketStatus(r *rng, t time.Time) string {
	if g.end.Sub(t) < 21*24*time.Hour {
		if r.chance(0.6) {
			return "open"
		}
		return "resolved"
	}
	if r.chance(0.05) {
		return "open"
	}
	return "resolved"
}

type consent struct {
	src     string
	custID  string
	p       *person
	purpose string
	granted bool
	t       time.Time
	id      string
}

var purposes = []string{"email_marketing", "sms_marketing", "profiling", "partner_sharing"}

func (g *gen) makeConsents() {
	r := newRNG(g.seed, 14)
	for _, p := range g.people {
		for _, c := range p.crm {
			id := c.id
			granted := map[string]bool{}
			var given []string
			for i, pu := range purposes {
				if !r.chance([]float64{1, 0.85, 0.75, 0.5}[i]) {
					continue
				}
				v := r.chance([]float64{0.62, 0.45, 0.68, 0.2}[i])
				granted[pu] = v
				given = append(given, pu)
				g.consents = append(g.consents, &consent{src: "crm", custID: id, p: p, purpose: pu, granted: v, t: c.created.Add(time.Duration(i) * time.Second)})
			}
			if len(given) > 0 && r.chance(0.12) { // changed their mind
				pu := pick(r, given)
				t := g.clock(r, r.timeIn(maxTime(c.created, g.start).Add(24*time.Hour), g.end), p.zone, webHours)
				if t.Before(g.end) {
					g.consents = append(g.consents, &consent{src: "crm", custID: id, p: p, purpose: pu, granted: !granted[pu], t: t})
					granted[pu] = !granted[pu]
				}
			}
			if !p.dropAt.IsZero() && granted["email_marketing"] && r.chance(0.3) { // unsubscribed after leaving
				t := g.clock(r, p.dropAt.Add(r.days(30, 150)), p.zone, webHours)
				if t.Before(g.end) && t.After(c.created) {
					g.consents = append(g.consents, &consent{src: "crm", custID: id, p: p, purpose: "email_marketing", granted: false, t: t})
				}
			}
		}
		if w := p.web; w != nil {
			id := w.id
			for i, pu := range []string{"email_marketing", "profiling"} {
				v := r.chance([]float64{0.55, 0.7}[i])
				g.consents = append(g.consents, &consent{src: "web", custID: id, p: p, purpose: pu, granted: v, t: w.created.Add(time.Duration(i) * time.Second)})
				if r.chance(0.06) {
					t := g.clock(r, r.timeIn(maxTime(w.created, g.start).Add(24*time.Hour), g.end), p.zone, webHours)
					if t.Before(g.end) {
						g.consents = append(g.consents, &consent{src: "web", custID: id, p: p, purpose: pu, granted: !v, t: t})
					}
				}
			}
		}
	}
	sortByTime(g.consents, func(x *consent) time.Time { return x.t })
	seq := map[string]int{}
	for _, c := range g.consents {
		seq[c.src]++
		if c.src == "crm" {
			c.id = fmt.Sprintf("CS%07d", seq[c.src])
		} else {
			c.id = fmt.Sprintf("WC%07d", seq[c.src])
		}
	}
}
