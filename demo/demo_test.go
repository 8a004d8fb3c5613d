package demo

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	cdp "github.com/cdpgraph/cdpgraph"
)

var (
	defaultOnce sync.Once
	defaultDS   *Dataset
	defaultTook time.Duration
)

// full is the dataset of the default config, made once for the tests that need volume.
func full(t *testing.T) *Dataset {
	t.Helper()
	defaultOnce.Do(func() {
		t0 := time.Now()
		defaultDS = Generate(Config{})
		defaultTook = time.Since(t0)
	})
	return defaultDS
}

func small(t *testing.T) *Dataset {
	t.Helper()
	return Generate(Config{People: 1000})
}

func hashDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	cfg := Config{People: 1000, Seed: 7}
	a, b := t.TempDir(), t.TempDir()
	fa, err := WriteFiles(Generate(cfg), a)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := WriteFiles(Generate(cfg), b)
	if err != nil {
		t.Fatal(err)
	}
	if len(fa) != len(fb) {
		t.Fatalf("file lists differ: %d and %d", len(fa), len(fb))
	}
	ha, hb := hashDir(t, a), hashDir(t, b)
	if len(ha) != len(fa)+1 {
		t.Fatalf("%d files on disk, %d listed (+ truth.json)", len(ha), len(fa))
	}
	for k, v := range ha {
		if hb[k] != v {
			t.Errorf("%s differs between two runs", k)
		}
	}
	c := t.TempDir()
	if _, err := WriteFiles(Generate(Config{People: 1000, Seed: 8}), c); err != nil {
		t.Fatal(err)
	}
	if hashDir(t, c)["crm/customers.ndjson"] == ha["crm/customers.ndjson"] {
		t.Error("another seed gives the same customers")
	}
}

func TestWriteFiles(t *testing.T) {
	ds := small(t)
	dir := t.TempDir()
	files, err := WriteFiles(ds, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"crm/customers", "crm/feedback", "crm/social", "crm/consents",
		"pos/customers", "pos/orders",
		"web/customers", "web/orders", "web/events", "web/feedback", "web/consents",
		"wechat/customers", "wechat/feedback", "wechat/social",
	}
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		got = append(got, strings.TrimSuffix(filepath.ToSlash(rel), ".ndjson"))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	lines := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if _, ok := m["source_id"]; !ok && !strings.HasSuffix(f, "social.ndjson") {
				t.Fatalf("%s: no source_id in %s", f, sc.Text())
			}
			lines++
		}
		fh.Close()
	}
	total := 0
	for _, s := range ds.Sources {
		total += len(s.Customers) + len(s.Orders) + len(s.Events) + len(s.Feedback) + len(s.Social) + len(s.Consents)
	}
	if lines != total {
		t.Errorf("%d lines written, %d records", lines, total)
	}
	var truth Truth
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	if len(truth.RecordPerson) != len(ds.Truth.RecordPerson) || len(truth.Lapsed) != len(ds.Truth.Lapsed) {
		t.Error("truth.json does not round-trip")
	}
}

func between(t *testing.T, what string, got, lo, hi int) {
	t.Helper()
	if got < lo || got > hi {
		t.Errorf("%s = %d, want %d..%d", what, got, lo, hi)
	}
}

