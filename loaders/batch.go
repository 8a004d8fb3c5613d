package loaders

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/cdpgraph/cdpgraph/observe"
)

// Loader batches and caches one request's reads of one kind: the keys asked for while a
// batch is open are fetched together, once.
//
// A batch goes as soon as no more keys can come, not after a fixed window. gqlgen
// resolves the fields of an object, and the items of a list, in goroutines started
// together; they ask for their keys within microseconds, then wait. When the goroutine
// about to wait finds, from the scheduler's counts, that nothing else in the process runs
// or is ready to run, the goroutines that could ask are waiting, and the open batches go:
// a customer 360 sends its child reads at once, and a page of 50 sends each child read
// once for all 50. While the process is busy (other requests run) that never happens,
// and a batch goes after maxWait, as with a fixed window. A goroutine blocked in I/O (a
// sibling root field's own statement) does not count as running, so its later keys may
// land in a second batch: more statements, never a wrong answer.
type Loader[K comparable, V any] struct {
	fetch   func(ctx context.Context, keys []K) ([]V, []error)
	maxWait time.Duration
	// name ("customer", "orders"...) labels its batches' spans and sizes (onBatch).
	name    string
	onBatch func(loader string, keys int)

	mu    sync.Mutex
	cache map[K]entry[K, V] // made on first use: most of a request's loaders are never asked
	open  *batch[K, V]      // collecting keys; nil when none is
}

// entry is a cached key: its place in a batch, or a primed value (b nil).
type entry[K comparable, V any] struct {
	b   *batch[K, V]
	pos int
	v   V
}

type batch[K comparable, V any] struct {
	ctx  context.Context // the first key's: its deadline bounds the fetch
	keys []K
	done chan struct{} // closed when vals and errs are set
	vals []V
	errs []error // nil, one for all keys, or one per key
}

// NewLoader returns a loader over fetch, which returns a value per key, in order, and nil,
// one error for all keys, or an error per key. A batch waits at most maxWait for keys.
func NewLoader[K comparable, V any](maxWait time.Duration, fetch func(ctx context.Context, keys []K) ([]V, []error)) *Loader[K, V] {
	return &Loader[K, V]{fetch: fetch, maxWait: maxWait}
}

// Load returns key's value, from the cache or from the batch it joins.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	return l.enqueue(ctx, key).get()
}

// LoadAll returns the values of keys, all asked for in the same batch, and the first
// error.
func (l *Loader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	entries := make([]entry[K, V], len(keys))
	for i, k := range keys {
		entries[i] = l.enqueue(ctx, k)
	}
	vals := make([]V, len(keys))
	var first error
	for i, e := range entries {
		v, err := e.get()
		vals[i] = v
		if first == nil {
			first = err
		}
	}
	return vals, first
}

// Prime caches key's value unless key is cached already, and reports whether it did.
func (l *Loader[K, V]) Prime(key K, v V) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.cache[key]; ok {
		return false
	}
	if l.cache == nil {
		l.cache = map[K]entry[K, V]{}
	}
	l.cache[key] = entry[K, V]{v: v}
	return true
}

func (l *Loader[K, V]) enqueue(ctx context.Context, key K) entry[K, V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.cache[key]; ok {
		return e
	}
	if l.cache == nil {
		l.cache = map[K]entry[K, V]{}
	}
	b := l.open
	if b == nil {
		b = &batch[K, V]{ctx: ctx, done: make(chan struct{})}
		l.open = b
		collecting.Add(1)
		go l.collect(b)
	}
	e := entry[K, V]{b: b, pos: len(b.keys)}
	b.keys = append(b.keys, key)
	l.cache[key] = e
	return e
}

func (e entry[K, V]) get() (V, error) {
	b := e.b
	if b == nil {
		return e.v, nil
	}
	select {
	case <-b.done:
	default:
		settle(false)
		<-b.done
	}
	var zero V
	switch {
	case len(b.errs) == 1 && b.errs[0] != nil:
		return zero, b.errs[0]
	case len(b.vals) != len(b.keys):
		return zero, fmt.Errorf("loaders: fetch returned %d values for %d keys", len(b.vals), len(b.keys))
	case len(b.errs) > e.pos:
		return b.vals[e.pos], b.errs[e.pos]
	}
	return b.vals[e.pos], nil
}

