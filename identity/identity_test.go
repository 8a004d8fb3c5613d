package identity

import (
	"reflect"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

func TestUnionFindGroupsAreOrderIndependent(t *testing.T) {
	pairs := [][2]string{{"c", "d"}, {"a", "b"}, {"b", "c"}, {"x", "y"}}
	u1, u2 := NewUnionFind(), NewUnionFind()
	for _, p := range pairs {
		u1.Union(p[0], p[1])
	}
	for i := len(pairs) - 1; i >= 0; i-- {
		u2.Union(pairs[i][1], pairs[i][0])
	}
	u1.Add("z")
	u2.Add("z")
	want := map[string][]string{"a": {"a", "b", "c", "d"}, "x": {"x", "y"}, "z": {"z"}}
	if got := u1.Groups(); !reflect.DeepEqual(got, want) {
		t.Fatalf("groups = %v, want %v", got, want)
	}
	if got := u2.Groups(); !reflect.DeepEqual(got, want) {
		t.Fatalf("reversed groups = %v, want %v", got, want)
	}
}

func TestGoldenTakesNewestValuePerFieldAndSaysWhere(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	crm := &cdp.SourceRecord{Source: "crm", SourceID: "1", UpdatedAt: day(1),
		Profile: cdp.Profile{GivenName: "Ann", FamilyName: "Lee", City: "Shanghai", Email: "ann@x.com"}}
	pos := &cdp.SourceRecord{Source: "pos", SourceID: "9", UpdatedAt: day(5),
		Profile: cdp.Profile{FamilyName: "Li", City: "Hangzhou"}}
	web := &cdp.SourceRecord{Source: "web", SourceID: "u1", UpdatedAt: day(5),
		Profile: cdp.Profile{City: "Suzhou"}}
	placeholder := &cdp.SourceRecord{Source: "pos", SourceID: "0", Placeholder: true, UpdatedAt: day(9)}

	p, prov := DefaultRules().Golden([]*cdp.SourceRecord{web, crm, placeholder, pos})
	want := cdp.Profile{GivenName: "Ann", FamilyName: "Li", City: "Hangzhou", Email: "ann@x.com"}
	if p != want {
		t.Fatalf("profile = %+v, want %+v", p, want)
	}
	wantProv := []cdp.Provenance{
		{Field: "givenName", Source: "crm", SourceID: "1"},
		{Field: "familyName", Source: "pos", SourceID: "9"},
		{Field: "email", Source: "crm", SourceID: "1"},
		{Field: "city", Source: "pos", SourceID: "9"}, // same time as web: pos has priority
	}
	if !reflect.DeepEqual(prov, wantProv) {
		t.Fatalf("provenance = %+v, want %+v", prov, wantProv)
	}
}

func TestDefaultRulesDoNotTrustDevicesOrCookies(t *testing.T) {
	r := DefaultRules()
	if r.Trusted[cdp.IdentifierDeviceID] || r.Trusted[cdp.IdentifierCookieID] {
		t.Fatal("device and cookie ids must not merge records on their own")
	}
	if got := r.TrustedTypes(); !reflect.DeepEqual(got, []string{"email", "external_id", "loyalty_id", "phone", "social_handle"}) {
		t.Fatalf("trusted types = %v", got)
	}
}
