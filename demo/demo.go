// Package demo generates a deterministic, realistic company for the customer data
// platform to load: "Maison Lin", a Shanghai fashion and home retailer with twenty stores
// in Chinese cities, a web shop and app that also sells to the US, the UK, Singapore and
// Hong Kong, a CRM with a loyalty programme, and a WeChat presence.
//
// The same people appear in the four source systems, each with that system's habits:
// ids in its own style, phones written its own way, names shortened, typed with typos,
// e-mails in other cases or replaced by a second address, a few duplicate sign-ups and
// shared family e-mails. Their behaviour carries the signals that the platform's models
// look for: purchases follow a heterogeneous BG/NBD-like process with dropout, browsing
// fades before a customer lapses, unhappy customers lapse more and say so, a handful of
// WeChat influencers gather hundreds of followers and move products, and referred friends
// buy. A small, known fraction of records is deliberately invalid.
//
// Generate returns the records with the ground truth that produced them; WriteFiles
// writes them as NDJSON files, one per source and kind.
package demo

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Config sets the size and span of the generated company. Zero fields take defaults.
type Config struct {
	Seed   uint64    // default 42
	People int       // default 10000
	Start  time.Time // first day of history, default 2025-01-01
	End    time.Time // last day of history, default 2026-06-30 (18 months)
}

// DefaultEnd is the last day of the demo's history unless configured.
var DefaultEnd = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// Dataset is the generated company: batches per source and kind, plus the ground truth.
type Dataset struct {
	Sources []SourceData // in load order: "crm", "pos", "web", "wechat"
	Truth   Truth
}

// SourceData is what one source system sends. Records refer to customer records of the
// same source by source_id.
type SourceData struct {
	Source    string
	Customers []cdp.CustomerRecord
	Orders    []cdp.OrderRecord
	Events    []cdp.EventRecord
	Feedback  []cdp.FeedbackRecord
	Social    []cdp.SocialRecord
	Consents  []cdp.ConsentRecord
}

// Truth is what the generator knows and the platform has to find out.
type Truth struct {
	// Person id (e.g. "P00042") for every customer source record, keyed "source:source_id".
	RecordPerson map[string]string `json:"record_person"`
	// People who bought in the history (an order not cancelled) but not in its last
	// 120 days.
	Lapsed []string `json:"lapsed"`
	// People whose WeChat accounts gather hundreds of followers.
	Influencers []string `json:"influencers"`
	// Per person with orders: the number of order records, of any status.
	Orders map[string]int `json:"orders"`
	// Groups of customer records ("source:source_id") that share an e-mail address
	// because a household shares it: a merge on e-mail would be wrong.
	SharedEmails [][]string `json:"shared_emails"`
	// Records made invalid on purpose, as "source:kind:source_id": a bad e-mail, an
	// impossible birth date, a phone too short, an unknown currency, a negative
	// quantity, a rating out of range.
	Invalid []string `json:"invalid"`
	// Which of each person's records carry evidence that they are one person: the pairs
	// that any method can link from the records (see Evidence).
	Evidence Evidence `json:"evidence"`
}

