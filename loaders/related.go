package loaders

import (
	"context"
	"strings"
	"sync"

	cdp "github.com/cdpgraph/cdpgraph"
)

// A root field that looks up or lists customers reads, in its own statement, the lists the
// request selects below it (cdp.Related) and primes the loaders with them under the keys
// the child fields will ask for, so those fields wait for nothing. Priming follows the
// loaders' keys exactly (a page read without its count is primed under SkipCount), so a
// field asking anything else still reads through its loader.

// CustomerNow fetches one customer at once, without waiting for a batch, with the lists
// rel asks for, and primes it and them. When defer is set (a scoped caller, whose access
// to the customer is decided after the lookup) the lists are not read yet: ReadDeferred
// reads them once the customer is known to be in scope.
func (l *Loaders) CustomerNow(ctx context.Context, id string, rel cdp.Related, deferLists bool) (*cdp.Customer, error) {
	now := rel
	if deferLists {
		now = cdp.Related{}
	}
	m, err := l.reader.CustomersWith(ctx, []string{id}, now)
	if err != nil {
		return nil, err
	}
	c := m[id]
	if c == nil {
		return nil, nil
	}
	l.prime(c, now)
	if deferLists {
		l.deferred.set(c.ID, rel) // c.ID: a merged-away id finds its survivor
	}
	return c.Customer, nil
}

// CustomerByIdentifier fetches the customer holding an identifier at once, in one
// statement whether or not there is one (nil when there is none), like CustomerNow.
func (l *Loaders) CustomerByIdentifier(ctx context.Context, ident cdp.Identifier, rel cdp.Related, deferLists bool) (*cdp.Customer, error) {
	now := rel
	if deferLists {
		now = cdp.Related{}
	}
	c, err := l.reader.CustomerByIdentifierWith(ctx, ident, now)
	if cdp.ErrorCode(err) == cdp.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	l.prime(c, now)
	if deferLists {
		l.deferred.set(c.ID, rel)
	}
	return c.Customer, nil
}

// ReadDeferred reads the lists a deferred lookup of customer id asked for, in one
// statement, and primes them; it does nothing when none are pending.
func (l *Loaders) ReadDeferred(ctx context.Context, id string) error {
	rel, ok := l.deferred.take(id)
	if !ok || rel.Empty() {
		return nil
	}
	m, err := l.reader.CustomersWith(ctx, []string{id}, rel)
	if err != nil {
		return err
	}
	if c := m[id]; c != nil {
		l.prime(c, rel)
	}
	return nil
}

// FindCustomers reads a page of customers with the lists rel asks for, priming them.
func (l *Loaders) FindCustomers(ctx context.Context, f cdp.CustomerFilter, o cdp.CustomerOrder, page cdp.PageArgs, rel cdp.Related) (*cdp.Page[*cdp.Customer], error) {
	p, err := l.reader.FindCustomersWith(ctx, f, o, page, rel)
	if err != nil {
		return nil, err
	}
	out := &cdp.Page[*cdp.Customer]{Cursors: p.Cursors, TotalCount: p.TotalCount, HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage}
	for _, c := range p.Items {
		l.prime(c, rel)
		out.Items = append(out.Items, c.Customer)
	}
	return out, nil
}

// prime puts a customer and the lists read with it into the loaders, under the keys the
// child fields ask with (resolvers: firstOf, countOf, the connections).
func (l *Loaders) prime(c *cdp.CustomerWith, rel cdp.Related) {
	id := c.ID
	l.Customer.Prime(id, c.Customer)
	// A bounded list's count is asked under First 0 (countOf), the same key as an empty
	// page: it gets only the count, and only when it was read.
	if r := rel.Identifiers; r != nil {
		if r.First > 0 {
			l.Identifiers.Prime(PageKey{CustomerID: id, First: r.First}, c.Identifiers)
		}
		if r.Count {
			l.Identifiers.Prime(PageKey{CustomerID: id}, countOnly(c.Identifiers))
		}
	}
	// A counted page serves a caller that skips the count as well.
	for _, skip := range []bool{true, false} {
		if r := rel.Orders; r != nil && (skip || r.Count) {
			l.Orders.Prime(PageKey{CustomerID: id, First: r.First, SkipCount: skip}, c.Orders)
		}
		if r := rel.Events; r != nil && (skip || r.Count) {
			key := PageKey{CustomerID: id, First: r.First, SkipCount: skip}
			l.Events.Prime(EventsKey{PageKey: key, Types: strings.Join(r.Types, ",")}, c.Events)
		}
		if r := rel.Feedback; r != nil && (skip || r.Count) {
			l.Feedback.Prime(PageKey{CustomerID: id, First: r.First, SkipCount: skip}, c.Feedback)
		}
	}
	if r := rel.ConsentHistory; r != nil {
		if r.First > 0 {
			l.ConsentHistory.Prime(PageKey{CustomerID: id, First: r.First}, c.ConsentHistory)
		}
		if r.Count {
			l.ConsentHistory.Prime(PageKey{CustomerID: id}, countOnly(c.ConsentHistory))
		}
	}
	if rel.CurrentConsents {
		l.CurrentConsents.Prime(id, c.CurrentConsents)
	}
}

// deferredReads holds the lists of scoped lookups not read yet, by customer id.
type deferredReads struct {
	mu      sync.Mutex
	pending map[string]cdp.Related
}

func (d *deferredReads) set(id string, rel cdp.Related) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending == nil {
		d.pending = map[string]cdp.Related{}
	}
	d.pending[id] = rel
}

func (d *deferredReads) take(id string) (cdp.Related, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	rel, ok := d.pending[id]
	delete(d.pending, id)
	return rel, ok
}

// ReadWith reads, in one statement, the lists rel asks for of customers a root list has
// already read (a segment's members), and primes them.
func (l *Loaders) ReadWith(ctx context.Context, customers []*cdp.Customer, rel cdp.Related) error {
	if rel.Empty() || len(customers) == 0 {
		return nil
	}
	ids := make([]string, len(customers))
	for i, c := range customers {
		ids[i] = c.ID
	}
	m, err := l.reader.CustomersWith(ctx, ids, rel)
	if err != nil {
		return err
	}
	for _, c := range m {
		l.prime(c, rel)
	}
	return nil
}

// countOnly is p's count as an empty page, what a list asked with first 0 answers.
func countOnly[T any](p *cdp.Page[T]) *cdp.Page[T] {
	if p == nil {
		return nil
	}
	return &cdp.Page[T]{TotalCount: p.TotalCount, HasNextPage: p.TotalCount > 0}
}
