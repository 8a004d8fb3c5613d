package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/golang-jwt/jwt/v5"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// Websocket defaults (Limits.WebsocketInitTimeout, Limits.CredentialRecheck).
const (
	DefaultWebsocketInitTimeout = 10 * time.Second
	DefaultCredentialRecheck    = 15 * time.Second
)

// Close codes of graphql-transport-ws.
const (
	closeBadRequest = 4400
	closeForbidden  = 4403
)

// Subscriptions are served over websockets (graphql-transport-ws and graphql-ws). A
// connection must send connection_init with an object payload within the init timeout,
// carrying valid credentials; it then serves subscriptions only, each subscribe message
// taking a token of the caller's rate limit. It ends when its credential does: at once
// when this process revokes the key, within the re-check interval when another process
// does, and at a token's expiry.
type websocketTransport struct {
	transport.Websocket
	conns *wsConns
}

func newWebsocketTransport(a *auth.Authenticator, limiter *rateLimiter, failures *failedAuthLimiter, limits Limits, log *slog.Logger) websocketTransport {
	conns := &wsConns{auth: a, failures: failures, every: limits.CredentialRecheck, log: log, open: map[*wsConn]struct{}{}}
	if conns.every <= 0 {
		conns.every = DefaultCredentialRecheck
	}
	if a != nil && a.Keys != nil {
		a.Keys.OnRevoke(conns.revoked)
	}
	init := limits.WebsocketInitTimeout
	if init <= 0 {
		init = DefaultWebsocketInitTimeout
	}
	return websocketTransport{conns: conns, Websocket: transport.Websocket{
		Implementation: wsAcceptor{},
		InitFunc:       conns.init(limiter),
		InitTimeout:    init,
		// Keep-alive pings so proxies do not close idle connections.
		KeepAlivePingInterval: 15 * time.Second,
	}}
}

type wsConnKey struct{}

func (t websocketTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	c := &wsConn{}
	t.Websocket.Do(w, r.WithContext(context.WithValue(r.Context(), wsConnKey{}, c)), exec)
	t.conns.remove(c)
	if c.cancel != nil {
		c.cancel()
	}
	if c.WebsocketConn != nil && c.principal == nil {
		// gqlgen leaves some refused inits open; a connection that never initialised ends here.
		_ = c.WriteClose(closeBadRequest, "the connection was not initialised")
		_ = c.Close()
	}
}

// wsAcceptor accepts connections as gqlgen does, handing the connection to its wsConn.
type wsAcceptor struct{}

func (wsAcceptor) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := transport.CoderWebsocketImplementation{}.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	c, _ := r.Context().Value(wsConnKey{}).(*wsConn)
	if c == nil {
		return conn, nil
	}
	c.WebsocketConn = conn
	return c, nil
}

// wsConn is one websocket connection: the socket, and once initialised, its caller.
type wsConn struct {
	transport.WebsocketConn
	first      bool // the first message was read
	principal  *cdp.Principal
	credential string
	cancel     context.CancelFunc
	ended      sync.Once
	expiry     *time.Timer
	subs       atomic.Int32 // subscriptions running
}

var errMalformedInit = errors.New("malformed connection_init")

// NextReader refuses a connection_init whose payload is not an object (gqlgen would leave
// such a connection open without reading from it again).
func (c *wsConn) NextReader() (int, io.Reader, error) {
	typ, r, err := c.WebsocketConn.NextReader()
	if err != nil || c.first {
		return typ, r, err
	}
	c.first = true
	data, err := io.ReadAll(r)
	if err != nil {
		return typ, nil, err
	}
	var m struct {
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(data, &m) == nil && m.Type == "connection_init" && !objectOrNull(m.Payload) {
		_ = c.WebsocketConn.WriteClose(closeBadRequest, "the connection_init payload must be a JSON object")
		return typ, nil, errMalformedInit
	}
	return typ, bytes.NewReader(data), nil
}

func objectOrNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || raw[0] == '{' || string(raw) == "null"
}

