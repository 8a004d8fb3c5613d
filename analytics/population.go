package analytics

import (
	"sort"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/clv"
)

// week is the time unit of the purchase models, as in the BG/NBD paper.
const week = 7 * 24 * time.Hour

// purchase is one purchase day: several orders on one calendar day are one purchase.
type purchase struct {
	day    time.Time
	amount float64 // reporting currency
	orders int
	// channel of the day's first order, for the channel mix.
	channel string
}

// subject is one customer's activity, prepared: purchases by day, sorted events.
type subject struct {
	id         string
	purchases  []purchase
	events     []time.Time
	feedback   []cdp.FeedbackFact
	neighbours []string
}

// population is the customers of one scoring run.
type population struct {
	s           *Settings
	subjects    []*subject
	byID        map[string]*subject
	unconverted int // orders left out: no exchange rate for their currency
	// lastOrder holds the latest purchase of neighbours outside the population (an
	// incremental run scores a few customers whose neighbours were not read).
	lastOrder map[string]time.Time
}

func newPopulation(acts []cdp.CustomerActivity, s *Settings) *population {
	p := &population{s: s, byID: make(map[string]*subject, len(acts))}
	for i := range acts {
		a := &acts[i]
		sub := &subject{id: a.CustomerID, feedback: a.Feedback, neighbours: a.Neighbours}
		sub.events = sortedTimes(append([]time.Time(nil), a.Events...))
		byDay := map[time.Time]*purchase{}
		for _, o := range a.Orders {
			amount, ok := s.convert(o.Amount, o.Currency)
			if !ok {
				p.unconverted++
				continue
			}
			d := s.day(o.At)
			if pu := byDay[d]; pu != nil {
				pu.amount += amount
				pu.orders++
				continue
			}
			byDay[d] = &purchase{day: d, amount: amount, orders: 1, channel: o.Channel}
		}
		for _, pu := range byDay {
			sub.purchases = append(sub.purchases, *pu)
		}
		sort.Slice(sub.purchases, func(i, j int) bool { return sub.purchases[i].day.Before(sub.purchases[j].day) })
		p.subjects = append(p.subjects, sub)
		p.byID[sub.id] = sub
	}
	sort.Slice(p.subjects, func(i, j int) bool { return p.subjects[i].id < p.subjects[j].id })
	return p
}

// transactions are the population's purchases up to cut, for the clv package (which
// collapses days again; here they already are one per day).
func (p *population) transactions(cut time.Time) []clv.Transaction {
	var tx []clv.Transaction
	for _, sub := range p.subjects {
		for _, pu := range sub.purchases {
			if pu.day.After(cut) {
				break
			}
			tx = append(tx, clv.Transaction{Customer: sub.id, At: pu.day, Amount: pu.amount})
		}
	}
	return tx
}

// lastPurchase is a customer's latest purchase day up to cut.
func (p *population) lastPurchase(id string, cut time.Time) (time.Time, bool) {
	if sub := p.byID[id]; sub != nil {
		var last time.Time
		for _, pu := range sub.purchases {
			if pu.day.After(cut) {
				break
			}
			last = pu.day
		}
		return last, !last.IsZero()
	}
	t, ok := p.lastOrder[id]
	if ok && t.After(cut) {
		return time.Time{}, false // only the latest is known; treat as not yet a buyer
	}
	return t, ok
}

// boughtBetween reports whether sub bought in (from, to].
func (sub *subject) boughtBetween(from, to time.Time) bool {
	for _, pu := range sub.purchases {
		if pu.day.After(from) && !pu.day.After(to) {
			return true
		}
	}
	return false
}

// purchasesUpTo returns the purchases on or before cut.
func (sub *subject) purchasesUpTo(cut time.Time) []purchase {
	n := sort.Search(len(sub.purchases), func(i int) bool { return sub.purchases[i].day.After(cut) })
	return sub.purchases[:n]
}

// eventsIn counts events in (from, to].
func (sub *subject) eventsIn(from, to time.Time) int {
	lo := sort.Search(len(sub.events), func(i int) bool { return sub.events[i].After(from) })
	hi := sort.Search(len(sub.events), func(i int) bool { return sub.events[i].After(to) })
	return hi - lo
}