func TestVolumes(t *testing.T) {
	ds := full(t)
	// Wall time only: the machine may be shared. BenchmarkGenerate measures properly.
	t.Logf("generated in %v", defaultTook)
	orders, events, feedback, social := 0, 0, 0, 0
	for _, s := range ds.Sources {
		t.Logf("%-7s customers=%d orders=%d events=%d feedback=%d social=%d consents=%d",
			s.Source, len(s.Customers), len(s.Orders), len(s.Events), len(s.Feedback), len(s.Social), len(s.Consents))
		orders += len(s.Orders)
		events += len(s.Events)
		feedback += len(s.Feedback)
		social += len(s.Social)
	}
	between(t, "crm customers", len(ds.Source("crm").Customers), 8000, 9500)
	between(t, "pos customers", len(ds.Source("pos").Customers), 5000, 6200)
	between(t, "web customers", len(ds.Source("web").Customers), 5500, 7500)
	between(t, "wechat customers", len(ds.Source("wechat").Customers), 3500, 4800)
	between(t, "orders", orders, 50000, 70000)
	between(t, "events", events, 100000, 145000)
	between(t, "feedback", feedback, 6500, 10000)
	between(t, "social", social, 16000, 26000)
	between(t, "crm referrals", len(ds.Source("crm").Social), 350, 750)
	between(t, "crm consents", len(ds.Source("crm").Consents), 15000, 40000)
	between(t, "web consents", len(ds.Source("web").Consents), 8000, 20000)
	between(t, "influencers", len(ds.Truth.Influencers), 15, 25)
}

// TestReferences: everything a record points at is a customer record of its own source,
// and ids are unique per source and kind.
func TestReferences(t *testing.T) {
	ds := small(t)
	for _, s := range ds.Sources {
		customers := map[string]bool{}
		for _, c := range s.Customers {
			if customers[c.SourceID] {
				t.Errorf("%s: customer %s twice", s.Source, c.SourceID)
			}
			customers[c.SourceID] = true
		}
		check := func(kind, id, ref string, ids map[string]bool) {
			if ids[id] {
				t.Errorf("%s %s: id %s twice", s.Source, kind, id)
			}
			ids[id] = true
			if !customers[ref] {
				t.Errorf("%s %s %s: customer %q not in %s", s.Source, kind, id, ref, s.Source)
			}
		}
		ids := map[string]bool{}
		for _, o := range s.Orders {
			check("order", o.SourceID, o.CustomerSourceID, ids)
		}
		ids = map[string]bool{}
		for _, e := range s.Events {
			check("event", e.SourceID, e.CustomerSourceID, ids)
		}
		ids = map[string]bool{}
		for _, f := range s.Feedback {
			check("feedback", f.SourceID, f.CustomerSourceID, ids)
		}
		ids = map[string]bool{}
		for _, c := range s.Consents {
			check("consent", c.SourceID, c.CustomerSourceID, ids)
		}
		ties := map[string]bool{}
		for _, x := range s.Social {
			k := x.FromSourceID + "|" + x.ToSourceID + "|" + x.Type
			if ties[k] || x.FromSourceID == x.ToSourceID {
				t.Errorf("%s: tie %s repeated or a loop", s.Source, k)
			}
			ties[k] = true
			if !customers[x.FromSourceID] || !customers[x.ToSourceID] {
				t.Errorf("%s: tie %s has an unknown end", s.Source, k)
			}
		}
	}
}

func TestSourceIDStyles(t *testing.T) {
	ds := small(t)
	styles := map[string]*regexp.Regexp{
		"crm":    regexp.MustCompile(`^C\d{6}$`),
		"pos":    regexp.MustCompile(`^POS-\d{2}-\d{5}$`),
		"web":    regexp.MustCompile(`^u_[0-9a-f]{6}$`),
		"wechat": regexp.MustCompile(`^wx_[0-9a-z]{10}$`),
	}
	for _, s := range ds.Sources {
		for _, c := range s.Customers {
			if !styles[s.Source].MatchString(c.SourceID) {
				t.Errorf("%s: source id %q", s.Source, c.SourceID)
			}
		}
	}
	for _, c := range ds.Source("wechat").Customers {
		if !strings.HasPrefix(c.SocialHandle, "wechat:") {
			t.Errorf("wechat handle %q", c.SocialHandle)
		}
	}
}

func TestTruthCoversRecords(t *testing.T) {
	ds := small(t)
	n := 0
	person := regexp.MustCompile(`^P\d{5}$`)
	for _, s := range ds.Sources {
		for _, c := range s.Customers {
			n++
			p, ok := ds.Truth.RecordPerson[s.Source+":"+c.SourceID]
			if !ok || !person.MatchString(p) {
				t.Errorf("%s:%s has no person (%q)", s.Source, c.SourceID, p)
			}
		}
	}
	if n != len(ds.Truth.RecordPerson) {
		t.Errorf("%d records, %d in the truth", n, len(ds.Truth.RecordPerson))
	}
}

