package loaders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a fetch that records the batches it is given.
type recorder struct {
	mu      sync.Mutex
	batches [][]int
}

func (r *recorder) fetch(_ context.Context, keys []int) ([]string, []error) {
	r.mu.Lock()
	r.batches = append(r.batches, slices.Clone(keys))
	r.mu.Unlock()
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprint("v", k)
	}
	return out, nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.batches)
}

// forever is a maxWait no test outlives: a batch that goes went because all else waited.
const forever = time.Hour

// within fails the test if f has not returned long before maxWait would have passed.
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the batch did not go although nothing else ran")
	}
}

func TestOneKeyAloneGoesWithoutWaitingTheMaximum(t *testing.T) {
	var r recorder
	l := NewLoader(forever, r.fetch)
	within(t, func() {
		if v, err := l.Load(context.Background(), 7); v != "v7" || err != nil {
			t.Errorf("Load = %q, %v", v, err)
		}
	})
	if r.count() != 1 {
		t.Fatalf("batches %v, want one", r.batches)
	}
}

// Like one level of a customer page: 50 goroutines started together, each asking two
// loaders (one from a goroutine of its own, as gqlgen resolves sibling fields).
func TestConcurrentKeysShareABatch(t *testing.T) {
	var ra, rb recorder
	a, b := NewLoader(forever, ra.fetch), NewLoader(forever, rb.fetch)
	within(t, func() {
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				var sibling sync.WaitGroup
				sibling.Go(func() {
					if v, _ := b.Load(context.Background(), i); v != fmt.Sprint("v", i) {
						t.Errorf("b.Load(%d) = %q", i, v)
					}
				})
				if v, _ := a.Load(context.Background(), i); v != fmt.Sprint("v", i) {
					t.Errorf("a.Load(%d) = %q", i, v)
				}
				sibling.Wait()
			})
		}
		wg.Wait()
	})
	// One batch each; a second one at most, when the scheduler's counts are caught
	// between two states (they are approximate).
	for name, r := range map[string]*recorder{"a": &ra, "b": &rb} {
		keys := 0
		for _, batch := range r.batches {
			keys += len(batch)
		}
		if len(r.batches) > 2 || keys != 50 {
			t.Errorf("loader %s: %d batches of %d keys, want one of 50: %v", name, len(r.batches), keys, r.batches)
		}
	}
}

// A process that never has nothing to run (other requests) still gets its answers: after
// maxWait.
func TestMaxWaitBoundsTheWaitWhileTheProcessIsBusy(t *testing.T) {
	var stop atomic.Bool
	var spinning sync.WaitGroup
	spinning.Go(func() {
		for !stop.Load() { // runs, and never waits
		}
	})
	defer func() { stop.Store(true); spinning.Wait() }()
	var r recorder
	l := NewLoader(20*time.Millisecond, r.fetch)
	within(t, func() {
		if v, err := l.Load(context.Background(), 1); v != "v1" || err != nil {
			t.Errorf("Load = %q, %v", v, err)
		}
	})
	if r.count() != 1 {
		t.Fatalf("batches %v, want one", r.batches)
	}
}

func TestKeysAreCachedAndPrimed(t *testing.T) {
	var r recorder
	l := NewLoader(forever, r.fetch)
	if !l.Prime(2, "primed") || l.Prime(2, "again") {
		t.Fatal("Prime must cache a key once")
	}
	vals, err := l.LoadAll(context.Background(), []int{1, 2, 1, 3})
	if err != nil || !slices.Equal(vals, []string{"v1", "primed", "v1", "v3"}) {
		t.Fatalf("LoadAll = %q, %v", vals, err)
	}
	if v, _ := l.Load(context.Background(), 3); v != "v3" {
		t.Fatalf("Load(3) = %q", v)
	}
	if len(r.batches) != 1 || !slices.Equal(r.batches[0], []int{1, 3}) {
		t.Fatalf("batches %v, want [[1 3]]", r.batches)
	}
	// Asked once the batch went: a batch of its own.
	if v, _ := l.Load(context.Background(), 4); v != "v4" || r.count() != 2 {
		t.Fatalf("Load(4) = %q after batches %v", v, r.batches)
	}
}

func TestFetchErrors(t *testing.T) {
	boom := errors.New("boom")
	ctx := context.Background()
	all := NewLoader(forever, func(context.Context, []int) ([]string, []error) { return nil, []error{boom} })
	if _, err := all.LoadAll(ctx, []int{1, 2}); !errors.Is(err, boom) {
		t.Errorf("one error for all keys: %v", err)
	}
	perKey := NewLoader(forever, func(_ context.Context, keys []int) ([]string, []error) {
		errs := make([]error, len(keys))
		for i, k := range keys {
			if k == 2 {
				errs[i] = boom
			}
		}
		return make([]string, len(keys)), errs
	})
	if _, err := perKey.Load(ctx, 1); err != nil {
		t.Errorf("key 1: %v", err)
	}
	if _, err := perKey.Load(ctx, 2); !errors.Is(err, boom) {
		t.Errorf("key 2: %v", err)
	}
	short := NewLoader(forever, func(context.Context, []int) ([]string, []error) { return []string{"x"}, nil })
	if _, err := short.LoadAll(ctx, []int{1, 2}); err == nil {
		t.Error("a fetch returning fewer values than keys must fail")
	}
	panics := NewLoader(forever, func(context.Context, []int) ([]string, []error) { panic("bug") })
	if _, err := panics.Load(ctx, 1); err == nil {
		t.Error("a panic in fetch must become an error")
	}
}

// The batch's fetch gets the first key's context, so the request's deadline bounds it.
func TestFetchGetsTheFirstContext(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "first")
	var got any
	l := NewLoader(forever, func(ctx context.Context, keys []int) ([]string, []error) {
		got = ctx.Value(key{})
		return make([]string, len(keys)), nil
	})
	if _, err := l.Load(ctx, 1); err != nil || got != "first" {
		t.Fatalf("fetch saw %v (err %v)", got, err)
	}
}

// What a batch of 50 keys, asked by 50 goroutines started together, costs in time and
// CPU (go test -bench BatchOf50 -benchtime 300x ./loaders; docs/benchmarks.md).
func BenchmarkBatchOf50(b *testing.B) {
	batches := 0
	for b.Loop() {
		var r recorder
		l := NewLoader(DefaultWait, r.fetch)
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() { l.Load(context.Background(), i) })
		}
		wg.Wait()
		batches += r.count()
	}
	b.ReportMetric(float64(batches)/float64(b.N), "batches/op")
}
