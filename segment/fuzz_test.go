package segment

import (
	"errors"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/churn"
)

// marker starts and ends every fuzzed free-text value. The compiled text is ASCII
// constants, so a marker in it could only have come from a definition.
const marker = "\u2603"

var paramRef = regexp.MustCompile(`\$(\w+)`)

// FuzzCompile builds definitions of every kind from fuzzed strings and numbers and checks
// that Compile never panics, that no fuzzed string reaches the Cypher text, that the text
// depends only on the definition's shape and enums, and that parameters and references
// agree.
func FuzzCompile(f *testing.F) {
	f.Add("CN", "tea", "clv", "login", int64(2), int64(90), uint32(0x3fff00))
	f.Add("' OR 1=1 //", "}) MATCH (n) DETACH DELETE n //", "c.clv", "x", int64(1), int64(3), uint32(0x7fffff))
	f.Add("$p0", "`", "country", "HIGH", int64(-1), int64(1<<40), uint32(0xffffffff))
	f.Add("", " ", "", "", int64(0), int64(0), uint32(0))
	f.Fuzz(func(t *testing.T, s1, s2, e1, e2 string, n1, n2 int64, shape uint32) {
		d, raw := fuzzDefinition([2]string{s1, s2}, [2]string{e1, e2}, n1, n2, shape)
		q, err := Compile(d, asOf)
		if err != nil {
			var e *cdp.Error
			if !errors.As(err, &e) || e.Code != cdp.EINVALID || !strings.HasPrefix(e.Field, "definition") || e.Message == "" {
				t.Fatalf("error %v, want invalid input naming a path in the definition", err)
			}
			return
		}
		// Every text that reaches Cypher: both forms and the population's subqueries.
		text := q.Where + "\n" + q.Population + "\n" + q.Prelude()
		for _, s := range []string{s1, s2} {
			if strings.Contains(text, marker+s+marker) {
				t.Fatalf("fuzzed string %q is in the text: %s", s, text)
			}
		}
		if strings.Contains(text, marker) {
			t.Fatalf("part of a fuzzed string is in the text: %s", text)
		}
		for _, r := range raw {
			if !vocabulary[strings.ToLower(strings.TrimSpace(r))] {
				t.Fatalf("%q is no known name yet compiled", r)
			}
		}
		same, _ := fuzzDefinition([2]string{"a", "b"}, [2]string{e1, e2}, n1, n2, shape)
		other, err := Compile(same, asOf)
		if err != nil || other.Where != q.Where || other.Population != q.Population || other.Prelude() != q.Prelude() {
			t.Fatalf("other strings changed the text (%v):\n%s\n%s", err, text, other.Where+"\n"+other.Population+"\n"+other.Prelude())
		}
		// Each form uses every parameter: the population form computes the same thing.
		for _, form := range []string{q.Where, q.Population + "\n" + q.Prelude()} {
			refs := map[string]bool{}
			for _, m := range paramRef.FindAllStringSubmatch(form, -1) {
				refs[m[1]] = true
				if _, ok := q.Params[m[1]]; !ok {
					t.Fatalf("$%s has no value: %s", m[1], form)
				}
			}
			for name := range q.Params {
				if !refs[name] || !regexp.MustCompile(`^p\d+$`).MatchString(name) {
					t.Fatalf("parameter %s is unused or misnamed: %s", name, form)
				}
			}
		}
	})
}

var (
	profileFields = append(slices.Sorted(maps.Keys(profileProps)), sourceField)
	scoreFields   = slices.Sorted(maps.Keys(scoreProps))
	ops           = []string{OpEq, OpIn, OpNotIn, OpPrefix}
	identTypes    = func() []string {
		out := make([]string, len(cdp.IdentifierTypes))
		for i, t := range cdp.IdentifierTypes {
			out[i] = string(t)
		}
		return out
	}()
	// vocabulary is every name a definition may use for an enum.
	vocabulary = func() map[string]bool {
		v := map[string]bool{}
		for _, list := range [][]string{profileFields, scoreFields, ops, identTypes, cdp.ConsentPurposes, churn.BandNames, cdp.EventTypes} {
			for _, s := range list {
				v[strings.ToLower(s)] = true
			}
		}
		return v
	}()
)

