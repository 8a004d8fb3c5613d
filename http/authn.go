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
	// Rates bound each caller's (API key's or token subject's) requests by the caller's
	// role; RatePerSecond and Burst those of roles Rates does not name. A rate of 0 does
	// not limit.
	Rates         map[cdp.Role]Rate
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
		infoFrom(r.Context()).setCaller(p)
		if wait, ok := limiter.allow(p); !ok {
			rateLimited(r.Context(), "caller", p)
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

// Rate is a sustained rate of requests and how many may come at once above it.
type Rate struct {
	PerSecond float64
	Burst     int
}

// rateLimiter is a token bucket per caller, at its role's rate. Idle buckets are dropped
// so the map stays small.
type rateLimiter struct {
	rates    map[cdp.Role]Rate
	fallback Rate
	mu       sync.Mutex
	by       map[caller]*bucket
	swept    time.Time
}

// caller is a bucket's key: a JWT subject's role may change between tokens.
type caller struct {
	role    cdp.Role
	subject string
}

type bucket struct {
	l    *rate.Limiter
	used time.Time
}

// newRateLimiter returns nil when no role is limited.
func newRateLimiter(l Limits) *rateLimiter {
	rl := &rateLimiter{rates: map[cdp.Role]Rate{}, fallback: Rate{l.RatePerSecond, l.Burst}, by: map[caller]*bucket{}}
	limited := rl.fallback.PerSecond > 0
	for _, role := range cdp.Roles {
		r, ok := l.Rates[role]
		if !ok {
			r = rl.fallback
		}
		rl.rates[role] = r
		limited = limited || r.PerSecond > 0
	}
	if !limited {
		return nil
	}
	return rl
}

// allow takes a token for the caller, or says how long until one is free.
func (l *rateLimiter) allow(p *cdp.Principal) (time.Duration, bool) {
	if l == nil {
		return 0, true
	}
	r, ok := l.rates[p.Role]
	if !ok {
		r = l.fallback
	}
	if r.PerSecond <= 0 {
		return 0, true
	}
	now := time.Now()
	k := caller{p.Role, p.Subject}
	l.mu.Lock()
	b := l.by[k]
	if b == nil {
		b = &bucket{l: rate.NewLimiter(rate.Limit(r.PerSecond), max(r.Burst, 1))}
		l.by[k] = b
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
	res := b.l.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d, false
	}
	return 0, true
}
