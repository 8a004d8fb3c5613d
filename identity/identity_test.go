package identity

import (
	"os"
	"path/filepath"
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
	if r.Identifiers[cdp.IdentifierDeviceID].Trusted || r.Identifiers[cdp.IdentifierCookieID].Trusted {
		t.Fatal("device and cookie ids must not merge records on their own")
	}
	if got := r.TrustedTypes(); !reflect.DeepEqual(got, []string{"email", "external_id", "loyalty_id", "phone", "social_handle"}) {
		t.Fatalf("trusted types = %v", got)
	}
}

func TestBlockedValuesAndOverrides(t *testing.T) {
	r := DefaultRules()
	for _, id := range []cdp.Identifier{
		{Type: cdp.IdentifierEmail, Value: "test@test.com"},
		{Type: cdp.IdentifierEmail, Value: "noreply@shop.cn"},
		{Type: cdp.IdentifierEmail, Value: "ann@example.com"},
		{Type: cdp.IdentifierPhone, Value: "+8613000000000"},
	} {
		if !r.Blocked(id) {
			t.Errorf("%v should be blocked", id)
		}
	}
	for _, id := range []cdp.Identifier{
		{Type: cdp.IdentifierEmail, Value: "ann.lee@qq.com"},
		{Type: cdp.IdentifierPhone, Value: "+8613812345678"},
		{Type: cdp.IdentifierLoyaltyID, Value: "LY00000000"},
	} {
		if r.Blocked(id) {
			t.Errorf("%v should not be blocked", id)
		}
	}

	path := filepath.Join(t.TempDir(), "rules.json")
	os.WriteFile(path, []byte(`{"identifiers": {"device_id": {"trusted": true, "priority": 5, "max_records": 2, "blocked": ["kiosk-1"]}}, "source_priority": {"erp": 99}}`), 0o600)
	loaded, err := LoadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.Identifiers[cdp.IdentifierDeviceID].Trusted || loaded.MaxRecords()["device_id"] != int64(2) || loaded.SourcePriority["erp"] != 99 {
		t.Fatalf("override not applied: %+v", loaded.Identifiers[cdp.IdentifierDeviceID])
	}
	if !loaded.Blocked(cdp.Identifier{Type: cdp.IdentifierDeviceID, Value: "kiosk-1"}) || !loaded.Identifiers[cdp.IdentifierEmail].Trusted {
		t.Fatal("override lost a block list entry or a default type")
	}
	os.WriteFile(path, []byte(`{"identifiers": {"passport": {"trusted": true, "max_records": 1}}}`), 0o600)
	if _, err := LoadRules(path); err == nil {
		t.Fatal("an unknown identifier type was accepted")
	}
	os.WriteFile(path, []byte(`{"identifiers": {"email": {"trusted": true, "max_records": 3, "blocked_patterns": ["("]}}}`), 0o600)
	if _, err := LoadRules(path); err == nil {
		t.Fatal("a bad pattern was accepted")
	}
}