// Source returns the data of the named source, or nil.
func (ds *Dataset) Source(name string) *SourceData {
	for i := range ds.Sources {
		if ds.Sources[i].Source == name {
			return &ds.Sources[i]
		}
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Seed == 0 {
		c.Seed = 42
	}
	if c.People <= 0 {
		c.People = 10000
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if c.End.IsZero() {
		c.End = DefaultEnd
	}
	if c.End.Before(c.Start) {
		c.End = c.Start
	}
	return c
}

type gen struct {
	cfg        Config
	seed       uint64
	start, end time.Time // the history is [start, end), in Shanghai days
	cat        *catalog
	people     []*person
	used       map[string]bool // ids, e-mails and phones handed out

	influencers []*person
	ties        []*tie
	tieSet      map[string]bool
	follows     []follow
	posts       []*post
	orders      []*order
	events      []*event
	feedback    []*feedback
	consents    []*consent
}

// Generate builds the company described by cfg. The same cfg gives the same dataset.
func Generate(cfg Config) *Dataset {
	_, ds := generate(cfg)
	return ds
}

func generate(cfg Config) (*gen, *Dataset) {
	cfg = cfg.withDefaults()
	g := &gen{
		cfg:    cfg,
		seed:   cfg.Seed,
		start:  time.Date(cfg.Start.Year(), cfg.Start.Month(), cfg.Start.Day(), 0, 0, 0, 0, zoneCN),
		end:    time.Date(cfg.End.Year(), cfg.End.Month(), cfg.End.Day()+1, 0, 0, 0, 0, zoneCN),
		used:   map[string]bool{},
		tieSet: map[string]bool{},
	}
	g.cat = newCatalog(newRNG(g.seed, 1), 50)
	g.makePeople()
	g.makeHouseholds()
	g.makeBehaviour()
	g.makeSourceRecords()
	g.makeInfluencers()
	g.makeReferrals()
	g.makeSocialGraph()
	g.makeInfluencerPosts()
	g.makeOrders()
	g.makeEvents()
	g.makeFeedback()
	g.makeConsents()
	g.makeWeChatLogins()
	return g, g.build()
}

// WriteFiles writes dir/<source>/<kind>.ndjson for every non-empty kind of every source,
// one JSON object per line, and dir/truth.json. It returns the NDJSON files in load
// order (sources in order, kinds in cdp.RecordKinds order); truth.json is not among
// them, as it is not for loading.
func WriteFiles(ds *Dataset, dir string) ([]string, error) {
	var files []string
	for _, s := range ds.Sources {
		for _, k := range cdp.RecordKinds {
			var n int
			var write func(*json.Encoder) error
			switch k {
			case cdp.KindCustomers:
				n, write = len(s.Customers), encodeAll(s.Customers)
			case cdp.KindOrders:
				n, write = len(s.Orders), encodeAll(s.Orders)
			case cdp.KindEvents:
				n, write = len(s.Events), encodeAll(s.Events)
			case cdp.KindFeedback:
				n, write = len(s.Feedback), encodeAll(s.Feedback)
			case cdp.KindSocial:
				n, write = len(s.Social), encodeAll(s.Social)
			case cdp.KindConsents:
				n, write = len(s.Consents), encodeAll(s.Consents)
			}
			if n == 0 {
				continue
			}
			path := filepath.Join(dir, s.Source, string(k)+".ndjson")
			if err := writeFile(path, write); err != nil {
				return files, err
			}
			files = append(files, path)
		}
	}
	err := writeFile(filepath.Join(dir, "truth.json"), func(e *json.Encoder) error {
		e.SetIndent("", " ")
		return e.Encode(ds.Truth)
	})
	return files, err
}

func encodeAll[T any](rows []T) func(*json.Encoder) error {
	return func(e *json.Encoder) error {
		for i := range rows {
			if err := e.Encode(&rows[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

func writeFile(path string, write func(*json.Encoder) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	e := json.NewEncoder(w)
	e.SetEscapeHTML(false)
	if err := write(e); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fmtTime(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.RFC3339) }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// build turns the simulated company into source records and the truth.
func (g *gen) build() *Dataset {
	r := newRNG(g.seed, 15)
	crm, pos, web, wx := &SourceData{Source: "crm"}, &SourceData{Source: "pos"}, &SourceData{Source: "web"}, &SourceData{Source: "wechat"}
	truth := Truth{RecordPerson: map[string]string{}, Orders: map[string]int{}, Lapsed: []string{}, Influencers: []string{}, SharedEmails: [][]string{}}
	invalid := map[string]bool{}
	var written []evidenceRecord
	addCustomer := func(sd *SourceData, p *person, rec cdp.CustomerRecord) {
		broken := r.chance(0.006) && breakCustomer(r, &rec)
		if broken {
			invalid[sd.Source+":customers:"+rec.SourceID] = true
		}
		sd.Customers = append(sd.Customers, rec)
		truth.RecordPerson[sd.Source+":"+rec.SourceID] = p.id
		written = append(written, evidenceRecord{key: sd.Source + ":" + rec.SourceID, p: p, rec: &rec, invalid: broken})
	}
	for _, p := range g.people {
		for _, c := range p.crm {
			addCustomer(crm, p, g.crmCustomer(r, c))
		}
		for _, c := range p.pos {
			addCustomer(pos, p, g.posCustomer(r, c))
		}
		if p.web != nil {
			addCustomer(web, p, g.webCustomer(r, p.web))
		}
		if p.wx != nil {
			addCustomer(wx, p, g.wxCustomer(r, p.wx))
		}
	}
	for _, sd := range []*SourceData{crm, pos, web, wx} {
		sort.Slice(sd.Customers, func(i, j int) bool { return sd.Customers[i].SourceID < sd.Customers[j].SourceID })
	}

	pos.Orders = make([]cdp.OrderRecord, 0, len(g.orders))
	web.Orders = make([]cdp.OrderRecord, 0, len(g.orders))
	for _, o := range g.orders {
		rec := cdp.OrderRecord{SourceID: o.id, Currency: o.currency, Status: o.status, Channel: o.channel}
		var total int64
		for i, it := range o.items {
			q := it.qty
			if o.invalid == "quantity" && i == 0 {
				q = -1
			}
			up := unitPrice(it.prod, o.currency)
			total += int64(q) * up
			rec.Items = append(rec.Items, cdp.OrderItemRecord{SKU: it.prod.sku, Name: it.prod.name, Category: categories[it.prod.cat],
				Quantity: itoa(q), UnitPrice: money(up)})
		}
		rec.Total = money(total)
		if o.invalid == "currency" {
			rec.Currency = "XYZ"
		}
		sd := web
		if o.src == "pos" {
			sd = pos
			rec.CustomerSourceID, rec.StoreID, rec.OrderedAt = o.pos.id, o.store.id, fmtTime(o.t, zoneCN)
		} else {
			rec.CustomerSourceID, rec.OrderedAt = o.p.web.id, fmtTime(o.t, o.p.zone)
		}
		if o.invalid != "" {
			invalid[sd.Source+":orders:"+rec.SourceID] = true
		}
		sd.Orders = append(sd.Orders, rec)
		truth.Orders[o.p.id]++
	}

	web.Events = make([]cdp.EventRecord, 0, len(g.events))
	for _, e := range g.events {
		web.Events = append(web.Events, cdp.EventRecord{SourceID: e.id, CustomerSourceID: e.p.web.id, Type: e.typ,
			OccurredAt: fmtTime(e.t, e.p.zone), Channel: e.channel, SKU: e.sku, Query: e.query, URL: e.target, SessionID: e.session})
	}

	for _, f := range g.feedback {
		rec := cdp.FeedbackRecord{SourceID: f.id, Kind: f.kind, Channel: f.channel, Text: f.text, Status: f.status, SKU: f.sku}
		var sd *SourceData
		switch f.src {
		case "crm":
			sd, rec.CustomerSourceID, rec.CreatedAt = crm, f.crm.id, fmtTime(f.t, zoneCN)
		case "web":
			sd, rec.CustomerSourceID, rec.CreatedAt = web, f.p.web.id, fmtTime(f.t, f.p.zone)
		default:
			sd, rec.CustomerSourceID, rec.CreatedAt = wx, f.p.wx.id, fmtTime(f.t, zoneCN)
		}
		if f.hasRating {
			rating := f.rating
			if f.invalid {
				if f.kind == "review" {
					rating = pick(r, []int{0, 6})
				} else {
					rating = pick(r, []int{-1, 11})
				}
				invalid[sd.Source+":feedback:"+rec.SourceID] = true
			}
			rec.Rating = itoa(rating)
		}
		sd.Feedback = append(sd.Feedback, rec)
	}

	sortByTime(g.ties, func(x *tie) time.Time { return x.t })
	for _, t := range g.ties {
		rec := cdp.SocialRecord{Type: t.typ, OccurredAt: fmtTime(t.t, zoneCN)}
		if t.count > 0 {
			rec.Count = itoa(t.count)
		}
		if t.src == "crm" {
			rec.FromSourceID, rec.ToSourceID = t.from.crm[0].id, t.to.crm[0].id
			crm.Social = append(crm.Social, rec)
		} else {
			rec.FromSourceID, rec.ToSourceID = t.from.wx.id, t.to.wx.id
			wx.Social = append(wx.Social, rec)
		}
	}

	for _, c := range g.consents {
		rec := cdp.ConsentRecord{SourceID: c.id, CustomerSourceID: c.custID, Purpose: c.purpose, Granted: "false"}
		if c.granted {
			rec.Granted = "true"
		}
		if c.src == "crm" {
			rec.OccurredAt = fmtTime(c.t, zoneCN)
			crm.Consents = append(crm.Consents, rec)
		} else {
			rec.OccurredAt = fmtTime(c.t, c.p.zone)
			web.Consents = append(web.Consents, rec)
		}
	}

	// Truth.
	cutoff := g.end.AddDate(0, 0, -120)
	for _, p := range g.people {
		var last time.Time
		for _, o := range p.orders {
			if o.status != "cancelled" && o.t.After(last) {
				last = o.t
			}
		}
		if !last.IsZero() && last.Before(cutoff) {
			truth.Lapsed = append(truth.Lapsed, p.id)
		}
	}
	for _, p := range g.influencers {
		truth.Influencers = append(truth.Influencers, p.id)
	}
	byEmail := map[string][]string{}
	var emails []string
	for _, sd := range []*SourceData{crm, pos, web, wx} {
		for _, c := range sd.Customers {
			e := strings.ToLower(strings.TrimSpace(c.Email))
			if e == "" {
				continue
			}
			if _, ok := byEmail[e]; !ok {
				emails = append(emails, e)
			}
			byEmail[e] = append(byEmail[e], sd.Source+":"+c.SourceID)
		}
	}
	for _, e := range emails {
		keys := byEmail[e]
		people := map[string]bool{}
		for _, k := range keys {
			people[truth.RecordPerson[k]] = true
		}
		if len(people) > 1 {
			sort.Strings(keys)
			truth.SharedEmails = append(truth.SharedEmails, keys)
		}
	}
	sort.Slice(truth.SharedEmails, func(i, j int) bool { return truth.SharedEmails[i][0] < truth.SharedEmails[j][0] })
	truth.Invalid = sortedKeys(invalid)
	truth.Evidence = evidence(written)

	return &Dataset{Sources: []SourceData{*crm, *pos, *web, *wx}, Truth: truth}
}
