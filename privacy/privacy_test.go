package privacy

import (
	"slices"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
)

// The erasure rule: record keys and the person's own identifiers are suppressed; an
// identifier other customers' records hold too is kept for them and not suppressed, and a
// blocked placeholder value is deleted but not suppressed.
func TestPlanSuppressesOnlyWhatWasThePersonsAlone(t *testing.T) {
	f := &cdp.ErasureFacts{CustomerID: "cus_1", SourceRecords: []string{"web:u1", "crm:C1"}, Identifiers: []cdp.HeldIdentifier{
		{Key: "email:ann@qq.com"}, {Key: "device_id:d1", Shared: true}, {Key: "phone:+8613800138000"}, {Key: "email:test@example.com", Blocked: true}}}
	p := Plan(f, "cus_new")
	if want := []string{"crm:C1", "email:ann@qq.com", "phone:+8613800138000", "web:u1"}; !slices.Equal(p.Suppress, want) || !slices.Equal(p.Preview.Suppressed, want) {
		t.Errorf("suppressed %v, want %v", p.Suppress, want)
	}
	if !slices.Equal(p.Preview.SharedIdentifiers, []string{"device_id:d1"}) || slices.Contains(p.Preview.Identifiers, "device_id:d1") ||
		!slices.Contains(p.Preview.Identifiers, "email:test@example.com") {
		t.Errorf("preview %+v", p.Preview)
	}
	if p.NewCustomerID != "cus_new" || p.Preview.CustomerID != "cus_1" {
		t.Errorf("ids %+v", p)
	}
	a, _ := randomCustomerID()
	b, _ := randomCustomerID()
	if a == b || !strings.HasPrefix(a, "cus_") || len(a) != len("cus_")+16 {
		t.Errorf("random ids %s %s", a, b)
	}
}
