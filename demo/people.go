package demo

import (
	"fmt"
	"math"
	"strings"
	"time"
)

type person struct {
	idx     int
	id      string
	country string
	zone    *time.Location
	chinese bool // a name in Chinese characters
	lang    string
	family  string
	given   string
	// Romanised name parts: pinyin for Chinese names, ASCII-folded Latin otherwise.
	familyPY, givenPY string
	gender            string
	birth             time.Time
	city              *cnCity // nil abroad
	cityEN            string
	addr              address
	oldAddr           *address // the address before a move
	moveAt            time.Time
	email, email2     string
	phone             phone
	loyalty           string
	hasKids           bool
	affinity          *weighted // over categories

	inCRM, inPOS, inWeb, inWx bool
	homeStore                 *store
	household                 *person // the member whose e-mail this person shares
	crmDup                    int     // 0, dupSignup or dupMoved

	// Behaviour.
	buyer, vip, existing bool
	since                time.Time // first contact with the company
	t0                   time.Time // acquisition: first purchase, or start for existing customers
	lambda               float64   // purchases a year while active
	pDrop                float64   // chance of dropping out after each purchase
	sat                  float64   // latent satisfaction, standard normal
	posPref              float64   // share of purchases made in store when both channels are open
	appUser              bool
	dropAt               time.Time // time of the last purchase before dropping out
	referrer             *person
	referredAt           time.Time
	influencer           bool
	seen                 []seenPost // influencer posts with a SKU this person saw
	orders               []*order

	crm []*crmRec
	pos []*posRec
	web *webRec
	wx  *wxRec
}

const (
	dupSignup = 1
	dupMoved  = 2
)

func (p *person) fullName() string {
	if p.chinese {
		return p.family + p.given
	}
	return p.given + " " + p.family
}

func (p *person) age(at time.Time) int { return int(at.Sub(p.birth).Hours() / (24 * 365.25)) }

var surnameWeights = func() *weighted {
	ws := make([]float64, len(cnSurnames))
	for i := range ws {
		ws[i] = 1 / math.Pow(float64(i)+2, 0.9)
	}
	return newWeighted(ws)
}()

func (g *gen) makePeople() {
	r := newRNG(g.seed, 2)
	for i := range g.cfg.People {
		p := &person{idx: i, id: fmt.Sprintf("P%05d", i+1)}
		switch x := r.f(); {
		case x < 0.88:
			p.country = "CN"
		case x < 0.92:
			p.country = "US"
		case x < 0.95:
			p.country = "GB"
		case x < 0.98:
			p.country = "SG"
		default:
			p.country = "HK"
		}
		p.gender = "male"
		if r.chance(0.58) {
			p.gender = "female"
		}
		year := min(max(int(math.Round(1988+10.5*r.norm())), 1950), 2006)
		p.birth = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.n(365))
		chineseShare := map[string]float64{"CN": 0.77, "HK": 0.5, "SG": 0.45, "US": 0.12, "GB": 0.1}[p.country]
		p.chinese = r.chance(chineseShare)
		g.name(r, p)
		p.lang = "en"
		if p.chinese {
			zh := map[string]float64{"CN": 0.9, "HK": 0.6, "SG": 0.5, "US": 0.4, "GB": 0.4}[p.country]
			if r.chance(zh) {
				p.lang = "zh"
			}
		}
		if p.country == "CN" {
			p.city = cnCities[cnCityWeights.pick(r)]
			p.cityEN = p.city.en
			p.addr = cnAddress(r, p.city)
			p.zone = zoneCN
			p.phone = g.uniquePhone(r, "CN", nil)
		} else {
			p.addr, p.zone = overseasAddress(r, p.country)
			p.cityEN = p.addr.city
			var areas []string
			for _, c := range usCities {
				if c.city == p.addr.city {
					areas = c.areas
				}
			}
			p.phone = g.uniquePhone(r, p.country, areas)
		}
		if r.chance(0.08) { // moved during the history
			old := p.addr
			if p.city != nil {
				old = cnAddress(r, p.city)
				if r.chance(0.2) {
					old = cnAddress(r, cnCities[cnCityWeights.pick(r)])
				}
			} else {
				old, _ = overseasAddress(r, p.country)
			}
			p.oldAddr = &old
			p.moveAt = r.timeIn(g.start.AddDate(0, 1, 0), g.end.AddDate(0, -1, 0))
		}
		age := p.age(g.start)
		p.hasKids = age >= 27 && age <= 48 && r.chance(0.45)
		p.affinity = g.affinity(r, p)

		// Source memberships.
		storeCity := p.city != nil && len(p.city.stores) > 0
		young := 1.0
		if year >= 1985 {
			young = 1.15
		} else if year < 1970 {
			young = 0.7
		}
		switch {
		case storeCity:
			p.inPOS = r.chance(0.7)
			p.inWeb = r.chance(0.55 * young)
			p.inWx = r.chance(0.45 * young)
		case p.country == "CN":
			p.inPOS = r.chance(0.12)
			p.inWeb = r.chance(0.75 * young)
			p.inWx = r.chance(0.45 * young)
		case p.country == "HK" || p.country == "SG":
			p.inPOS = r.chance(0.06)
			p.inWeb = r.chance(0.85)
			p.inWx = r.chance(0.3)
		default:
			p.inPOS = r.chance(0.04)
			p.inWeb = r.chance(0.85)
			p.inWx = r.chance(0.12)
		}
		p.inCRM = r.chance(0.85)
		if !p.inCRM && !p.inPOS && !p.inWeb && !p.inWx {
			if r.chance(0.5) {
				p.inCRM = true
			} else {
				p.inWeb = true
			}
		}
		if p.inPOS {
			if storeCity {
				p.homeStore = pick(r, p.city.stores)
			} else {
				p.homeStore = pick(r, cnCities[0].stores) // visitors shop at the Shanghai stores
			}
		}
		p.email = g.makeEmail(r, p)
		if p.inCRM {
			p.loyalty = g.unique(func() string { return "LY" + r.digits(8) })
		}
		p.appUser = r.chance(0.5)
		g.people = append(g.people, p)
	}
}

