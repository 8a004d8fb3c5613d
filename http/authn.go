package http

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// Limits are per-caller and per-request bounds.
type Limits struct {
	// RatePerSecond and Burst bound each caller's (API key's or token subject's) requests;
	// 0 disables rate limiting.
	RatePerSecond float64
	Burst         int
	// FailedAuthPerMinute bounds failed authentications per client address (a minute's
	// worth may come at once); 0 disables the limit.
	FailedAuthPerMinute int
	// RequestTimeout bounds one HTTP request's work (not websocket subscriptions).
	RequestTimeout time.Duration
	// WebsocketInitTimeout is how long a websocket may take to send connection_init;
	// 0 is DefaultWebsocketInitTimeout.
	WebsocketInitTimeout time.Duration
	// CredentialRecheck is how often open websockets re-check their credential (a key
	// revoked by another process); 0 is DefaultCredentialRecheck.
	CredentialRecheck time.Duration
}

// authenticate puts the caller in the request's context, or answers 401. Websocket
// upgrades pass: browsers cannot set their headers, so subscriptions authenticate in the
// connection_init payload instead (see wsConns.init).
func authenticate(a *auth.Authenticator, limiter *rateLimiter, timeout time.Duration, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebsocket(r) {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodOptions { // CORS preflight and transport discovery carry no credentials
			next.ServeHTTP(w, r)
			return
		}
		p, err := a.Authenticate(r.Context(), auth.Credential(r))
		if err != nil {
			code := cdp.ErrorCode(err)
			if code == cdp.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="cdpgraph"`)
				writeGraphQLError(w, r, http.StatusUnauthorized, "UNAUTHENTICATED", cdp.ErrorMessage(err))
				return
			}
			log.Warn("authentication failed", "err", err)
			if code == cdp.EUNAVAILABLE {
				writeGraphQLError(w, r, http.StatusServiceUnavailable, "UNAVAILABLE", "the database is unavailable; try again shortly")
				return
			}
			writeGraphQLError(w, r, http.StatusInternalServerError, "INTERNAL", "internal error")
			return
		}
		if wait, ok := limiter.allow(p.Subject); !ok {
			w.Header().Set("Retry-After", retryAfter(wait))
			writeGraphQLError(w, r, http.StatusTooManyRequests, "RATE_LIMITED", "too many requests for this key; slow down")
			return
		}
		ctx := cdp.WithPrincipal(r.Context(), p)
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func isWebsocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

type upgradeRequestKey struct{}

// keepUpgradeRequest lets wsConns.init read the upgrade request's headers.
func keepUpgradeRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebsocket(r) {
			r = r.WithContext(context.WithValue(r.Context(), upgradeRequestKey{}, r))
		}
		next.ServeHTTP(w, r)
	})
}

// rateLimiter is a token bucket per caller. Idle buckets are dropped so the map stays small.
type rateLimiter struct {
	rps   rate.Limit
	burst int
	mu    sync.Mutex
	by    map[string]*bucket
	swept time.Time
}

type bucket struct {
	l    *rate.Limiter
	used time.Time
}

func newRateLimiter(rps float64, burst int) *rateLimiter {
	if rps <= 0 {
		return nil
	}
	return &rateLimiter{rps: rate.Limit(rps), burst: max(burst, 1), by: map[string]*bucket{}}
}

// allow takes a token for subject, or says how long until one is free.
func (l *rateLimiter) allow(subject string) (time.Duration, bool) {
	if l == nil {
		return 0, true
	}
	now := time.Now()
	l.mu.Lock()
	b := l.by[subject]
	if b == nil {
		b = &bucket{l: rate.NewLimiter(l.rps, l.burst)}
		l.by[subject] = b
	}
	b.used = now
	if now.Sub(l.swept) > time.Minute {
		for k, x := range l.by {
			if now.Sub(x.used) > 10*time.Minute {
				delete(l.by, k)
			}
		}
		l.swept = now
	}
	l.mu.Unlock()
	r := b.l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}
