package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

func TestExportAndEraseThroughGraphQL(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 3)
	var who struct{ CustomerByIdentifier struct{ ID string } }
	post(t, a.c, `{ customerByIdentifier(type: EMAIL, value: "p1@example.com") { id } }`, &who)
	id := who.CustomerByIdentifier.ID

	var exp struct{ ExportCustomer string }
	post(t, a.c, `query($id: ID!) { exportCustomer(id: $id) }`, &exp, client.Var("id", id))
	var doc struct {
		Customer      struct{ Profile struct{ Email string } }
		Orders        []json.RawMessage
		SourceRecords []json.RawMessage
	}
	if err := json.Unmarshal([]byte(exp.ExportCustomer), &doc); err != nil || doc.Customer.Profile.Email != "p1@example.com" || len(doc.Orders) != 2 || len(doc.SourceRecords) != 1 {
		t.Fatalf("export %s (%v)", exp.ExportCustomer, err)
	}

	var prev struct {
		ErasurePreview struct {
			SourceRecords []string
			Identifiers   []string
			FeedbackTexts int
		}
	}
	post(t, a.c, `query($id: ID!) { erasurePreview(id: $id) { sourceRecords identifiers feedbackTexts } }`, &prev, client.Var("id", id))
	if p := prev.ErasurePreview; len(p.SourceRecords) != 1 || len(p.Identifiers) != 2 || p.FeedbackTexts != 1 {
		t.Fatalf("preview %+v", p)
	}
	var erased struct {
		EraseCustomer struct {
			CustomerID string
			Suppressed []string
		}
	}
	post(t, a.c, `mutation($id: ID!) { eraseCustomer(id: $id) { customerId suppressed } }`, &erased, client.Var("id", id))
	// The record and the phone; p1@example.com is a blocked placeholder domain, which
	// identifies no one and is not suppressed.
	if e := erased.EraseCustomer; strings.Join(e.Suppressed, " ") != "crm:C1 phone:+8613800000001" {
		t.Fatalf("erasure %+v", e)
	}
	// What stays is anonymous under a new random id: the erased id names no one any more.
	codes, _ := errorCodes(t, a.c, `query($id: ID!) { exportCustomer(id: $id) }`, client.Var("id", id))
	wantCode(t, "export after erasure", codes, "NOT_FOUND")
	var replay struct {
		IngestCustomers struct {
			Rejected int
			Errors   []struct{ Message string }
		}
	}
	post(t, a.c, `mutation { ingestCustomers(source: "crm", records: [{sourceId: "C1", familyName: "Again", email: "p1@example.com"}]) { rejected errors { message } } }`, &replay)
	if replay.IngestCustomers.Rejected != 1 || !strings.Contains(replay.IngestCustomers.Errors[0].Message, "erased") {
		t.Fatalf("replay after erasure: %+v", replay.IngestCustomers)
	}
}
