package segment

import (
	"context"
	"slices"
	"testing"
	"time"
)

type countingValues struct {
	reads      int
	sources    []string
	categories []string // added to shoes and apparel
}

func (c *countingValues) DataVocabulary(context.Context) (categories, eventTypes, sources, consentPurposes []string, err error) {
	c.reads++
	return append([]string{"shoes", "apparel", "shoes"}, c.categories...), nil, slices.Clone(c.sources), []string{"profiling"}, nil
}

// The data-held lists are read at most once a minute, sorted and deduplicated; after the
// minute the old lists answer while a background read refreshes them; and a caller changing
// its copy does not change what the next caller gets.
func TestVocabularyReadsTheDataOncePerMinute(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	values := &countingValues{sources: []string{"web", "crm"}}
	s := &Service{Values: values, Now: func() time.Time { return now }, RFMSegments: []string{"Champions"}}
	ctx := context.Background()

	v, err := s.Vocabulary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Categories, []string{"apparel", "shoes"}) || !slices.Equal(v.Sources, []string{"crm", "web"}) || v.EventTypes == nil {
		t.Fatalf("vocabulary %+v", v)
	}
	v.Sources[0], v.RFMSegments[0] = "changed", "changed"

	values.sources = []string{"pos"}
	now = now.Add(30 * time.Second)
	v, err = s.Vocabulary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if values.reads != 1 || !slices.Equal(v.Sources, []string{"crm", "web"}) || v.RFMSegments[0] != "Champions" {
		t.Fatalf("within the minute: %d reads, sources %v, RFM %v", values.reads, v.Sources, v.RFMSegments)
	}

	now = now.Add(time.Minute)
	if v, err = s.Vocabulary(ctx); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Sources, []string{"crm", "web"}) {
		t.Fatalf("after the minute, the first answer: sources %v, want the old ones at once", v.Sources)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if v, err = s.Vocabulary(ctx); err != nil {
			t.Fatal(err)
		}
		if slices.Equal(v.Sources, []string{"pos"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the background read never landed: sources %v", v.Sources)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if values.reads != 2 {
		t.Fatalf("after the minute: %d reads, want 2", values.reads)
	}
}
