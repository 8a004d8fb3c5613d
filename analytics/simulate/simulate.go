// Package simulate draws customer histories from the story the purchase models tell, for
// tests and benchmarks: each customer buys at their own rate and may leave after any
// purchase (BG/NBD), spends around their own typical basket (Gamma-Gamma), browses while
// they are a customer and stops after leaving, and sometimes complains on the way out.
package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Company returns n customers' activity over the two years up to asOf. Every tenth is a
// prospect who never bought. A customer is sometimes tied to the one before (a friend).
// The same n and seed give the same company.
func Company(n int, seed uint64, asOf time.Time) []cdp.CustomerActivity {
	r := rand.New(rand.NewPCG(seed, 7))
	start := asOf.AddDate(-2, 0, 0)
	span := asOf.Sub(start)
	const day = float64(24 * time.Hour)
	acts := make([]cdp.CustomerActivity, n)
	for i := range acts {
		a := &acts[i]
		a.CustomerID = fmt.Sprintf("cus_%07d", i)
		a.CreatedAt = start
		if i%10 == 0 {
			continue
		}
		rate := Gamma(r, 0.8, 1/12.0) // purchases per day: about one every few weeks
		leave := 0.05 + 0.25*r.Float64()
		spend := Gamma(r, 3, 40)
		t := start.Add(time.Duration(r.Float64() * float64(span) * 0.8))
		end := asOf
		for !t.After(asOf) {
			a.Orders = append(a.Orders, cdp.OrderFact{At: t, Amount: fmt.Sprintf("%.2f", Gamma(r, 6, spend/6)), Currency: "CNY", Channel: "web"})
			if r.Float64() < leave {
				end = t
				break
			}
			t = t.Add(time.Duration(r.ExpFloat64() / rate * day))
		}
		for e := start; e.Before(asOf) && e.Before(end.AddDate(0, 1, 0)); e = e.Add(time.Duration(r.ExpFloat64() * 10 * day)) {
			a.Events = append(a.Events, e)
		}
		if end.Before(asOf) && r.Float64() < 0.3 {
			rating := 1
			a.Feedback = append(a.Feedback, cdp.FeedbackFact{At: end.Add(-48 * time.Hour), Kind: "complaint", Rating: &rating, Open: r.Float64() < 0.5})
		}
		if i > 1 && r.Float64() < 0.3 {
			a.Neighbours = append(a.Neighbours, acts[i-1].CustomerID)
		}
	}
	return acts
}

// Gamma draws from a gamma distribution (Marsaglia and Tsang, boosted for shape < 1).
func Gamma(r *rand.Rand, shape, scale float64) float64 {
	if shape < 1 {
		return Gamma(r, shape+1, scale) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if math.Log(r.Float64()) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v * scale
		}
	}
}

// Records are a simulated company as one source system would send it.
type Records struct {
	Customers []cdp.SourceRecord
	Orders    []cdp.Order
	Events    []cdp.Event
	Feedback  []cdp.Feedback
	Ties      []cdp.SocialTie
}

// AsRecords turns activity into source records of source: the activity's customer id
// becomes the source id, with a unique email so each resolves to its own customer.
func AsRecords(source string, acts []cdp.CustomerActivity) Records {
	var out Records
	for _, a := range acts {
		id := a.CustomerID
		out.Customers = append(out.Customers, cdp.SourceRecord{Source: source, SourceID: id, UpdatedAt: a.CreatedAt,
			Profile:     cdp.Profile{GivenName: "Sim", FamilyName: id, FullName: "Sim " + id, Email: id + "@sim.example"},
			Identifiers: []cdp.Identifier{{Type: cdp.IdentifierEmail, Value: id + "@sim.example"}}})
		for j, o := range a.Orders {
			out.Orders = append(out.Orders, cdp.Order{Source: source, SourceID: fmt.Sprintf("%s-o%d", id, j), CustomerSourceID: id,
				OrderedAt: o.At, Total: money(o.Amount, o.Currency), Status: "completed", Channel: o.Channel})
		}
		for j, e := range a.Events {
			out.Events = append(out.Events, cdp.Event{Source: source, SourceID: fmt.Sprintf("%s-e%d", id, j), CustomerSourceID: id,
				Type: "view", OccurredAt: e, Channel: "web"})
		}
		for j, f := range a.Feedback {
			status := "resolved"
			if f.Open {
				status = "open"
			}
			out.Feedback = append(out.Feedback, cdp.Feedback{Source: source, SourceID: fmt.Sprintf("%s-f%d", id, j), CustomerSourceID: id,
				Kind: f.Kind, CreatedAt: f.At, Rating: f.Rating, Status: status, Text: "not happy"})
		}
		for _, n := range a.Neighbours {
			out.Ties = append(out.Ties, cdp.SocialTie{Source: source, FromSourceID: id, ToSourceID: n, Type: "follows", OccurredAt: a.CreatedAt, Count: 1})
		}
	}
	return out
}

// money makes an exact amount of a two-decimal currency from its text.
func money(amount, currency string) cdp.Money {
	var units, cents int64
	fmt.Sscanf(amount, "%d.%d", &units, &cents)
	return cdp.Money{Amount: amount, Minor: units*100 + cents, Currency: currency}
}
