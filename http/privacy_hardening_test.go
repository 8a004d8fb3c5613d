package http_test

import (
	"encoding/csv"
	"net/http/httptest"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// exportCSV downloads a segment's members as CSV with the key's secret.
func exportCSV(t *testing.T, a *api, segment, key string) [][]string {
	t.Helper()
	req := httptest.NewRequest("GET", "/segments/"+segment+"/members.csv", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || rec.Code != 200 {
		t.Fatalf("export: %d %v", rec.Code, err)
	}
	return rows
}

// Issue 14 #10: spreadsheet formulas in names or cities are exported as text.
func TestSegmentExportNeutralizesFormulas(t *testing.T) {
	a := newAPI(t, options())
	var r map[string]struct{ Accepted, Rejected int }
	post(t, a.c, `mutation { r: ingestCustomers(source: "crm", records: [
  {sourceId: "X1", fullName: "+cmd|' /C calc'!A", email: "x1@example.com", city: "=HYPERLINK(\"http://evil.example\",\"open\")", country: "CN"},
  {sourceId: "X2", fullName: "@SUM(A+B)*cmd|' /C calc'!A", email: "x2@example.com", city: "-2+3+cmd|' /C calc'!A0", country: "CN"}]) { accepted rejected } }`, &r)
	if r["r"].Accepted != 2 {
		t.Fatalf("ingest %+v", r)
	}
	var seg struct{ CreateSegment struct{ ID string } }
	post(t, a.c, `mutation { createSegment(name: "cn", definition: {profile: {field: "country", op: "eq", values: ["CN"]}}) { id } }`, &seg)
	rows := exportCSV(t, a, seg.CreateSegment.ID, a.key)
	if len(rows) != 3 {
		t.Fatalf("rows %q", rows)
	}
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s exported as a formula: %q", rows[0][i], cell)
			}
		}
		if !strings.HasPrefix(row[1], "'") || !strings.HasPrefix(row[4], "'") {
			t.Errorf("name and city not neutralized: %q", row)
		}
	}
	// An analyst's pseudonymized export goes through the same writer.
	rows = exportCSV(t, a, seg.CreateSegment.ID, a.newKey(t, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}))
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[4], "'") || !strings.HasPrefix(row[1], "anon_") {
			t.Errorf("analyst row %q", row)
		}
	}
}