func sourcesPerPerson(ds *Dataset) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for k, p := range ds.Truth.RecordPerson {
		src, _, _ := strings.Cut(k, ":")
		if out[p] == nil {
			out[p] = map[string]bool{}
		}
		out[p][src] = true
	}
	return out
}

func TestOverlap(t *testing.T) {
	ds := small(t)
	multi := 0
	dupCRM := map[string]int{}
	for k, p := range ds.Truth.RecordPerson {
		if strings.HasPrefix(k, "crm:") {
			dupCRM[p]++
		}
	}
	for _, srcs := range sourcesPerPerson(ds) {
		if len(srcs) >= 2 {
			multi++
		}
	}
	if multi < 600 {
		t.Errorf("%d of 1000 people in two sources or more, want >= 600", multi)
	}
	twice := 0
	for _, n := range dupCRM {
		if n > 1 {
			twice++
		}
	}
	between(t, "people with two CRM records", twice, 10, 60)
}

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func TestSharedEmails(t *testing.T) {
	ds := small(t)
	if len(ds.Truth.SharedEmails) < 5 {
		t.Fatalf("%d shared e-mail groups", len(ds.Truth.SharedEmails))
	}
	email := map[string]string{}
	for _, s := range ds.Sources {
		for _, c := range s.Customers {
			email[s.Source+":"+c.SourceID] = normEmail(c.Email)
		}
	}
	for _, g := range ds.Truth.SharedEmails {
		people := map[string]bool{}
		for _, k := range g {
			if email[k] == "" || email[k] != email[g[0]] {
				t.Errorf("group %v: %s has e-mail %q", g, k, email[k])
			}
			people[ds.Truth.RecordPerson[k]] = true
		}
		if len(people) < 2 {
			t.Errorf("group %v is one person", g)
		}
	}
}

func TestLapsedAndOrders(t *testing.T) {
	ds := full(t)
	cutoff := time.Date(2026, 7, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)).AddDate(0, 0, -120)
	last := map[string]time.Time{}
	count := map[string]int{}
	for _, src := range []string{"pos", "web"} {
		for _, o := range ds.Source(src).Orders {
			p := ds.Truth.RecordPerson[src+":"+o.CustomerSourceID]
			count[p]++
			at, err := time.Parse(time.RFC3339, o.OrderedAt)
			if err != nil {
				t.Fatalf("order %s: %v", o.SourceID, err)
			}
			if o.Status != "cancelled" && at.After(last[p]) {
				last[p] = at
			}
		}
	}
	var lapsed []string
	for p, at := range last {
		if at.Before(cutoff) {
			lapsed = append(lapsed, p)
		}
	}
	sort.Strings(lapsed)
	if !slices.Equal(lapsed, ds.Truth.Lapsed) {
		t.Errorf("lapsed from orders: %d, truth: %d", len(lapsed), len(ds.Truth.Lapsed))
	}
	share := float64(len(ds.Truth.Lapsed)) / float64(len(last))
	t.Logf("lapsed %d of %d buyers (%.1f%%)", len(ds.Truth.Lapsed), len(last), 100*share)
	if share < 0.15 || share > 0.45 {
		t.Errorf("lapsed share %.2f, want 0.15..0.45", share)
	}
	if len(count) != len(ds.Truth.Orders) {
		t.Errorf("%d people with orders, truth %d", len(count), len(ds.Truth.Orders))
	}
	for p, n := range count {
		if ds.Truth.Orders[p] != n {
			t.Errorf("%s: %d orders, truth %d", p, n, ds.Truth.Orders[p])
		}
	}
}

