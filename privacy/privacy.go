// Package privacy serves the data subject's rights: a portable export of everything held
// about a person, and erasure that leaves anonymous aggregates and refuses the person's
// data if a batch is replayed.
package privacy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Service exports and erases customers.
type Service struct {
	Customers cdp.CustomerReader
	Erasure   cdp.ErasureStore
	Now       func() time.Time
}

// NewService returns a privacy service.
func NewService(customers cdp.CustomerReader, erasure cdp.ErasureStore) *Service {
	return &Service{Customers: customers, Erasure: erasure, Now: time.Now}
}

// Export is everything held about one person, for data portability.
type Export struct {
	ExportedAt    time.Time
	Customer      *cdp.Customer
	Identifiers   []cdp.Identifier
	SourceRecords []*cdp.SourceRecord
	Orders        []*cdp.Order
	Events        []*cdp.Event
	Feedback      []*cdp.Feedback
	SocialTies    []cdp.CustomerTie
	Consents      []cdp.Consent
	Household     *cdp.Household
}

// Export gathers a customer's data, every page of it.
func (s *Service) Export(ctx context.Context, id string) (*Export, error) {
	ids := []string{id}
	cs, err := s.Customers.CustomersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	if cs[id] == nil {
		return nil, &cdp.Error{Code: cdp.ENOTFOUND, Field: "id", Message: "no customer " + id}
	}
	out := &Export{ExportedAt: s.Now().UTC(), Customer: cs[id]}
	idents, err := s.Customers.IdentifiersByCustomerIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out.Identifiers = idents[id]
	recs, err := s.Customers.SourceRecordsByCustomerIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out.SourceRecords = recs[id]
	if out.Orders, err = all(ctx, id, s.Customers.OrdersByCustomerIDs); err != nil {
		return nil, err
	}
	if out.Events, err = all(ctx, id, func(ctx context.Context, ids []string, p cdp.PageArgs) (map[string]*cdp.Page[*cdp.Event], error) {
		return s.Customers.EventsByCustomerIDs(ctx, ids, cdp.EventFilter{}, p)
	}); err != nil {
		return nil, err
	}
	if out.Feedback, err = all(ctx, id, s.Customers.FeedbackByCustomerIDs); err != nil {
		return nil, err
	}
	ties, err := s.Customers.TiesByCustomerIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out.SocialTies = ties[id]
	consents, err := s.Customers.ConsentsByCustomerIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out.Consents = consents[id]
	hh, err := s.Customers.HouseholdsByCustomerIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out.Household = hh[id]
	return out, nil
}

// all reads every page of one customer's children.
func all[T any](ctx context.Context, id string, read func(context.Context, []string, cdp.PageArgs) (map[string]*cdp.Page[T], error)) ([]T, error) {
	var out []T
	page := cdp.PageArgs{First: 1000}
	for {
		m, err := read(ctx, []string{id}, page)
		if err != nil {
			return nil, err
		}
		p := m[id]
		if p == nil {
			return out, nil
		}
		out = append(out, p.Items...)
		if !p.HasNextPage || len(p.Cursors) == 0 {
			return out, nil
		}
		page.After = p.Cursors[len(p.Cursors)-1]
	}
}

// Preview lists what Erase would remove and suppress.
func (s *Service) Preview(ctx context.Context, id string) (*cdp.ErasurePreview, error) {
	f, err := s.Erasure.ErasureFacts(ctx, id)
	if err != nil {
		return nil, err
	}
	return Plan(f, "").Preview, nil
}

// Erase removes a customer's personal data and suppresses it from future ingest.
func (s *Service) Erase(ctx context.Context, id string) (*cdp.ErasurePreview, error) {
	newID, err := randomCustomerID()
	if err != nil {
		return nil, err
	}
	plan, err := s.Erasure.Erase(ctx, id, s.Now().UTC(), func(f *cdp.ErasureFacts) (*cdp.ErasurePlan, error) {
		return Plan(f, newID), nil
	})
	if err != nil {
		return nil, err
	}
	return plan.Preview, nil
}

// Plan decides an erasure. Every record key is suppressed, so a replay of the person's own
// batches is refused. An identifier is suppressed only if it was the person's alone: one
// that records of other customers hold too (a shared device, a family email) is unlinked
// from the person and left to the others, unsuppressed, or their records would be refused
// for ever. The person's own records carrying it stay refused by their record keys. A value
// the identity rules block (test@example.com) identifies no one and is not suppressed either.
// newID is the id the anonymous remainder gets.
func Plan(f *cdp.ErasureFacts, newID string) *cdp.ErasurePlan {
	p := &cdp.ErasurePreview{CustomerID: f.CustomerID, SourceRecords: sorted(f.SourceRecords), ProfileFields: f.ProfileFields,
		FeedbackTexts: f.FeedbackTexts, EventDetails: f.EventDetails, SocialTies: f.SocialTies, Household: f.Household}
	p.Suppressed = slices.Clone(p.SourceRecords)
	for _, id := range f.Identifiers {
		switch {
		case id.Shared:
			p.SharedIdentifiers = append(p.SharedIdentifiers, id.Key)
		case id.Blocked:
			p.Identifiers = append(p.Identifiers, id.Key)
		default:
			p.Identifiers = append(p.Identifiers, id.Key)
			p.Suppressed = append(p.Suppressed, id.Key)
		}
	}
	p.Identifiers, p.SharedIdentifiers, p.Suppressed = sorted(p.Identifiers), sorted(p.SharedIdentifiers), sorted(p.Suppressed)
	return &cdp.ErasurePlan{Preview: p, Suppress: p.Suppressed, NewCustomerID: newID}
}

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// randomCustomerID is "cus_" and 16 random hex digits, the form of every customer id, so an
// erased customer's id says nothing about the records it came from.
func randomCustomerID() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "cus_" + hex.EncodeToString(b), nil
}
