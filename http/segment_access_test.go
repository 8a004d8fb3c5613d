package http_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// Selecting customers by a personal field is a lookup: an analyst without the grant may
// not preview or save a segment on a postcode prefix or an age range (members one digit
// at a time would recover the postcode behind a pseudonym), anywhere in the definition.
func TestAnalystsSegmentOnlyByWhatTheySee(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 2)
	analyst := a.client(a.newKey(t, auth.KeySpec{Role: cdp.RoleAnalyst, Name: "analyst"}))
	const preview = `query($d: SegmentDefinition!) { previewSegment(definition: $d) { count } }`
	const create = `mutation($d: SegmentDefinition!) { createSegment(name: "probe", definition: $d) { id } }`
	postcode := map[string]any{"profile": map[string]any{"field": "postcode", "op": "prefix", "values": []string{"2"}}}
	for _, c := range []struct {
		query, path string
		def         map[string]any
	}{
		{preview, "definition.profile", postcode},
		{preview, "definition.and[1].not.profile", map[string]any{"and": []any{
			map[string]any{"profile": map[string]any{"field": "city", "op": "eq", "values": []string{"Shanghai"}}},
			map[string]any{"not": postcode}}}},
		{preview, "definition.age", map[string]any{"age": map[string]any{"min": 30, "max": 30}}},
		{preview, "definition.profile", map[string]any{"profile": map[string]any{"field": "gender", "op": "eq", "values": []string{"f"}}}},
		{create, "definition.profile", postcode},
	} {
		if errs := gqlErrors(t, analyst, c.query, client.Var("d", c.def)); len(errs) != 1 || errs[0] != (codeField{"FORBIDDEN", c.path}) {
			t.Errorf("%v: %v, want FORBIDDEN on %s", c.def, errs, c.path)
		}
	}
	var ok struct{ PreviewSegment struct{ Count int } }
	post(t, analyst, preview, &ok, client.Var("d", map[string]any{"profile": map[string]any{"field": "city", "op": "eq", "values": []string{"Shanghai"}}}))
	if ok.PreviewSegment.Count != 2 {
		t.Errorf("analyst segmenting by city: %+v", ok)
	}
	granted := a.client(a.newKey(t, auth.KeySpec{Role: cdp.RoleAnalyst, Name: "pii analyst", PII: true}))
	post(t, granted, preview, &ok, client.Var("d", postcode))
}
