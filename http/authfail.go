package http

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/cdpgraph/cdpgraph/auth"
)

// failedAuthLimiter bounds failed authentications (unknown or revoked keys, bad tokens) per
// client address: a token bucket per address that only failures drain. An address that
// has used up its budget is answered 429 before its credential is looked at, until the
// bucket refills; guessing, and flooding the key lookups, slow to the configured rate.
type failedAuthLimiter struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	by    map[string]*bucket
	swept time.Time
}

// newFailedAuthLimiter allows perMinute failures a minute per address, as many at once;
// 0 turns the limit off.
func newFailedAuthLimiter(perMinute int) *failedAuthLimiter {
	if perMinute <= 0 {
		return nil
	}
	return &failedAuthLimiter{rate: rate.Limit(float64(perMinute) / 60), burst: perMinute, by: map[string]*bucket{}}
}

// wait says how long addr must wait before its next attempt; 0: it may try now.
func (l *failedAuthLimiter) wait(addr string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.by[addr]
	if b == nil {
		return 0
	}
	if t := b.l.TokensAt(now); t < 1 {
		return time.Duration((1 - t) / float64(l.rate) * float64(time.Second))
	}
	return 0
}

// fail takes one attempt from addr's budget.
func (l *failedAuthLimiter) fail(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.by[addr]
	if b == nil {
		b = &bucket{l: rate.NewLimiter(l.rate, l.burst)}
		l.by[addr] = b
	}
	b.used = now
	b.l.AllowN(now, 1)
	// Buckets idle long enough to be full again are as good as new: drop them.
	if full := time.Duration(float64(l.burst) / float64(l.rate) * float64(time.Second)); now.Sub(l.swept) > time.Minute {
		for k, x := range l.by {
			if now.Sub(x.used) > full {
				delete(l.by, k)
			}
		}
		l.swept = now
	}
}

// limitFailedAuth refuses addresses whose credentials keep failing (see failedAuthLimiter).
// A failure is a 401 answer to a request that carried a credential; requests without one
// cost nothing to refuse and are not counted.
func limitFailedAuth(l *failedAuthLimiter, next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clientAddress(r)
		if d := l.wait(addr, time.Now()); d > 0 {
			rateLimited(r.Context(), "failed_auth", nil)
			w.Header().Set("Retry-After", retryAfter(d))
			writeGraphQLError(w, r, http.StatusTooManyRequests, "RATE_LIMITED", "too many failed authentications from this address; retry later")
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == http.StatusUnauthorized && auth.Credential(r) != "" {
			l.fail(addr, time.Now())
		}
	})
}

// clientAddress is the client's IP address (an IPv6 client's /64 network, which one
// subscriber usually holds whole). Forwarded headers are not trusted: anyone can send them.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// retryAfter is a Retry-After value: whole seconds, rounded up, never below 1 (0 would ask
// for an immediate retry).
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}