func TestInfluencers(t *testing.T) {
	ds := full(t)
	followers := map[string]int{}
	for _, x := range ds.Source("wechat").Social {
		if x.Type == "follows" {
			followers[x.ToSourceID]++
		}
	}
	var counts []int
	for _, c := range ds.Source("wechat").Customers {
		counts = append(counts, followers[c.SourceID])
	}
	sort.Ints(counts)
	median := counts[len(counts)/2]
	wxOf := map[string]string{}
	for k, p := range ds.Truth.RecordPerson {
		if id, ok := strings.CutPrefix(k, "wechat:"); ok {
			wxOf[p] = id
		}
	}
	for _, p := range ds.Truth.Influencers {
		n := followers[wxOf[p]]
		if n < 100 || n < 20*max(median, 1) {
			t.Errorf("influencer %s has %d followers, median %d", p, n, median)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestFeedback(t *testing.T) {
	ds := full(t)
	zh, en := 0, 0
	kinds := map[string]int{}
	for _, s := range ds.Sources {
		for _, f := range s.Feedback {
			kinds[f.Kind]++
			if f.Text == "" {
				continue
			}
			if hasHan(f.Text) {
				zh++
			} else {
				en++
			}
		}
	}
	t.Logf("kinds %v, texts zh %d en %d", kinds, zh, en)
	for _, k := range []string{"review", "survey", "complaint", "ticket", "post"} {
		if kinds[k] < 100 {
			t.Errorf("%d feedback of kind %s", kinds[k], k)
		}
	}
	share := float64(zh) / float64(zh+en)
	if share < 0.45 || share > 0.75 {
		t.Errorf("Chinese share of texts %.2f", share)
	}
	// Unhappy customers lapse: their reviews are worse.
	lapsed := map[string]bool{}
	for _, p := range ds.Truth.Lapsed {
		lapsed[p] = true
	}
	var sum [2]float64
	var n [2]int
	for _, f := range ds.Source("web").Feedback {
		r, err := strconv.Atoi(f.Rating)
		if f.Kind != "review" || err != nil || r < 1 || r > 5 {
			continue
		}
		i := 0
		if lapsed[ds.Truth.RecordPerson["web:"+f.CustomerSourceID]] {
			i = 1
		}
		sum[i] += float64(r)
		n[i]++
	}
	active, gone := sum[0]/float64(n[0]), sum[1]/float64(n[1])
	t.Logf("mean review: active %.2f, lapsed %.2f", active, gone)
	if gone > active-0.3 {
		t.Errorf("lapsed customers' reviews (%.2f) are not clearly worse than others' (%.2f)", gone, active)
	}
}

var (
	emailRE         = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`)
	knownCurrencies = map[string]bool{"CNY": true, "USD": true, "GBP": true, "SGD": true, "HKD": true}
)

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// problems is a small validator: what a data-quality report should flag.
func problems(ds *Dataset) map[string]int {
	bad := map[string]int{}
	for _, s := range ds.Sources {
		for _, c := range s.Customers {
			k := s.Source + ":customers:" + c.SourceID
			if c.Email != "" && !emailRE.MatchString(strings.TrimSpace(c.Email)) {
				bad[k]++
			}
			if c.BirthDate != "" {
				if _, err := time.Parse("2006-01-02", c.BirthDate); err != nil {
					bad[k]++
				}
			}
			if c.Phone != "" && (digits(c.Phone) < 8 || digits(c.Phone) > 15) {
				bad[k]++
			}
		}
		for _, o := range s.Orders {
			k := s.Source + ":orders:" + o.SourceID
			if !knownCurrencies[o.Currency] {
				bad[k]++
			}
			for _, it := range o.Items {
				if q, err := strconv.Atoi(it.Quantity); err != nil || q <= 0 {
					bad[k]++
				}
			}
		}
		for _, f := range s.Feedback {
			if f.Rating == "" {
				continue
			}
			k := s.Source + ":feedback:" + f.SourceID
			r, err := strconv.Atoi(f.Rating)
			lo, hi := 0, 10
			if f.Kind == "review" {
				lo, hi = 1, 5
			}
			if err != nil || r < lo || r > hi {
				bad[k]++
			}
		}
	}
	return bad
}

func TestInvalidFraction(t *testing.T) {
	ds := full(t)
	bad := problems(ds)
	truth := map[string]bool{}
	for _, k := range ds.Truth.Invalid {
		truth[k] = true
		if bad[k] == 0 {
			t.Errorf("%s is in the truth as invalid but passes validation", k)
		}
	}
	for k := range bad {
		if !truth[k] {
			t.Errorf("%s fails validation but is not in the truth", k)
		}
	}
	totals := map[cdp.RecordKind]int{}
	for _, s := range ds.Sources {
		totals[cdp.KindCustomers] += len(s.Customers)
		totals[cdp.KindOrders] += len(s.Orders)
		totals[cdp.KindFeedback] += len(s.Feedback)
	}
	invalid := map[cdp.RecordKind]int{}
	for _, k := range ds.Truth.Invalid {
		parts := strings.Split(k, ":")
		invalid[cdp.RecordKind(parts[1])]++
	}
	for kind, n := range totals {
		share := float64(invalid[kind]) / float64(n)
		t.Logf("%s: %d invalid of %d (%.2f%%)", kind, invalid[kind], n, 100*share)
		if invalid[kind] == 0 || share >= 0.01 {
			t.Errorf("%s: invalid share %.4f, want > 0 and < 1%%", kind, share)
		}
	}
}

func TestOrderRecords(t *testing.T) {
	ds := small(t)
	invalid := map[string]bool{}
	for _, k := range ds.Truth.Invalid {
		invalid[k] = true
	}
	for _, src := range []string{"pos", "web"} {
		for _, o := range ds.Source(src).Orders {
			if src == "pos" && (o.StoreID == "" || !strings.HasSuffix(o.OrderedAt, "+08:00") || o.Currency != "CNY" && !invalid["pos:orders:"+o.SourceID]) {
				t.Errorf("pos order %+v", o)
			}
			if len(o.Items) < 1 || len(o.Items) > 5 {
				t.Errorf("order %s has %d items", o.SourceID, len(o.Items))
			}
			var sum int64
			for _, it := range o.Items {
				q, _ := strconv.Atoi(it.Quantity)
				sum += int64(q) * cents(t, it.UnitPrice)
				if !strings.HasPrefix(it.SKU, "SKU-") {
					t.Errorf("sku %q", it.SKU)
				}
			}
			if cents(t, o.Total) != sum {
				t.Errorf("order %s: total %s, items sum to %d cents", o.SourceID, o.Total, sum)
			}
		}
	}
}

func cents(t *testing.T, s string) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		t.Fatalf("amount %q", s)
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("amount %q", s)
	}
	if strings.HasPrefix(whole, "-") {
		return w*100 - f
	}
	return w*100 + f
}

func TestTimesWithinHistory(t *testing.T) {
	ds := small(t)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	end := time.Date(2026, 7, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	in := func(what, s string) {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if at.Before(start) || !at.Before(end) {
			t.Errorf("%s at %s, outside the history", what, s)
		}
	}
	for _, o := range append(slices.Clone(ds.Source("pos").Orders), ds.Source("web").Orders...) {
		in("order "+o.SourceID, o.OrderedAt)
	}
	for _, e := range ds.Source("web").Events {
		in("event "+e.SourceID, e.OccurredAt)
	}
	for _, s := range ds.Sources {
		for _, f := range s.Feedback {
			in("feedback "+f.SourceID, f.CreatedAt)
		}
		for _, c := range s.Customers {
			if at, err := time.Parse(time.RFC3339, c.UpdatedAt); err != nil || !at.Before(end) {
				t.Errorf("%s %s updated_at %q", s.Source, c.SourceID, c.UpdatedAt)
			}
		}
	}
}

func TestSmallConfigs(t *testing.T) {
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, cfg := range []Config{{People: 1}, {People: 7, Seed: 3}, {People: 60}, {People: 200, Start: day, End: day}, {People: 100, Start: day, End: day.AddDate(0, 1, 0)}} {
		ds := Generate(cfg)
		if len(ds.Sources) != 4 {
			t.Fatalf("%+v: %d sources", cfg, len(ds.Sources))
		}
		if len(ds.Truth.RecordPerson) == 0 {
			t.Errorf("%+v: no customer records", cfg)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(Config{})
	}
}

// personOrders maps each person to the times of their orders that were not cancelled.
func personOrders(t *testing.T, ds *Dataset) map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, src := range []string{"pos", "web"} {
		for _, o := range ds.Source(src).Orders {
			if o.Status == "cancelled" {
				continue
			}
			at, err := time.Parse(time.RFC3339, o.OrderedAt)
			if err != nil {
				t.Fatal(err)
			}
			p := ds.Truth.RecordPerson[src+":"+o.CustomerSourceID]
			out[p] = append(out[p], at)
		}
	}
	for _, ts := range out {
		slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	}
	return out
}

// TestBrowsingFadesBeforeLapse: lapsed customers browse less in the months before their
// last purchase than they did before.
func TestBrowsingFadesBeforeLapse(t *testing.T) {
	ds := full(t)
	orders := personOrders(t, ds)
	checkout := map[string]bool{}
	for _, e := range ds.Source("web").Events {
		if e.Type == "checkout" {
			checkout[e.SessionID] = true
		}
	}
	sessions := map[string]map[string]time.Time{} // web customer -> session -> start
	for _, e := range ds.Source("web").Events {
		if checkout[e.SessionID] {
			continue
		}
		if sessions[e.CustomerSourceID] == nil {
			sessions[e.CustomerSourceID] = map[string]time.Time{}
		}
		if _, ok := sessions[e.CustomerSourceID][e.SessionID]; !ok {
			at, _ := time.Parse(time.RFC3339, e.OccurredAt)
			sessions[e.CustomerSourceID][e.SessionID] = at
		}
	}
	lapsed := map[string]bool{}
	for _, p := range ds.Truth.Lapsed {
		lapsed[p] = true
	}
	const window = 120 * 24 * time.Hour
	var late, early float64 // sessions a day, summed over people
	people := 0
	for _, c := range ds.Source("web").Customers {
		p := ds.Truth.RecordPerson["web:"+c.SourceID]
		ts := orders[p]
		if !lapsed[p] || len(ts) < 2 {
			continue
		}
		first, last := ts[0], ts[len(ts)-1]
		if last.Sub(first) < 2*window {
			continue
		}
		people++
		for _, at := range sessions[c.SourceID] {
			switch {
			case at.After(last.Add(-window)) && !at.After(last):
				late += 1 / window.Hours()
			case !at.Before(first) && !at.After(last.Add(-window)):
				early += 1 / last.Add(-window).Sub(first).Hours()
			}
		}
	}
	t.Logf("%d lapsed customers, sessions a day summed over them: %.2f before, %.2f in the 120 days before their last purchase", people, early*24, late*24)
	if late > 0.85*early {
		t.Errorf("browsing does not fade before lapse: %.3f then %.3f", early, late)
	}
}

// TestReferralsBuy: a referred friend buys within days of the referral.
func TestReferralsBuy(t *testing.T) {
	ds := full(t)
	orders := personOrders(t, ds)
	bought := 0
	ties := ds.Source("crm").Social
	for _, x := range ties {
		at, err := time.Parse(time.RFC3339, x.OccurredAt)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orders[ds.Truth.RecordPerson["crm:"+x.ToSourceID]] {
			if !o.Before(at) && o.Sub(at) < 15*24*time.Hour {
				bought++
				break
			}
		}
	}
	if bought < len(ties)*8/10 {
		t.Errorf("%d of %d referred friends bought within two weeks", bought, len(ties))
	}
}
