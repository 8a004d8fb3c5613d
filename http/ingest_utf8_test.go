package http_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Invalid UTF-8 sent to an ingest mutation is never stored as U+FFFD: the JSON decoder
// turns bad bytes (and lone surrogate escapes) into U+FFFD, and ingest refuses a value
// holding it, naming the record and field, while the batch's other records land.
func TestIngestMutationRefusesInvalidUTF8ByField(t *testing.T) {
	a := newAPI(t, options())
	const mutation = `mutation($r: [CustomerRecordInput!]!) { ingestCustomers(source: "crm", records: $r) { accepted rejected errors { index field message } } }`
	body := `{"query":` + ingestUTF8JSON(t, mutation) + `,"variables":{"r":[` +
		`{"sourceId":"G1","givenName":"Ann"},` +
		`{"sourceId":"G2","givenName":"B` + "\xff" + `o"},` +
		`{"sourceId":"G3","city":"\udc00"},` +
		`{"sourceId":"G4","givenName":"Dee` + "\xe4" + `"}]}}`
	r := postAccept(t, a, jsonMedia, body)
	var out struct {
		Data struct {
			IngestCustomers struct {
				Accepted, Rejected int
				Errors             []struct {
					Index          int
					Field, Message string
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	res := out.Data.IngestCustomers
	got := map[int]string{}
	for _, e := range res.Errors {
		got[e.Index] = e.Field + ": " + e.Message
	}
	if res.Accepted != 1 || res.Rejected != 3 || !strings.HasPrefix(got[1], "given_name: contains U+FFFD") ||
		!strings.HasPrefix(got[2], "city: contains U+FFFD") || !strings.HasPrefix(got[3], "given_name: contains U+FFFD") {
		t.Fatalf("%d: %s", r.status, r.body)
	}
}

func ingestUTF8JSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