// fuzzDefinition combines predicates chosen by shape. Free-text values come from text,
// wrapped in markers; an enum comes from its list by a number, or raw from enum when its
// bit in shape says so (raw returns those). Numbers go in unchecked so that out-of-range
// values are explored too.
func fuzzDefinition(text, enum [2]string, n1, n2 int64, shape uint32) (Definition, []string) {
	var raw []string
	t1, t2 := marker+text[0]+marker, marker+text[1]+marker
	pick := func(bit uint, list []string, k int64) string {
		if shape&(1<<bit) != 0 {
			raw = append(raw, enum[bit%2])
			return enum[bit%2]
		}
		return list[uint64(k)%uint64(len(list))]
	}
	i1, i2 := int(n1%200), int(n2%200)
	f1, f2 := float64(n1)/16, float64(n2)/16
	if shape&(1<<24) != 0 {
		f2 = math.Float64frombits(uint64(n2))
	}
	values := []string{t1}
	if shape&(1<<25) != 0 {
		values = append(values, t2)
	}
	kinds := []func() Definition{
		func() Definition {
			return Definition{Profile: &Profile{Field: pick(0, profileFields, n1), Op: pick(1, ops, n2), Values: values}}
		},
		func() Definition { return Definition{Age: &Age{Min: &i1, Max: &i2}} },
		func() Definition {
			return Definition{Identifier: &Identifier{Type: pick(2, identTypes, n1), Present: n2%2 == 0}}
		},
		func() Definition {
			return Definition{Consent: &Consent{Purpose: pick(3, cdp.ConsentPurposes, n2), Granted: n1%2 == 0}}
		},
		func() Definition {
			return Definition{Score: &Score{Field: pick(4, scoreFields, n1), Min: &f1, Max: &f2}}
		},
		func() Definition { return Definition{RFMSegments: []string{t1, t2}} },
		func() Definition { return Definition{ChurnBands: []string{pick(5, churn.BandNames, n1)}} },
		func() Definition {
			p := &Purchased{MinTimes: int(n1 % 20000), WithinDays: int(n2 % 40000)}
			switch {
			case shape&(1<<26) != 0 && shape&(1<<27) != 0:
				p.Category, p.SKU = t1, t2
			case shape&(1<<26) != 0:
				p.SKU = t2
			case shape&(1<<27) != 0:
				p.Category = t1
			}
			return Definition{Purchased: p}
		},
		func() Definition {
			return Definition{Event: &Event{Type: pick(6, cdp.EventTypes, n2), MinCount: int(n2 % 20000),
				WithinDays: int(n1 % 40000), Absent: shape&(1<<28) != 0}}
		},
		func() Definition { return Definition{NearDetractor: &NearDetractor{Hops: int(n1 % 5)}} },
		func() Definition { return Definition{ReferredByInfluencer: &ReferredByInfluencer{TopRank: int(n2)}} },
		func() Definition { return Definition{InCommunity: &InCommunity{ID: t2}} },
		func() Definition { return Definition{HouseholdHighValue: &HouseholdHighValue{MinCLV: f2}} },
	}
	var preds []Definition
	for k, kind := range kinds {
		if shape&(1<<(8+k)) != 0 {
			preds = append(preds, kind())
		}
	}
	if len(preds) == 0 {
		preds = append(preds, kinds[uint64(n1)%uint64(len(kinds))]())
	}
	switch shape >> 29 & 3 {
	case 0:
		return Definition{And: preds}, raw
	case 1:
		return Definition{Or: preds}, raw
	case 2:
		return Definition{Not: &Definition{Or: preds}}, raw
	}
	return Definition{And: append([]Definition{{Not: &preds[0]}}, preds[1:]...)}, raw
}
