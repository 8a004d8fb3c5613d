package compare

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/neo4j/baseline"
)

// truth is what every system must answer, computed with the counting statements of
// neo4j/baseline, which share nothing with the three systems' own.
type truth struct {
	params map[string][]string          // per workload, what requests draw from ("" when it takes none)
	want   map[string]map[string]string // per workload, parameter -> normalized answer
}

func (t *truth) set(w, param, answer string) {
	if t.want[w] == nil {
		t.want[w] = map[string]string{}
	}
	if _, ok := t.want[w][param]; !ok {
		t.params[w] = append(t.params[w], param)
	}
	t.want[w][param] = answer
}

// loadTruth computes the answers of the named workloads; sample customers (W1) and
// identifiers (W5) are drawn with seed, so every round asks about the same ones.
func loadTruth(ctx context.Context, db *baseline.DB, names []string, sample int, seed uint64) (*truth, error) {
	t := &truth{params: map[string][]string{}, want: map[string]map[string]string{}}
	for _, w := range names {
		var err error
		switch w {
		case "w1":
			err = truthW1(ctx, db, t, sample, seed)
		case "w2":
			err = truthW2(ctx, db, t)
		case "w3":
			err = truthW3(ctx, db, t)
		case "w4":
			err = truthW4(ctx, db, t)
		case "w5":
			err = truthW5(ctx, db, t, sample, seed)
		case "w6":
			err = truthW6(ctx, db, t)
		case "w7":
			err = truthW7(ctx, db, t)
		default:
			err = fmt.Errorf("unknown workload %q", w)
		}
		if err != nil {
			return nil, fmt.Errorf("truth of %s: %w", w, err)
		}
		if len(t.params[w]) == 0 {
			return nil, fmt.Errorf("truth of %s: nothing to ask about (is the demo loaded, scored, with influence and segments?)", w)
		}
	}
	return t, nil
}

// sampleOf shuffles a copy of all with seed and returns its first n.
func sampleOf(all []string, n int, seed, stream uint64) []string {
	all = slices.Clone(all)
	rng := rand.New(rand.NewPCG(seed, stream))
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all[:min(n, len(all))]
}

func integer(v any) int { n, _ := v.(int64); return int(n) }

func texts(v any) []string {
	var out []string
	for _, x := range arr(v) {
		out = append(out, str(x))
	}
	return out
}

func truthW1(ctx context.Context, db *baseline.DB, t *truth, sample int, seed uint64) error {
	rows, err := db.Rows(ctx, baseline.TruthCustomerIDs, nil)
	if err != nil {
		return err
	}
	var all []string
	for _, r := range rows {
		all = append(all, str(r["id"]))
	}
	ids := sampleOf(all, sample, seed, 1)
	rows, err = db.Rows(ctx, baseline.TruthW1, map[string]any{"ids": anys(ids)})
	if err != nil {
		return err
	}
	for _, r := range rows {
		t.set("w1", str(r["id"]), w1Norm(integer(r["idents"]), integer(r["orders"]), texts(r["top"]),
			integer(r["events"]), integer(r["feedback"]), integer(r["consents"])))
	}
	if len(rows) != len(ids) {
		return fmt.Errorf("%d of %d sampled customers found", len(rows), len(ids))
	}
	return nil
}

func truthW2(ctx context.Context, db *baseline.DB, t *truth) error {
	rows, err := db.Rows(ctx, baseline.TruthW2, nil)
	if err != nil {
		return err
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s|%d|%d", str(r["id"]), integer(r["idents"]), integer(r["orders"])))
	}
	t.set("w2", "", strings.Join(out, ";"))
	return nil
}

func truthW3(ctx context.Context, db *baseline.DB, t *truth) error {
	rows, err := db.Rows(ctx, baseline.TruthW3, nil)
	if err != nil {
		return err
	}
	for _, r := range rows {
		t.set("w3", str(r["city"]), w3Norm(integer(r["total"]), texts(r["first"])))
	}
	return nil
}

func truthW4(ctx context.Context, db *baseline.DB, t *truth) error {
	rows, err := db.Rows(ctx, baseline.TruthW4, nil)
	if err != nil {
		return err
	}
	bands := map[string]int{}
	for _, r := range rows {
		bands[str(r["band"])] = integer(r["customers"])
	}
	if len(bands) > 0 {
		t.set("w4", "", w4Norm(bands))
	}
	return nil
}

func truthW5(ctx context.Context, db *baseline.DB, t *truth, sample int, seed uint64) error {
	rows, err := db.Rows(ctx, baseline.TruthIdentifiers, nil)
	if err != nil {
		return err
	}
	var all []string
	for _, r := range rows {
		all = append(all, str(r["type"])+":"+str(r["value"]))
	}
	keys := sampleOf(all, sample, seed, 5)
	rows, err = db.Rows(ctx, baseline.TruthW5, map[string]any{"keys": anys(keys)})
	if err != nil {
		return err
	}
	for _, r := range rows {
		var history []consentDecision
		for _, h := range arr(r["history"]) {
			v := arr(h)
			granted, _ := v[1].(bool)
			history = append(history, consentDecision{purpose: str(v[0]), granted: granted, at: str(v[2]), key: str(v[3])})
		}
		t.set("w5", str(r["key"]), w5Norm(str(r["id"]), str(r["email"]), str(r["phone"]), str(r["band"]),
			r["risk"], r["clv"], inForce(history)))
	}
	if len(rows) != len(keys) {
		return fmt.Errorf("%d of %d sampled identifiers found", len(rows), len(keys))
	}
	return nil
}

type consentDecision struct {
	purpose string
	granted bool
	at      string // RFC 3339 (baseline.Plain)
	key     string
}

// inForce is the normalized decision in force per purpose, among the purposes cdpgraph
// reports: the newest, and of two at the same instant the one with the smaller key.
func inForce(history []consentDecision) string {
	type pick struct {
		c  consentDecision
		at time.Time
	}
	latest := map[string]pick{}
	for _, c := range history {
		if !slices.Contains(cdp.ConsentPurposes, c.purpose) {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, c.at)
		if err != nil {
			continue
		}
		cur, ok := latest[c.purpose]
		if !ok || at.After(cur.at) || (at.Equal(cur.at) && c.key < cur.c.key) {
			latest[c.purpose] = pick{c, at}
		}
	}
	var parts []string
	for _, p := range latest {
		parts = append(parts, consentNorm(p.c.purpose, p.c.granted, p.at.Format(time.RFC3339Nano)))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func truthW6(ctx context.Context, db *baseline.DB, t *truth) error {
	rows, err := db.Rows(ctx, baseline.TruthW6, nil)
	if err != nil {
		return err
	}
	var out []string
	for _, r := range rows {
		out = append(out, w6Row(str(r["id"]), integer(r["idents"]), integer(r["referred"]), texts(r["referrals"])))
	}
	if len(out) > 0 {
		t.set("w6", "", strings.Join(out, ";"))
	}
	return nil
}

func truthW7(ctx context.Context, db *baseline.DB, t *truth) error {
	rows, err := db.Rows(ctx, baseline.TruthW7, nil)
	if err != nil {
		return err
	}
	for _, r := range rows {
		t.set("w7", str(r["id"]), w7Norm(integer(r["total"]), texts(r["first"])))
	}
	return nil
}

func anys(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