// SetReadLimit and SetReadDeadline keep gqlgen's message size limit and pong deadlines.
func (c *wsConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *wsConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// end closes the connection with code and reason, ending its subscriptions.
func (c *wsConn) end(code int, reason string) {
	c.ended.Do(func() {
		_ = c.WriteClose(code, reason)
		c.cancel()
	})
}

// wsConns tracks the initialised connections, to end them when their credential ends.
type wsConns struct {
	auth  *auth.Authenticator
	every time.Duration
	log   *slog.Logger

	failures *failedAuthLimiter // nil: failed inits are not counted
	mu       sync.Mutex
	open     map[*wsConn]struct{}
	checking bool // a re-check loop runs while connections are open
}

// init authenticates a connection from its connection_init payload
// ({"Authorization": "Bearer ..."}), falling back to the upgrade request's header.
func (t *wsConns) init(limiter *rateLimiter) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		cred := payload.Authorization()
		if cred == "" {
			if r, ok := ctx.Value(upgradeRequestKey{}).(*http.Request); ok {
				cred = auth.Credential(r)
			}
		}
		if scheme, rest, ok := strings.Cut(cred, " "); ok && strings.EqualFold(scheme, "Bearer") {
			cred = strings.TrimSpace(rest) // kept bare for the re-checks
		}
		refused := transport.WithWebsocketCloseCode(ctx, closeForbidden)
		p, err := t.auth.Authenticate(ctx, cred)
		if err != nil {
			// A bad credential in connection_init counts against the address like a bad
			// header on POST, so guessing over websockets is limited too.
			if r, ok := ctx.Value(upgradeRequestKey{}).(*http.Request); ok && cred != "" && cdp.ErrorCode(err) == cdp.EUNAUTHORIZED && t.failures != nil {
				t.failures.fail(clientAddress(r), time.Now())
			}
			return refused, nil, err
		}
		infoFrom(ctx).setCaller(p)
		if _, ok := limiter.allow(p); !ok {
			rateLimited(ctx, "websocket", p)
			return refused, nil, cdp.Errorf(cdp.EFORBIDDEN, "too many requests for this key; slow down")
		}
		c, _ := ctx.Value(wsConnKey{}).(*wsConn)
		if c == nil || c.WebsocketConn == nil {
			return ctx, nil, cdp.Errorf(cdp.EINTERNAL, "websocket connection not tracked")
		}
		// Cancelling the connection's context closes it and ends its subscriptions.
		ctx, c.cancel = context.WithCancel(ctx)
		c.principal, c.credential = p, cred
		if !t.add(c) {
			c.cancel()
			return refused, nil, cdp.Errorf(cdp.EFORBIDDEN, "at most %d websocket connections may be open per key; close one first", MaxConnectionsPerCaller)
		}
		return cdp.WithPrincipal(ctx, p), nil, nil
	}
}

// MaxConnectionsPerCaller bounds one key's or token subject's open websockets, so
// connections times MaxSubscriptionsPerConnection stays bounded too.
const MaxConnectionsPerCaller = 20

// add tracks an initialised connection, or says no when its caller has too many open.
func (t *wsConns) add(c *wsConn) bool {
	t.mu.Lock()
	n := 0
	for o := range t.open {
		if o.principal.Subject == c.principal.Subject {
			n++
		}
	}
	if n >= MaxConnectionsPerCaller {
		t.mu.Unlock()
		return false
	}
	if exp := tokenExpiry(c); !exp.IsZero() {
		c.expiry = time.AfterFunc(time.Until(exp), func() { c.end(closeForbidden, "the token expired") })
	}
	t.open[c] = struct{}{}
	start := !t.checking
	t.checking = true
	t.mu.Unlock()
	if start {
		go t.recheck()
	}
	return true
}

func (t *wsConns) remove(c *wsConn) {
	if c.expiry != nil {
		c.expiry.Stop()
	}
	t.mu.Lock()
	delete(t.open, c)
	t.mu.Unlock()
}

// revoked ends the connections of a key this process revoked.
func (t *wsConns) revoked(id string) {
	for _, c := range t.snapshot() {
		if c.principal.Via == "api_key" && c.principal.Subject == id {
			c.end(closeForbidden, "the API key was revoked")
		}
	}
}

func (t *wsConns) snapshot() []*wsConn {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*wsConn, 0, len(t.open))
	for c := range t.open {
		out = append(out, c)
	}
	return out
}

