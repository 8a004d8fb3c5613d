package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cdpgraph/cdpgraph/normalize"
)

// residentID builds a valid Chinese resident id: area, birth date, sequence, check digit.
func residentID(t testing.TB, area, birth string, seq int) string {
	t.Helper()
	body := fmt.Sprintf("%s%s%03d", area, strings.ReplaceAll(birth, "-", ""), seq)
	d, err := normalize.ResidentIDCheckDigit(body)
	if err != nil {
		t.Fatal(err)
	}
	return body + string(d)
}

func TestPersonalIDLevels(t *testing.T) {
	twinA := residentID(t, "310104", "1992-04-17", 231)
	twinB := residentID(t, "310104", "1992-04-17", 233) // the next one issued: two digits apart
	swapped := []byte(twinA)
	swapped[10], swapped[11] = swapped[11], swapped[10] // month digits swapped: fails the check
	changed := []byte(twinA)
	changed[3] = '9'
	cases := []struct {
		typ, a, b, want string
	}{
		{"national_id", twinA, twinA, LevelExact},
		{"national_id", twinA, twinB, LevelDifferent},
		{"national_id", twinA, string(swapped), LevelTypo},
		{"national_id", twinA, string(changed), LevelTypo},
		{"national_id", twinA, twinA[:16] + "99", LevelTypo},                             // two digits wrong, check fails
		{"national_id", twinA, residentID(t, "440524", "1980-01-01", 1), LevelDifferent}, // another person altogether
		{"passport", "E12345678", "E12345678", LevelExact},
		{"passport", "E12345678", "E12354678", LevelTypo},
		{"passport", "E12345678", "E1234567", LevelTypo},
		{"passport", "E12345678", "E12345699", LevelDifferent},
		{"tax_id", "DE123456789", "de 123 456 789", LevelExact},
		{"tax_id", "1234", "1235", LevelDifferent}, // too short to call a typo
	}
	for _, c := range cases {
		if got := PersonalIDLevel(c.typ, c.a, c.b); got != c.want {
			t.Errorf("%s %s vs %s: %s, want %s", c.typ, c.a, c.b, got, c.want)
		}
	}
}

func TestPersonalIDsDiffer(t *testing.T) {
	twinA, twinB := residentID(t, "310104", "1992-04-17", 231), residentID(t, "310104", "1992-04-17", 233)
	a := []PersonalID{{"national_id", twinA}, {"passport", "E12345678"}}
	b := []PersonalID{{"national_id", twinB}, {"passport", "E12354678"}, {"tax_id", "X123456"}}
	if got := PersonalIDsDiffer(a, b); !slices.Equal(got, []string{"national_id"}) {
		t.Errorf("differ on %v, want [national_id] (the passport is a typo, tax_id only on one side)", got)
	}
	// one record with two national ids, one of which the other shares: no disagreement
	c := []PersonalID{{"national_id", twinB}, {"national_id", twinA}}
	if got := PersonalIDsDiffer(a, c); len(got) != 0 {
		t.Errorf("differ on %v, want none", got)
	}
	if got := PersonalIDsDiffer(nil, b); len(got) != 0 {
		t.Errorf("differ on %v with nothing on one side", got)
	}
	// the comparison of the two records says the same
	pa, pb := prepare(&Record{PersonalIDs: a}), prepare(&Record{PersonalIDs: b})
	if c := comparePersonal(pa.pids, pb.pids); personalLevels[c.level] != LevelTypo {
		t.Errorf("comparison level %v, want typo (best of the types)", c.level)
	}
}