func (g *gen) name(r *rng, p *person) {
	if p.chinese {
		s := cnSurnames[surnameWeights.pick(r)]
		p.family, p.familyPY = s.ch, s.py
		n := 2
		if r.chance(0.22) || (p.birth.Year() < 1970 && r.chance(0.3)) {
			n = 1
		}
		var gv, py strings.Builder
		var prev, prevPY string
		for k := 0; k < n; k++ {
			var c cnName
			for {
				c = pick(r, cnGiven)
				if (c.g == 'n' || (c.g == 'f') == (p.gender == "female")) && c.ch != prev {
					break
				}
			}
			if k == 1 && r.chance(0.04) { // 婷婷, 明明
				gv.WriteString(prev)
				py.WriteString(prevPY)
				break
			}
			gv.WriteString(c.ch)
			py.WriteString(c.py)
			prev, prevPY = c.ch, c.py
		}
		p.given, p.givenPY = gv.String(), py.String()
		return
	}
	if p.gender == "female" {
		p.given = pick(r, latinGivenF)
	} else {
		p.given = pick(r, latinGivenM)
	}
	if (p.country == "SG" || p.country == "HK") && r.chance(0.7) {
		p.family = pick(r, asianFamily)
	} else {
		p.family = pick(r, latinFamily)
	}
	p.givenPY, p.familyPY = asciiFold(p.given), asciiFold(p.family)
}

func (g *gen) affinity(r *rng, p *person) *weighted {
	ws := []float64{0.35, 0.15, 0.15, 0.17, 0.12, 0.06}
	if p.gender == "female" {
		ws[catApparel] *= 1.2
		ws[catBeauty] *= 1.8
	} else {
		ws[catBeauty] *= 0.3
		ws[catShoes] *= 1.2
	}
	if p.hasKids {
		ws[catKids] *= 6
	} else {
		ws[catKids] *= 0.3
	}
	if p.birth.Year() < 1975 {
		ws[catHome] *= 1.6
	}
	for i := range ws {
		ws[i] *= r.gamma(2, 0.5)
	}
	return newWeighted(ws)
}

func (g *gen) unique(mk func() string) string {
	for {
		s := mk()
		if !g.used[s] {
			g.used[s] = true
			return s
		}
	}
}

func (g *gen) uniquePhone(r *rng, country string, areas []string) phone {
	for {
		ph := newPhone(r, country, areas)
		if k := ph.cc + ph.nsn; !g.used[k] {
			g.used[k] = true
			return ph
		}
	}
}

