package events

import (
	"context"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

func TestMembershipGoesToItsSegmentsSubscribers(t *testing.T) {
	b := NewBroker()
	ctx, cancel := context.WithCancel(context.Background())
	one := b.SubscribeMembership(ctx, "seg1")
	all := b.SubscribeMembership(ctx, "")
	b.PublishMembership([]cdp.MembershipChange{{SegmentID: "seg1", CustomerID: "a", Kind: "entered"}, {SegmentID: "seg2", CustomerID: "b", Kind: "left"}})
	if got := <-one; got.CustomerID != "a" {
		t.Fatalf("seg1 subscriber got %+v", got)
	}
	select {
	case got := <-one:
		t.Fatalf("seg1 subscriber got another segment's change %+v", got)
	default:
	}
	if a, b := <-all, <-all; a.CustomerID != "a" || b.CustomerID != "b" {
		t.Fatalf("all-segments subscriber got %+v %+v", a, b)
	}
	cancel()
	deadline := time.After(time.Second)
	for {
		select {
		case _, open := <-one:
			if !open {
				return
			}
		case <-deadline:
			t.Fatal("channel not closed after the subscriber left")
		}
	}
}

func TestSlowSubscriberDropsInsteadOfBlocking(t *testing.T) {
	b := NewBroker()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_ = b.SubscribeChurnBands(ctx) // never read
	changes := make([]cdp.ChurnBandChange, Buffer+10)
	b.PublishChurnBands(changes) // must not block
	if b.Dropped() != 10 {
		t.Fatalf("dropped %d, want 10", b.Dropped())
	}
}
