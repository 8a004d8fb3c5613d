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

func TestGoldenFollowsEachFieldsStrategyAndSaysWhere(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	crm := &cdp.SourceRecord{Source: "crm", SourceID: "1", UpdatedAt: day(1),
		Profile: cdp.Profile{GivenName: "Ann", FamilyName: "Lee", City: "Shanghai", Postcode: "200001", Email: "ann@x.com", BirthDate: "1990-05-04"}}
	pos := &cdp.SourceRecord{Source: "pos", SourceID: "9", UpdatedAt: day(5),
		Profile: cdp.Profile{FamilyName: "Li", City: "Hangzhou", BirthDate: "1990-04-05", Email: "ann.li@x.com"}}
	web := &cdp.SourceRecord{Source: "web", SourceID: "u1", UpdatedAt: day(3),
		Profile: cdp.Profile{AddressLine1: "12 Nanjing Road", City: "Suzhou", BirthDate: "1990-05-04"}}
	placeholder := &cdp.SourceRecord{Source: "pos", SourceID: "0", Placeholder: true, UpdatedAt: day(9)}

	p, prov := DefaultRules().Golden([]*cdp.SourceRecord{web, crm, placeholder, pos})
	want := cdp.Profile{
		GivenName: "Ann", FamilyName: "Lee", // names: the most trusted source (crm), not the newer till record
		Email:     "ann.li@x.com", // contact: most recent
		BirthDate: "1990-05-04",   // two records agree against one typo
		City:      "Hangzhou",     // the address as a group from the most recent record with one:
	} //                                        pos has only a city, so no street or postcode come along
	if p != want {
		t.Fatalf("profile = %+v, want %+v", p, want)
	}
	wantProv := map[string]string{"givenName": "crm:1", "familyName": "crm:1", "email": "pos:9", "birthDate": "web:u1", "city": "pos:9"}
	if len(prov) != len(wantProv) {
		t.Fatalf("provenance = %+v", prov)
	}
	for _, pv := range prov {
		if wantProv[pv.Field] != pv.Source+":"+pv.SourceID {
			t.Errorf("%s from %s:%s, want %s", pv.Field, pv.Source, pv.SourceID, wantProv[pv.Field])
		}
	}

	r := DefaultRules()
	r.Survivorship = map[string]string{"familyName": MostRecent, "address": SourcePriority}
	p, _ = r.Golden([]*cdp.SourceRecord{web, crm, pos})
	if p.FamilyName != "Li" || p.City != "Shanghai" || p.Postcode != "200001" || p.AddressLine1 != "" {
		t.Fatalf("overridden strategies gave %+v", p)
	}
}

// A country (or region) stated without a street, city or postcode still reaches the golden
// record; a record with an address still wins over a newer one with only a country.
func TestGoldenKeepsACountryStatedWithoutAnAddress(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	wx := &cdp.SourceRecord{Source: "wx", SourceID: "o1", UpdatedAt: day(2), Profile: cdp.Profile{GivenName: "Wei", Country: "CN", Region: "ZJ"}}
	older := &cdp.SourceRecord{Source: "web", SourceID: "u1", UpdatedAt: day(1), Profile: cdp.Profile{Country: "SG"}}
	p, prov := DefaultRules().Golden([]*cdp.SourceRecord{older, wx})
	if p.Country != "CN" || p.Region != "ZJ" {
		t.Fatalf("profile %+v; want the newest record's country and region", p)
	}
	from := map[string]string{}
	for _, pv := range prov {
		from[pv.Field] = pv.Source + ":" + pv.SourceID
	}
	if from["country"] != "wx:o1" || from["region"] != "wx:o1" {
		t.Fatalf("provenance %v", from)
	}
	crm := &cdp.SourceRecord{Source: "crm", SourceID: "1", UpdatedAt: day(1), Profile: cdp.Profile{City: "Hangzhou", Country: "CN"}}
	newer := &cdp.SourceRecord{Source: "web", SourceID: "u2", UpdatedAt: day(5), Profile: cdp.Profile{Country: "SG"}}
	if p, _ := DefaultRules().Golden([]*cdp.SourceRecord{crm, newer}); p.City != "Hangzhou" || p.Country != "CN" {
		t.Fatalf("profile %+v; want crm's address, not a newer country alone", p)
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
	os.WriteFile(path, []byte(`{"survivorship": {"email": "loudest"}}`), 0o600)
	if _, err := LoadRules(path); err == nil {
		t.Fatal("an unknown survivorship strategy was accepted")
	}
	os.WriteFile(path, []byte(`{"identifiers": {"email": {"trusted": true, "max_records": 3, "blocked_patterns": ["("]}}}`), 0o600)
	if _, err := LoadRules(path); err == nil {
		t.Fatal("a bad pattern was accepted")
	}
}
