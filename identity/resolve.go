package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Resolution is a recomputation of connected components. Customers derive from facts kept
// in the graph: records sharing a trusted identifier, probabilistic matches, and an
// analyst's same-person / not-the-same-person decisions. Whenever records change, or a
// decision is made, the component(s) holding them are loaded, clustered (Cluster) and the
// customers adjusted: new ones created, merged ones absorbed, split ones divided, each
// change leaving an event. Incremental ingest and a full resolve run the same code, so
// they give the same customers.

// Resolver makes resolution's decisions under a set of rules.
type Resolver struct {
	Rules Rules
}

// NewResolver returns a resolver applying rules.
func NewResolver(rules Rules) *Resolver { return &Resolver{Rules: rules} }

// Plan is how a component's records map onto customers, and what must change for it.
type Plan struct {
	// Records are the component's people (placeholders left out), sorted.
	Records []string
	// Customer maps every record to its customer after the plan.
	Customer map[string]string
	// Clusters are the component's people, one per customer, by customer id.
	Clusters []ClusterPlan
	// Created are the customers the plan creates.
	Created []string
	// Moves are the records whose customer changes (or who get their first).
	Moves []Move
	// Merges are the customers left without records, absorbed by a survivor.
	Merges []Merge
	// Events are the identity events the changes leave.
	Events []Event
	// Golden are the golden records of every customer of the component.
	Golden []Golden
	// Conflicting are identifier keys held by records that are clearly different people.
	Conflicting []string
	// Applied are the links clustering applied: together they explain every cluster.
	Applied []Link
}

// ClusterPlan is one customer of a plan: its records and the applied links between them
// (kind, and score for probabilistic ones), strongest first.
type ClusterPlan struct {
	Customer string
	Records  []string
	Links    []Link
}

// Move gives a record its customer, with the rule and identifiers that put it there.
type Move struct {
	Record, Customer string
	Rule             string // a link kind, or "new" for a record alone
	Via              []string
}

// Merge says a customer's records all went to another.
type Merge struct {
	Absorbed, Survivor string
}

// Event is an identity event: a merge or a split.
type Event struct {
	ID, Kind        string
	Customer, Other string
	Reason          string
	Via             []string
	About           []string // the customers it is about
}

// Golden is a customer's golden record and what it derives from.
type Golden struct {
	Customer    string
	Profile     cdp.Profile
	Provenance  []cdp.Provenance
	Sources     []string
	RecordCount int
	SearchName  string
	Household   string // HouseholdKey of the profile, "" for none
	// Quality is how firmly the customer's records hold together, from every link between
	// two of them (not only the applied ones), written with the golden record.
	Quality Quality
}

// LinkPolicy is the policy the store follows when it gathers components.
func (r Rules) LinkPolicy() LinkPolicy {
	p := LinkPolicy{Trusted: r.TrustedTypes(), MaxRecords: map[string]int{}}
	for t, rule := range r.Identifiers {
		p.MaxRecords[string(t)] = rule.MaxRecords
	}
	return p
}

// Links reports whether an identifier links the records holding it: a trusted type, not
// blocked, held by no more records than its type allows.
func (p LinkPolicy) Links(id HeldIdentifier) bool {
	limit, known := p.MaxRecords[id.Type]
	if !known || id.Blocked || id.Holders > limit {
		return false
	}
	for _, t := range p.Trusted {
		if t == id.Type {
			return true
		}
	}
	return false
}

// Resolve re-resolves the components holding the seed records and writes the plan.
func (r *Resolver) Resolve(g Graph, seeds []string, reason string, now time.Time) (*Plan, error) {
	c, err := g.Component(seeds, r.Rules.LinkPolicy())
	if err != nil {
		return nil, err
	}
	p := r.Plan(c, reason, now)
	return p, g.Apply(p, now)
}

// Ingest resolves freshly written records: the identifiers they hold may have become
// bridges, then their components are recomputed.
func (r *Resolver) Ingest(g Graph, changed []*cdp.SourceRecord, now time.Time) error {
	keys := make([]string, len(changed))
	var identifiers []string
	for i, rec := range changed {
		keys[i] = rec.Key()
		for _, id := range rec.Identifiers {
			identifiers = append(identifiers, id.Key())
		}
	}
	if err := r.MatchIncrementally(g, changed, now); err != nil {
		return err
	}
	if len(identifiers) > 0 {
		if err := g.FlagBridges(identifiers, r.Rules.LinkPolicy()); err != nil {
			return err
		}
	}
	_, err := r.Resolve(g, keys, "ingest", now)
	return err
}

// Plan clusters a component and maps its clusters onto customers.
func (r *Resolver) Plan(c *Component, reason string, now time.Time) *Plan {
	records, links, apart, conflicting := r.links(c)
	clusters, applied := Cluster(records, links, apart)
	current := map[string]string{}
	for _, rec := range c.Records {
		if rec.Customer != "" && !rec.Record.Placeholder {
			current[rec.Key] = rec.Customer
		}
	}
	p := planCustomers(records, current, c.CreatedAt, clusters, applied, reason, now)
	p.Conflicting = conflicting
	p.Golden = r.golden(c, p, links)
	return p
}

