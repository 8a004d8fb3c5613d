// Package events is the in-process publish/subscribe hub behind GraphQL subscriptions:
// segment refreshes publish membership changes, scoring publishes churn band changes,
// and each subscriber gets its own buffered channel.
//
// It is per process: with several server instances, each publishes what it computes
// itself. A slow subscriber whose buffer is full misses events rather than slowing
// the publisher; Dropped counts them.
package events

import (
	"context"
	"sync"
	"sync/atomic"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Buffer is how many events a subscriber may fall behind before it misses some.
const Buffer = 256

// Broker fans events out to subscribers.
type Broker struct {
	mu         sync.Mutex
	membership map[chan cdp.MembershipChange]string // channel → segment id ("" = all)
	bands      map[chan cdp.ChurnBandChange]struct{}
	dropped    atomic.Int64
}

// NewBroker returns an empty broker.
func NewBroker() *Broker {
	return &Broker{membership: map[chan cdp.MembershipChange]string{}, bands: map[chan cdp.ChurnBandChange]struct{}{}}
}

// Subscribers is the number of open subscriptions.
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.membership) + len(b.bands)
}

// Dropped is the number of events subscribers missed because they fell behind.
func (b *Broker) Dropped() int64 { return b.dropped.Load() }

// SubscribeMembership delivers membership changes of one segment (or all, for "") until
// ctx ends, when the channel is closed.
func (b *Broker) SubscribeMembership(ctx context.Context, segmentID string) <-chan cdp.MembershipChange {
	ch := make(chan cdp.MembershipChange, Buffer)
	b.mu.Lock()
	b.membership[ch] = segmentID
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.membership, ch)
		close(ch)
		b.mu.Unlock()
	}()
	return ch
}

// SubscribeChurnBands delivers churn band changes until ctx ends.
func (b *Broker) SubscribeChurnBands(ctx context.Context) <-chan cdp.ChurnBandChange {
	ch := make(chan cdp.ChurnBandChange, Buffer)
	b.mu.Lock()
	b.bands[ch] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.bands, ch)
		close(ch)
		b.mu.Unlock()
	}()
	return ch
}

// PublishMembership sends changes to the subscribers of their segments.
func (b *Broker) PublishMembership(changes []cdp.MembershipChange) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch, seg := range b.membership {
		for _, c := range changes {
			if seg != "" && seg != c.SegmentID {
				continue
			}
			select {
			case ch <- c:
			default:
				b.dropped.Add(1)
			}
		}
	}
}

// PublishChurnBands sends churn band changes to every subscriber.
func (b *Broker) PublishChurnBands(changes []cdp.ChurnBandChange) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.bands {
		for _, c := range changes {
			select {
			case ch <- c:
			default:
				b.dropped.Add(1)
			}
		}
	}
}