// collect closes b when no more keys can come, or after maxWait, and fetches.
func (l *Loader[K, V]) collect(b *batch[K, V]) {
	await(time.Now().Add(l.maxWait))
	l.mu.Lock()
	l.open = nil
	collecting.Add(-1)
	l.mu.Unlock()
	b.vals, b.errs = l.safeFetch(b)
	close(b.done)
}

// recheck is how often a collector looks again whether all else waits: the goroutine
// that ran last may have ended without waiting for a loader (a resolver that reads
// nothing), and then nobody settles.
const recheck = time.Millisecond

func await(deadline time.Time) {
	t := time.NewTimer(min(recheck, time.Until(deadline)))
	defer t.Stop()
	for {
		idle := idleSignal()
		settle(true)
		select {
		case <-idle:
			return
		case <-t.C:
		}
		left := time.Until(deadline)
		if left <= 0 {
			return
		}
		t.Reset(min(recheck, left))
	}
}

func (l *Loader[K, V]) safeFetch(b *batch[K, V]) (vals []V, errs []error) {
	if l.onBatch != nil {
		l.onBatch(l.name, len(b.keys))
	}
	// The span's parent is the span of the resolver that asked first.
	ctx, span := tracer.Start(b.ctx, "loader "+l.name, trace.WithAttributes(attribute.Int("loader.keys", len(b.keys))))
	defer func() {
		if p := recover(); p != nil {
			errs = []error{fmt.Errorf("loaders: panic in fetch: %v", p)}
		}
		var err error
		if len(errs) > 0 {
			err = errs[0]
		}
		observe.EndSpan(span, err)
	}()
	return l.fetch(ctx, b.keys)
}

// setName names a loader for its spans and batch sizes.
func (l *Loader[K, V]) setName(name string, onBatch func(string, int)) {
	l.name, l.onBatch = name, onBatch
}

var tracer = observe.Tracer("loaders")

var (
	collecting atomic.Int64 // batches open, in all requests
	watching   atomic.Bool  // a collector watches the scheduler (settle)
	idle       struct {
		mu sync.Mutex
		ch chan struct{} // closed when the open batches may go
	}
)

func idleSignal() <-chan struct{} {
	idle.mu.Lock()
	defer idle.mu.Unlock()
	if idle.ch == nil {
		idle.ch = make(chan struct{})
	}
	return idle.ch
}

func release() {
	idle.mu.Lock()
	defer idle.mu.Unlock()
	if idle.ch != nil {
		close(idle.ch)
		idle.ch = nil
	}
}

// settleWatch is how long a collector watches the scheduler for the others to wait.
const settleWatch = 20 * time.Microsecond

// settle is called by a goroutine about to wait, a loader's caller or a collector: if
// nothing else runs or is ready to run, no key can come any more, and the open batches
// go. One collector at a time (watch) also waits up to settleWatch for that, yielding to
// goroutines ready to run, and watching other processors that run: the scheduler counts
// a processor as running also while its thread looks for work, for some microseconds
// after its last goroutine stopped.
func settle(watch bool) {
	if collecting.Load() == 0 {
		return
	}
	if alone() {
		release()
		return
	}
	if !watch || !watching.CompareAndSwap(false, true) {
		return
	}
	defer watching.Store(false)
	for t0 := time.Now(); time.Since(t0) < settleWatch; {
		if _, ready := scheduler(); ready > 0 {
			runtime.Gosched()
		} else {
			for t := time.Now(); time.Since(t) < 2*time.Microsecond; {
			}
		}
		if alone() {
			release()
			return
		}
	}
}

// alone reports whether the calling goroutine is the only one running or ready to run.
// Goroutines in system calls do not count: a process always has some blocked in one.
func alone() bool {
	running, ready := scheduler()
	return running <= 1 && ready == 0
}

var samples = sync.Pool{New: func() any {
	return &[2]metrics.Sample{{Name: "/sched/goroutines/running:goroutines"}, {Name: "/sched/goroutines/runnable:goroutines"}}
}}

// scheduler returns how many processors run a goroutine (or look for one) and how many
// goroutines are ready to run.
func scheduler() (running, ready uint64) {
	s := samples.Get().(*[2]metrics.Sample)
	metrics.Read(s[:])
	running, ready = s[0].Value.Uint64(), s[1].Value.Uint64()
	samples.Put(s)
	return running, ready
}