var cnDomains = []string{"qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "icloud.com", "sina.com", "foxmail.com"}
var cnDomainWeights = newWeighted([]float64{35, 25, 10, 5, 5, 10, 5, 5})
var intlDomains = []string{"gmail.com", "outlook.com", "icloud.com", "yahoo.com", "hotmail.com"}
var intlDomainWeights = newWeighted([]float64{50, 18, 18, 8, 6})

// makeEmail makes a personal address from the name, unique across everyone.
func (g *gen) makeEmail(r *rng, p *person) string {
	var domain string
	if p.country == "CN" && (p.chinese || r.chance(0.3)) {
		domain = cnDomains[cnDomainWeights.pick(r)]
	} else {
		domain = intlDomains[intlDomainWeights.pick(r)]
	}
	yy := fmt.Sprintf("%02d", p.birth.Year()%100)
	gp, fp := p.givenPY, p.familyPY
	initials := func() string {
		if !p.chinese {
			return gp[:1] + fp
		}
		var b strings.Builder
		b.WriteString(fp[:1])
		for _, c := range []rune(p.given) {
			for _, n := range cnGiven {
				if n.ch == string(c) {
					b.WriteString(n.py[:1])
					break
				}
			}
		}
		return b.String()
	}
	for attempt := 0; ; attempt++ {
		var local string
		if domain == "qq.com" && r.chance(0.6) {
			local = fmt.Sprint(r.between(1, 9)) + r.digits(r.between(5, 9))
		} else {
			switch r.n(7) {
			case 0:
				local = fp + gp
			case 1:
				local = gp + "." + fp
			case 2:
				local = initials() + fmt.Sprint(p.birth.Year())
			case 3:
				local = fp + "_" + gp
			case 4:
				local = gp + fp + yy
			case 5:
				local = gp + fmt.Sprint(r.between(1, 999))
			default:
				local = fp + "." + gp
			}
		}
		if attempt > 2 {
			local += fmt.Sprint(r.between(1, 9999))
		}
		e := local + "@" + domain
		if !g.used[e] {
			g.used[e] = true
			return e
		}
	}
}

// makeHouseholds pairs people of the same city: the second uses the first's e-mail
// address in the CRM and lives at the same address.
func (g *gen) makeHouseholds() {
	r := newRNG(g.seed, 3)
	want := int(math.Round(float64(len(g.people)) * 0.01))
	byCity := map[string][]*person{}
	var cities []string
	for _, i := range r.r.Perm(len(g.people)) {
		p := g.people[i]
		if !p.inCRM {
			continue
		}
		if _, ok := byCity[p.cityEN]; !ok {
			cities = append(cities, p.cityEN)
		}
		byCity[p.cityEN] = append(byCity[p.cityEN], p)
	}
	made := 0
	for made < want {
		progress := false
		for _, c := range cities {
			ps := byCity[c]
			if len(ps) < 2 || made >= want {
				continue
			}
			a, b := ps[0], ps[1]
			byCity[c] = ps[2:]
			b.household = a
			b.addr = a.addr
			b.oldAddr, b.moveAt = a.oldAddr, a.moveAt
			if a.chinese && b.chinese && r.chance(0.4) { // a child takes the family name
				b.family, b.familyPY = a.family, a.familyPY
			}
			made++
			progress = true
		}
		if !progress {
			break
		}
	}
}

// makeBehaviour draws each person's purchase process and acquisition date.
func (g *gen) makeBehaviour() {
	r := newRNG(g.seed, 4)
	span := g.end.Sub(g.start)
	for _, p := range g.people {
		p.sat = r.norm()
		p.posPref = r.beta(2, 2)
		if !(p.inPOS || p.inWeb) || !r.chance(0.93) {
			// Prospects and lapsed-long-ago members: known, but no purchase in the history.
			p.since = r.timeIn(g.start.AddDate(-3, 0, 0), g.end.Add(-24*time.Hour))
			continue
		}
		p.buyer = true
		p.vip = r.chance(0.03)
		if p.vip {
			p.lambda = r.uniform(20, 50)
		} else {
			p.lambda = 0.6 + r.gamma(1.8, 3.1)
		}
		p.pDrop = min(r.beta(1.2, 30)*math.Exp(-0.6*p.sat), 0.6)
		if p.vip {
			p.pDrop /= 3
		}
		if r.chance(0.45) {
			p.existing = true
			p.t0 = g.start
			p.since = r.timeIn(g.start.AddDate(-4, 0, 0), g.start.Add(-24*time.Hour))
		} else {
			u := math.Pow(r.f(), 0.8) // acquisitions grow over time
			p.t0 = g.start.Add(time.Duration(u * float64(max(span-14*24*time.Hour, 0)))).Truncate(time.Second)
			p.since = p.t0
		}
	}
}