// recheck re-checks every open connection's credential each interval, once per
// credential, until no connection is open.
func (t *wsConns) recheck() {
	tick := time.NewTicker(t.every)
	defer tick.Stop()
	for range tick.C {
		t.mu.Lock()
		if len(t.open) == 0 {
			t.checking = false
			t.mu.Unlock()
			return
		}
		t.mu.Unlock()
		byCred := map[string][]*wsConn{}
		for _, c := range t.snapshot() {
			byCred[c.credential] = append(byCred[c.credential], c)
		}
		for cred, conns := range byCred {
			if why := t.check(conns[0].principal, cred); why != "" {
				for _, c := range conns {
					c.end(closeForbidden, why)
				}
			}
		}
	}
}

// check says why a credential no longer holds, or "". API keys are looked up in the
// store, not the key cache, so a key revoked by another process (the CLI, another server)
// ends its connections within one interval. A database that does not answer ends nothing.
func (t *wsConns) check(p *cdp.Principal, cred string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if p.Via == "api_key" && t.auth.Keys != nil {
		key, err := t.auth.Keys.Store.APIKeyByHash(ctx, auth.HashKey(cred))
		switch {
		case err != nil:
			t.log.Warn("websocket credential re-check failed", "err", err, "subject", p.Subject)
			return ""
		case key == nil || key.RevokedAt != nil:
			return "the API key is revoked or no longer exists"
		}
		return ""
	}
	if _, err := t.auth.Authenticate(ctx, cred); err != nil {
		if cdp.ErrorCode(err) == cdp.EUNAUTHORIZED {
			return "the credentials are no longer valid"
		}
		t.log.Warn("websocket credential re-check failed", "err", err, "subject", p.Subject)
	}
	return ""
}

// tokenExpiry is a JWT connection's exp (the token was verified at init), else zero.
func tokenExpiry(c *wsConn) time.Time {
	if c.principal.Via != "jwt" {
		return time.Time{}
	}
	var claims jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(c.credential, &claims); err != nil || claims.ExpiresAt == nil {
		return time.Time{}
	}
	return claims.ExpiresAt.Time
}

// websocketGate serves only subscriptions over websockets, each subscribe message taking
// a token of the caller's rate limit before anything is parsed, and at most
// MaxSubscriptionsPerConnection of them running on one connection (each holds goroutines
// until it ends).
type websocketGate struct{ limiter *rateLimiter }

// MaxSubscriptionsPerConnection bounds the subscriptions running on one websocket.
const MaxSubscriptionsPerConnection = 50

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
	graphql.OperationInterceptor
} = websocketGate{}

func (websocketGate) ExtensionName() string                   { return "WebsocketGate" }
func (websocketGate) Validate(graphql.ExecutableSchema) error { return nil }

func websocketOf(ctx context.Context) *wsConn {
	c, _ := ctx.Value(wsConnKey{}).(*wsConn)
	if c == nil || c.principal == nil {
		return nil
	}
	return c
}

func (g websocketGate) MutateOperationParameters(ctx context.Context, _ *graphql.RawParams) *gqlerror.Error {
	if c := websocketOf(ctx); c != nil {
		if _, ok := g.limiter.allow(c.principal); !ok {
			rateLimited(ctx, "websocket", c.principal)
			return limitError("RATE_LIMITED", "too many requests for this key; slow down")
		}
	}
	return nil
}

// InterceptOperation counts a connection's running subscriptions; one over the bound is
// refused. gqlgen cancels a subscription's context when it ends or the client completes it.
func (websocketGate) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	c := websocketOf(ctx)
	if c == nil {
		return next(ctx)
	}
	if c.subs.Add(1) > MaxSubscriptionsPerConnection {
		c.subs.Add(-1)
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{limitError("TOO_MANY_SUBSCRIPTIONS",
			fmt.Sprintf("at most %d subscriptions may run on one connection; complete one first", MaxSubscriptionsPerConnection))}})
	}
	context.AfterFunc(ctx, func() { c.subs.Add(-1) })
	return next(ctx)
}

func (websocketGate) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if websocketOf(ctx) != nil && oc.Operation != nil && oc.Operation.Operation != ast.Subscription {
		return limitError("BAD_REQUEST", "only subscriptions are served over websockets; send queries and mutations with POST")
	}
	return nil
}