// links turns a component's facts into what clustering weighs: the stored matches that
// contrary evidence does not veto, the analysts' decisions, and a link between every two
// holders of a linking identifier unless they are clearly different people (the identifier
// is then flagged as conflicting); and the apart facts: the analysts', plus the pairs whose
// documents differ where the rules veto (VetoedPairs).
func (r *Resolver) links(c *Component) (records []string, links []Link, apart []Apart, conflicting []string) {
	policy := r.Rules.LinkPolicy()
	people := map[string]*match.Record{}
	holders := map[string][]string{} // identifier key -> records
	for _, rec := range c.Records {
		if rec.Record.Placeholder {
			continue // placeholders are not people yet
		}
		records = append(records, rec.Key)
		people[rec.Key] = r.Rules.person(rec)
		for _, id := range rec.Identifiers {
			if policy.Links(id) {
				holders[id.Key] = append(holders[id.Key], rec.Key)
			}
		}
	}
	sort.Strings(records)
	for _, l := range c.Links {
		if l.Kind != LinkMatch || people[l.A] == nil || people[l.B] == nil || !MatchAgainstContraryEvidence(people[l.A], people[l.B]) {
			links = append(links, l)
		}
	}
	for _, ik := range sortedKeys(holders) {
		hs := holders[ik]
		sort.Strings(hs)
		for x, a := range hs {
			for _, b := range hs[x+1:] {
				if !HoldersDiffer(people[a], people[b]) {
					links = append(links, Link{A: a, B: b, Kind: LinkIdentifier, Via: ik})
				} else if !contains(conflicting, ik) {
					conflicting = append(conflicting, ik)
				}
			}
		}
	}
	personal := map[string][]match.PersonalID{}
	for k, p := range people {
		if len(p.PersonalIDs) > 0 {
			personal[k] = p.PersonalIDs
		}
	}
	apart = append(append([]Apart(nil), c.Apart...), r.Rules.VetoedPairs(personal, links)...)
	return records, links, apart, conflicting
}

// planCustomers gives each cluster a customer: existing customers go to the cluster holding
// most of their records (older customers first), so ids that callers stored survive; other
// clusters get new ids; customers left without records are absorbed by the cluster that
// took most of them.
func planCustomers(records []string, current map[string]string, createdAt map[string]time.Time,
	clusters map[string]string, applied []Link, reason string, now time.Time) *Plan {
	type candidate struct {
		root, customer string
		count          int
	}
	counts := map[[2]string]int{}
	for _, r := range records {
		if id := current[r]; id != "" {
			counts[[2]string{clusters[r], id}]++
		}
	}
	var cands []candidate
	for k, n := range counts {
		cands = append(cands, candidate{root: k[0], customer: k[1], count: n})
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.count != b.count {
			return a.count > b.count
		}
		if ca, cb := createdAt[a.customer], createdAt[b.customer]; !ca.Equal(cb) {
			return ca.Before(cb)
		}
		if a.customer != b.customer {
			return a.customer < b.customer
		}
		return a.root < b.root
	})
	clusterCustomer := map[string]string{} // cluster root -> customer id
	p := &Plan{Records: records, Customer: map[string]string{}, Applied: applied}
	taken := map[string]bool{}
	for _, cd := range cands {
		if clusterCustomer[cd.root] == "" && !taken[cd.customer] {
			clusterCustomer[cd.root] = cd.customer
			taken[cd.customer] = true
		}
	}
	existing := map[string]bool{}
	for _, id := range current {
		existing[id] = true
	}
	roots := map[string]bool{}
	for _, r := range records {
		roots[clusters[r]] = true
	}
	for _, root := range sortedKeys(roots) {
		if clusterCustomer[root] != "" {
			continue
		}
		id := CustomerID(root)
		for n := 1; taken[id] || existing[id]; n++ {
			id = CustomerID(fmt.Sprintf("%s#%d", root, n))
		}
		taken[id] = true
		clusterCustomer[root] = id
		p.Created = append(p.Created, id)
	}
	for _, r := range records {
		p.Customer[r] = clusterCustomer[clusters[r]]
	}
	p.Clusters = clusterPlans(records, p.Customer, applied)

	via := viaByRecord(applied)
	for _, r := range records {
		target := p.Customer[r]
		if current[r] == target {
			continue
		}
		m := Move{Record: r, Customer: target, Rule: "new", Via: []string{}}
		if v, ok := via[r]; ok {
			m.Rule, m.Via = v.kind, v.via
		}
		p.Moves = append(p.Moves, m)
	}

	// Where did each old customer's records go?
	dest := map[string]map[string]int{}
	for _, r := range records {
		if old := current[r]; old != "" {
			if dest[old] == nil {
				dest[old] = map[string]int{}
			}
			dest[old][p.Customer[r]]++
		}
	}
	for _, old := range sortedKeys(dest) {
		targets := dest[old]
		if !taken[old] { // absorbed: its records all went elsewhere
			survivor := argmax(targets)
			p.Merges = append(p.Merges, Merge{Absorbed: old, Survivor: survivor})
			p.Events = append(p.Events, newEvent("merge", survivor, old, reason, viaBetween(applied, current, old, survivor), []string{survivor}, now))
		}
		for _, to := range sortedKeys(targets) {
			if to != old && taken[old] && contains(p.Created, to) {
				p.Events = append(p.Events, newEvent("split", old, to, reason, nil, []string{old, to}, now))
			}
		}
	}
	return p
}

