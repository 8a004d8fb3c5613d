// Package privacy serves the data subject's rights: a portable export of everything held
// about a person, and erasure that leaves anonymous aggregates and refuses the person's
// data if a batch is replayed.
package privacy

import (
	"context"
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

// Preview lists what Erase would remove.
func (s *Service) Preview(ctx context.Context, id string) (*cdp.ErasurePreview, error) {
	return s.Erasure.PreviewErasure(ctx, id)
}

// Erase removes a customer's personal data and suppresses it from future ingest.
func (s *Service) Erase(ctx context.Context, id string) (*cdp.ErasurePreview, error) {
	return s.Erasure.Erase(ctx, id, s.Now().UTC())
}
