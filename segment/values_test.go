package segment

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

func fieldError(t *testing.T, err error) *cdp.Error {
	t.Helper()
	var e *cdp.Error
	if !errors.As(err, &e) || e.Code != cdp.EINVALID {
		t.Fatalf("error %v, want an invalid-input error", err)
	}
	return e
}

// One vocabulary: values in any case come out in the canonical spelling, and a value no
// customer can have is an error naming the field and listing the valid values.
func TestDefinitionValuesAreCheckedAgainstTheVocabulary(t *testing.T) {
	values := &countingValues{}
	s := &Service{Values: values, Now: func() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) }}
	ctx := context.Background()

	d := Definition{And: []Definition{
		{RFMSegments: []string{"champions", "AT RISK"}},
		{ChurnBands: []string{"high", "Critical"}},
		{Purchased: &Purchased{Category: " Shoes "}},
	}}
	sent, _ := json.Marshal(d)
	if err := s.prepare(ctx, &d); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.And[0].RFMSegments, []string{"Champions", "At Risk"}) || !slices.Equal(d.And[1].ChurnBands, []string{"HIGH", "CRITICAL"}) ||
		d.And[2].Purchased.Category != "shoes" {
		t.Fatalf("canonical definition %+v", d)
	}
	var again Definition
	_ = json.Unmarshal(sent, &again)
	if after, _ := json.Marshal(again); string(after) != string(sent) {
		t.Fatalf("the caller's definition changed")
	}

	for _, c := range []struct {
		d           Definition
		field, want string
	}{
		{Definition{Or: []Definition{{ChurnBands: []string{"LOW"}}, {RFMSegments: []string{"Champion"}}}}, "definition.or[1].rfmSegments[0]", "Champions, Loyal"},
		{Definition{ChurnBands: []string{"severe"}}, "definition.churnBands[0]", "LOW, MEDIUM, HIGH, CRITICAL"},
		{Definition{Not: &Definition{Purchased: &Purchased{Category: "tea"}}}, "definition.not.purchased.category", "apparel, shoes"},
	} {
		err := s.prepare(ctx, &c.d)
		if e := fieldError(t, err); e.Field != c.field || !strings.Contains(e.Message, c.want) {
			t.Errorf("error %v, want field %s listing %s", err, c.field, c.want)
		}
	}
	// A category that arrived since the cached read is accepted: the data is read again.
	reads := values.reads
	values.categories = []string{"tea"}
	if err := s.prepare(ctx, &Definition{Purchased: &Purchased{Category: "Tea"}}); err != nil || values.reads != reads+1 {
		t.Fatalf("new category: %v after %d reads", err, values.reads-reads)
	}
}

type memSegments struct {
	cdp.SegmentStore
	updated []*cdp.Segment
}

func (m *memSegments) UpdateSegment(_ context.Context, s *cdp.Segment) error {
	c := *s
	m.updated = append(m.updated, &c)
	return nil
}

// Saved definitions in an older spelling keep working and are rewritten once; one with a
// value no longer valid is left as it is.
func TestSavedDefinitionsAreMigratedToTheCanonicalSpelling(t *testing.T) {
	store := &memSegments{}
	s := NewService(store, nil, nil)
	ctx := context.Background()
	seg := &cdp.Segment{ID: "seg_1", Name: "old", Definition: `{"and":[{"churnBands":["high"]},{"rfmSegments":["champions"]},{"purchased":{"category":"Tea"}}]}`}
	var d Definition
	_ = json.Unmarshal([]byte(seg.Definition), &d)
	s.migrate(ctx, seg, &d)
	want := `{"and":[{"churnBands":["HIGH"]},{"rfmSegments":["Champions"]},{"purchased":{"category":"tea"}}]}`
	if len(store.updated) != 1 || store.updated[0].Definition != want || d.And[1].RFMSegments[0] != "Champions" {
		t.Fatalf("updated %+v, definition %+v", store.updated, d)
	}
	s.migrate(ctx, store.updated[0], &d)
	if len(store.updated) != 1 {
		t.Fatalf("a canonical definition was rewritten again")
	}
	renamed := &cdp.Segment{ID: "seg_2", Name: "renamed", Definition: `{"rfmSegments":["Superstars"]}`}
	d = Definition{RFMSegments: []string{"Superstars"}}
	s.migrate(ctx, renamed, &d)
	if len(store.updated) != 1 || d.RFMSegments[0] != "Superstars" {
		t.Fatalf("an invalid saved definition was changed: %+v", d)
	}
}