// twinsPopulation: households in which twins share family name, address, birth date and
// the family phone, with their own given names and resident ids; each person has a second
// record in another source, whose resident id is missing, copied right or mistyped.
func twinsPopulation(t testing.TB, households int, seed uint64) ([]Record, map[string]string) {
	rng := rand.New(rand.NewPCG(seed, 17))
	family := []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"}
	syllables := []string{"wei", "fang", "min", "jing", "lei", "yan", "jun", "tao", "ming", "hui", "ling", "qiang", "xiu", "bo", "na", "hong", "jie", "ping", "yu", "xin"}
	var given []string
	for _, a := range syllables {
		for _, b := range syllables {
			given = append(given, a+b)
		}
	}
	var recs []Record
	truth := map[string]string{}
	for h := range households {
		fam := family[rng.IntN(len(family))]
		birth := fmt.Sprintf("%04d-%02d-%02d", 1960+rng.IntN(45), 1+rng.IntN(12), 1+rng.IntN(28))
		addr := fmt.Sprintf("%d Lane %d Changning Road", 1+rng.IntN(300), 1+rng.IntN(900))
		phone := fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1000000000))
		seq := 100 + rng.IntN(800)
		people := 1
		if h%20 == 0 {
			people = 2 // twins: more than in life, to make the test bite
		}
		names := rng.Perm(len(given))
		for k := range people {
			person := fmt.Sprintf("h%04d-%d", h, k)
			nid := residentID(t, "310105", birth, seq+2*k)
			base := Record{GivenName: given[names[k]], FamilyName: fam, BirthDate: birth, AddressLine1: addr,
				City: "shanghai", Phone: phone, Source: "crm", PersonalIDs: []PersonalID{{"national_id", nid}}}
			base.ID = person + "-crm"
			recs = append(recs, base)
			truth[base.ID] = person
			dup := base
			dup.ID, dup.Source = person+"-pos", "pos"
			switch rng.IntN(10) {
			case 0, 1, 2, 3:
				dup.PersonalIDs = nil
			case 4:
				b := []byte(nid)
				i := 6 + rng.IntN(10)
				b[i], b[i+1] = b[i+1], b[i]
				if b[i] == b[i+1] {
					b[i] = '0' + (b[i]-'0'+1)%10
				}
				dup.PersonalIDs = []PersonalID{{"national_id", string(b)}}
			}
			if rng.IntN(2) == 0 {
				dup.Phone = ""
			}
			recs = append(recs, dup)
			truth[dup.ID] = person
		}
	}
	return recs, truth
}

// EM learns that a different resident id means another person while a mistyped one links.
// Twins who share family name, address, phone and birth date still outweigh it: that is
// what the rules' veto is for (independent fields are not independent in a household).
func TestEMLearnsPersonalIDDisagreement(t *testing.T) {
	recs, truth := twinsPopulation(t, 1600, 7)
	res, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var levels map[string]LevelWeight
	for _, f := range res.Model.Fields {
		if f.Field == FieldPersonalID {
			levels = map[string]LevelWeight{}
			for _, l := range f.Levels {
				levels[l.Level] = l
			}
		}
	}
	if levels == nil {
		t.Fatal("the model has no personal_id field")
	}
	if levels[LevelDifferent].Weight > -3.5 || levels[LevelExact].Weight < 3 || levels[LevelTypo].Weight < 3 {
		t.Errorf("personal_id weights exact %+.2f typo %+.2f different %+.2f; want exact and typo strongly positive, different strongly negative",
			levels[LevelExact].Weight, levels[LevelTypo].Weight, levels[LevelDifferent].Weight)
	}
	p, r, f1, c := Evaluate(Clusters(recs, res.Matches), truth)
	t.Logf("P %.4f R %.4f F1 %.4f %+v", p, r, f1, c)
	twinsMerged := 0
	for _, m := range res.Matches {
		if truth[m.A] != truth[m.B] {
			twinsMerged++
		}
	}
	t.Logf("%d of %d pairs merged are twins", twinsMerged, len(res.Matches))
	if r < 0.9 {
		t.Errorf("recall %.4f", r)
		t.Log(res.Model.Report())
	}
	a, b := recs[0], recs[0]
	b.ID, b.PersonalIDs = "typo", []PersonalID{{"national_id", a.PersonalIDs[0].Value[:17] + "0"}}
	if a.PersonalIDs[0].Value[17] == '0' {
		b.PersonalIDs[0].Value = a.PersonalIDs[0].Value[:17] + "1"
	}
	if got := res.Model.Score(&a, &b); got.Probability < 0.95 {
		t.Errorf("a record with its id's check digit mistyped scores %.3f", got.Probability)
	}
}

func TestBoundWorseErrors(t *testing.T) {
	m := [maxLevels]float64{0.7, 0.1, 0.2}
	boundWorseErrors(&m)
	if !near(m[0], 0.7, 1e-12) || !near(m[1]+m[2], 0.3, 1e-12) || !near(m[2], worseErrorShare*m[1], 1e-12) {
		t.Errorf("bound not applied as the constrained maximum: %v", m[:3])
	}
	m = [maxLevels]float64{0.9, 0.08, 0.02}
	boundWorseErrors(&m)
	if m[1] != 0.08 || m[2] != 0.02 {
		t.Errorf("a satisfied bound changed m: %v", m[:3])
	}
}