// clusterPlans groups records and applied links by customer, customers in id order.
func clusterPlans(records []string, customer map[string]string, applied []Link) []ClusterPlan {
	byCustomer := map[string]*ClusterPlan{}
	for _, r := range records {
		id := customer[r]
		if byCustomer[id] == nil {
			byCustomer[id] = &ClusterPlan{Customer: id}
		}
		byCustomer[id].Records = append(byCustomer[id].Records, r)
	}
	for _, l := range applied {
		if cp := byCustomer[customer[l.A]]; cp != nil {
			cp.Links = append(cp.Links, l)
		}
	}
	out := make([]ClusterPlan, 0, len(byCustomer))
	for _, id := range sortedKeys(byCustomer) {
		out = append(out, *byCustomer[id])
	}
	return out
}

type recordVia struct {
	kind string
	via  []string
}

// viaByRecord says, per record, which applied links hold it in its cluster: the strongest
// kind, and the identifiers for shared-identifier links.
func viaByRecord(applied []Link) map[string]recordVia {
	out := map[string]recordVia{}
	strength := map[string]int{LinkManual: 3, LinkIdentifier: 2, LinkMatch: 1}
	for _, l := range applied {
		for _, r := range []string{l.A, l.B} {
			v := out[r]
			if strength[l.Kind] > strength[v.kind] {
				v.kind = l.Kind
			}
			if l.Via != "" && !contains(v.via, l.Via) {
				v.via = append(v.via, l.Via)
			}
			out[r] = v
		}
	}
	return out
}

// viaBetween lists what joined customer a's records to customer b's: the identifier keys
// (or link kinds) of applied links that cross between them.
func viaBetween(applied []Link, current map[string]string, a, b string) []string {
	set := map[string]bool{}
	for _, l := range applied {
		ca, cb := current[l.A], current[l.B]
		if (ca == a && cb != a) || (cb == a && ca != a) || (ca == b && cb != b) || (cb == b && ca != b) {
			if l.Via != "" {
				set[l.Via] = true
			} else {
				set[l.Kind] = true
			}
		}
	}
	return sortedKeys(set)
}

func newEvent(kind, customer, other, reason string, via, about []string, now time.Time) Event {
	sum := sha256.Sum256([]byte(kind + "|" + customer + "|" + other + "|" + now.Format(time.RFC3339Nano)))
	if via == nil {
		via = []string{}
	}
	return Event{ID: "evt_" + hex.EncodeToString(sum[:8]), Kind: kind, Customer: customer, Other: other,
		Reason: reason, Via: via, About: about}
}

// golden computes the golden record and cluster quality of every customer of the plan.
func (r *Resolver) golden(c *Component, p *Plan, links []Link) []Golden {
	inner := map[string][]Link{} // customer -> links between two of its records
	for _, l := range links {
		if id := p.Customer[l.A]; id != "" && id == p.Customer[l.B] {
			inner[id] = append(inner[id], l)
		}
	}
	byKey := map[string]*cdp.SourceRecord{}
	for _, rec := range c.Records {
		byKey[rec.Key] = rec.Record
	}
	out := make([]Golden, 0, len(p.Clusters))
	for _, cl := range p.Clusters {
		records := make([]*cdp.SourceRecord, len(cl.Records))
		sources := map[string]bool{}
		for i, k := range cl.Records {
			records[i] = byKey[k]
			sources[records[i].Source] = true
		}
		profile, prov := r.Rules.Golden(records)
		out = append(out, Golden{Customer: cl.Customer, Profile: profile, Provenance: prov, Sources: sortedKeys(sources),
			RecordCount: len(records), SearchName: SearchName(profile), Household: HouseholdKey(profile),
			Quality: ClusterQuality(cl.Records, inner[cl.Customer])})
	}
	return out
}

// SearchName is what name search matches against: lower-cased names, space separated.
func SearchName(p cdp.Profile) string {
	return strings.ToLower(strings.Join(strings.Fields(p.FullName+" "+p.GivenName+" "+p.FamilyName), " "))
}

// CustomerID derives a new customer's id from its first record, so that loading the same
// data into an empty graph always gives the same ids.
func CustomerID(recordKey string) string {
	sum := sha256.Sum256([]byte(recordKey))
	return "cus_" + hex.EncodeToString(sum[:8])
}

func argmax(m map[string]int) string {
	best, n := "", -1
	for _, k := range sortedKeys(m) {
		if m[k] > n {
			best, n = k, m[k]
		}
	}
	return best
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
