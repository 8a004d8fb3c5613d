package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/events"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// wsMsg is a graphql-transport-ws message.
type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsClient speaks graphql-transport-ws to a real server. Reads give up after a generous
// deadline, so a connection the server wrongly keeps open fails the test instead of
// hanging it.
type wsClient struct {
	t    testing.TB
	conn *websocket.Conn
}

func dialWS(t testing.TB, srv *httptest.Server) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, strings.Replace(srv.URL, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return &wsClient{t: t, conn: conn}
}

func (c *wsClient) sendRaw(s string) {
	c.t.Helper()
	if err := c.conn.Write(context.Background(), websocket.MessageText, []byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

// read returns the next message other than pings, or the error that ended the connection.
func (c *wsClient) read() (wsMsg, error) {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		_, b, err := c.conn.Read(ctx)
		cancel()
		if err != nil {
			return wsMsg{}, err
		}
		var m wsMsg
		if err := json.Unmarshal(b, &m); err != nil {
			c.t.Fatalf("message %s: %v", b, err)
		}
		if m.Type != "ping" && m.Type != "pong" {
			return m, nil
		}
	}
}

// closed waits for the server to close the connection and returns the close code and
// reason; -1 if it did not close.
func (c *wsClient) closed() (websocket.StatusCode, string) {
	for {
		m, err := c.read()
		if err != nil {
			var ce websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code, ce.Reason
			}
			return -1, err.Error()
		}
		c.t.Logf("before close: %s %s", m.Type, m.Payload)
	}
}

func (c *wsClient) init(credential string) {
	c.t.Helper()
	c.sendRaw(fmt.Sprintf(`{"type":"connection_init","payload":{"Authorization":"Bearer %s"}}`, credential))
	if m, err := c.read(); err != nil || m.Type != "connection_ack" {
		c.t.Fatalf("init: %+v %v", m, err)
	}
}

func (c *wsClient) subscribe(id, query string) {
	c.t.Helper()
	p, _ := json.Marshal(map[string]string{"query": query})
	c.sendRaw(fmt.Sprintf(`{"id":%q,"type":"subscribe","payload":%s}`, id, p))
}

// refused reads the answer to a refused subscribe message: its errors, then complete.
func (c *wsClient) refused(id string) string {
	c.t.Helper()
	m, err := c.read()
	if err != nil || m.ID != id || (m.Type != "next" && m.Type != "error") {
		c.t.Fatalf("subscribe %s: %+v %v", id, m, err)
	}
	if m.Type == "next" {
		if done, err := c.read(); err != nil || done.ID != id || done.Type != "complete" {
			c.t.Fatalf("subscribe %s: %+v %v, want complete", id, done, err)
		}
	}
	return string(m.Payload)
}

// Connections that do not initialise properly are closed: no connection_init within the
// init timeout, or a connection_init whose payload is not an object.
func TestWebsocketsMustInitialise(t *testing.T) {
	opts := options()
	opts.Limits.WebsocketInitTimeout = 100 * time.Millisecond
	srv, _ := subscriptionServer(t, opts)

	silent := dialWS(t, srv)
	if code, reason := silent.closed(); code != 1002 || !strings.Contains(reason, "timeout") {
		t.Errorf("silent connection: closed %d %q, want 1002 (init timeout)", code, reason)
	}
	for _, payload := range []string{`42`, `"Bearer ` + memAdminKey + `"`, `["x"]`, `true`} {
		c := dialWS(t, srv)
		c.sendRaw(`{"type":"connection_init","payload":` + payload + `}`)
		if code, reason := c.closed(); code != 4400 || !strings.Contains(reason, "object") {
			t.Errorf("init payload %s: closed %d %q, want 4400", payload, code, reason)
		}
	}
	// Bad credentials are refused with 4403.
	c := dialWS(t, srv)
	c.sendRaw(`{"type":"connection_init","payload":{"Authorization":"Bearer cdp_not-a-key"}}`)
	if code, _ := c.closed(); code != 4403 {
		t.Errorf("bad credentials: closed %d, want 4403", code)
	}
	// A good init is acknowledged and stays open past the init timeout.
	ok := dialWS(t, srv)
	ok.init(memAdminKey)
	time.Sleep(3 * opts.Limits.WebsocketInitTimeout)
	ok.sendRaw(`{"type":"ping"}`)
	ok.subscribe("1", `{ viewer { role } }`)
	if m, err := ok.read(); err != nil || m.ID != "1" {
		t.Errorf("initialised connection: %+v %v", m, err)
	}
}

// Websockets serve subscriptions only, and each subscribe message takes a token of the
// caller's rate limit.
func TestWebsocketsServeOnlyRateLimitedSubscriptions(t *testing.T) {
	opts := options()
	opts.Limits = cdphttp.Limits{RatePerSecond: 0.001, Burst: 4}
	srv, broker := subscriptionServer(t, opts)
	c := dialWS(t, srv)
	c.init(memAdminKey) // one token

	c.subscribe("sub", `subscription { churnBandChanged { from to } }`)                                    // two
	for i, q := range []string{`{ viewer { role } }`, `mutation { revokeApiKey(id: "key_mem") { id } }`} { // three, four
		c.subscribe(fmt.Sprint(i), q)
		if m := c.refused(fmt.Sprint(i)); !strings.Contains(m, `"BAD_REQUEST"`) || !strings.Contains(m, "only subscriptions") {
			t.Fatalf("%s over a websocket: %s, want refused", q, m)
		}
	}
	// The subscription is served.
	broker.PublishChurnBands([]cdp.ChurnBandChange{{CustomerID: "cus_1", From: "LOW", To: "HIGH", At: time.Now()}})
	if m, err := c.read(); err != nil || m.ID != "sub" || m.Type != "next" || !strings.Contains(string(m.Payload), `"to":"HIGH"`) {
		t.Fatalf("subscription event: %s %s %v", m.Type, m.Payload, err)
	}
	// Four tokens used: the next subscribe messages are refused before they are parsed.
	for i := range 3 {
		c.subscribe(fmt.Sprint("late", i), `subscription { churnBandChanged { to } }`)
		if m := c.refused(fmt.Sprint("late", i)); !strings.Contains(m, `"RATE_LIMITED"`) {
			t.Fatalf("subscribe over the rate: %s", m)
		}
	}
}

// Revoking a key ends its open subscriptions: at once when this server revokes it, within
// the re-check interval when another process does; a token's expiry ends them too.
func TestRevocationEndsSubscriptions(t *testing.T) {
	const jwtSecret = "a-test-signing-secret-of-32-bytes!!"
	j, err := auth.NewJWT(auth.JWTConfig{Secret: jwtSecret})
	if err != nil {
		t.Fatal(err)
	}
	opts := options()
	opts.Access.Auth.JWT = j
	opts.Limits.CredentialRecheck = time.Hour // here only the revocation itself can end a connection
	a := newAPI(t, opts)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	broker := a.r.Events
	publish := func() {
		broker.PublishChurnBands([]cdp.ChurnBandChange{{CustomerID: "cus_1", To: "HIGH", At: time.Now()}})
	}
	subscribed := func(srv *httptest.Server, credential string) *wsClient {
		t.Helper()
		c := dialWS(t, srv)
		c.init(credential)
		c.subscribe("1", `subscription { churnBandChanged { to } }`)
		// The subscription is registered once an event arrives: publish until one does.
		done := make(chan struct{})
		defer close(done)
		go func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
					publish()
				}
			}
		}()
		if m, err := c.read(); err != nil || m.Type != "next" {
			t.Fatalf("subscription: %+v %v", m, err)
		}
		return c
	}
	newKey := func(name string) (string, string) {
		secret, key, err := a.keys.Create(context.Background(), auth.KeySpec{Name: name, Role: cdp.RoleAnalyst}, "test")
		if err != nil {
			t.Fatal(err)
		}
		return secret, key.ID
	}

	// Revoked through this server's API.
	secret, id := newKey("here")
	c := subscribed(srv, secret)
	other := subscribed(srv, a.key) // another key's connection stays
	var revoked map[string]struct{ RevokedAt *string }
	post(t, a.c, fmt.Sprintf(`mutation { r: revokeApiKey(id: %q) { revokedAt } }`, id), &revoked)
	if code, reason := c.closed(); code != 4403 || reason != "the API key was revoked" {
		t.Errorf("revoked here: closed %d %q, want 4403 from the revocation itself", code, reason)
	}

	// Revoked by another server (or the CLI) over the same database: a second server with
	// its own key service learns of it by re-checking.
	elsewhere := opts
	elsewhere.Limits.CredentialRecheck = 50 * time.Millisecond
	elsewhere.Access = cdphttp.Access{Auth: &auth.Authenticator{Keys: auth.NewKeys(neo4j.NewAccessStore(a.db), testPartners)},
		Partners: testPartners, Pseudo: auth.NewPseudonymizer("test"), Audit: neo4j.NewAccessStore(a.db)}
	srv2 := httptest.NewServer(cdphttp.NewHandler(a.r, a.db, elsewhere, quiet))
	defer srv2.Close()
	secret, id = newKey("elsewhere")
	c = subscribed(srv2, secret)
	if _, err := a.keys.Revoke(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if code, reason := c.closed(); code != 4403 || reason != "the API key is revoked or no longer exists" {
		t.Errorf("revoked elsewhere: closed %d %q, want 4403 from the re-check", code, reason)
	}

	// A token ends its connection at its expiry.
	token, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "dashboard", "role": "analyst",
		"exp": time.Now().Add(2 * time.Second).Unix()}).SignedString([]byte(jwtSecret))
	c = subscribed(srv, token)
	if code, reason := c.closed(); code != 4403 || reason != "the token expired" {
		t.Errorf("expired token: closed %d %q, want 4403", code, reason)
	}

	// The unrevoked key's connection is open and still receives events.
	publish()
	if m, err := other.read(); err != nil || m.Type != "next" {
		t.Fatalf("other key's subscription: %+v %v", m, err)
	}
}

// One connection runs at most MaxSubscriptionsPerConnection subscriptions (each holds
// goroutines while it lives); completing one makes room for another.
func TestSubscriptionsPerConnectionAreBounded(t *testing.T) {
	opts := options()
	opts.Limits = cdphttp.Limits{RatePerSecond: 1000, Burst: 1000}
	srv, broker := subscriptionServer(t, opts)
	c := dialWS(t, srv)
	c.init(memAdminKey)
	// One more than the bound: subscriptions start concurrently, so which one is refused
	// is not fixed, but exactly one is.
	for i := range cdphttp.MaxSubscriptionsPerConnection + 1 {
		c.subscribe(fmt.Sprint(i), `subscription { churnBandChanged { to } }`)
	}
	m, err := c.read()
	if err != nil || m.Type != "next" || !strings.Contains(string(m.Payload), `"TOO_MANY_SUBSCRIPTIONS"`) {
		t.Fatalf("a subscription over the bound: %s %s %v", m.Type, m.Payload, err)
	}
	if done, err := c.read(); err != nil || done.ID != m.ID || done.Type != "complete" {
		t.Fatalf("after the refusal: %+v %v", done, err)
	}
	running := "0"
	if m.ID == "0" {
		running = "1"
	}
	c.sendRaw(`{"id":"` + running + `","type":"complete"}`)
	// The freed place is taken once the server has ended it: subscribe until one is served
	// (events keep coming so a served subscription shows itself).
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				broker.PublishChurnBands([]cdp.ChurnBandChange{{CustomerID: "cus_1", From: "LOW", To: "HIGH", At: time.Now()}})
			}
		}
	}()
	for i := 0; i < 50; i++ {
		id := fmt.Sprint("again", i)
		c.subscribe(id, `subscription { churnBandChanged { to } }`)
		for {
			m, err := c.read()
			if err != nil {
				t.Fatal(err)
			}
			if m.ID != id {
				continue
			}
			if m.Type == "next" && !strings.Contains(string(m.Payload), "TOO_MANY_SUBSCRIPTIONS") {
				return // served
			}
			if m.Type == "next" {
				c.read() // the refusal's complete
			}
			break
		}
	}
	t.Fatal("completing a subscription did not make room for another")
}

// One key holds at most MaxConnectionsPerCaller websockets; closing one makes room.
func TestWebsocketConnectionsPerCallerAreBounded(t *testing.T) {
	opts := options()
	opts.Limits = cdphttp.Limits{RatePerSecond: 1000, Burst: 1000}
	srv, _ := subscriptionServer(t, opts)
	var open []*wsClient
	for range cdphttp.MaxConnectionsPerCaller {
		c := dialWS(t, srv)
		c.init(memAdminKey)
		open = append(open, c)
	}
	over := dialWS(t, srv)
	over.sendRaw(`{"type":"connection_init","payload":{"Authorization":"Bearer ` + memAdminKey + `"}}`)
	if code, reason := over.closed(); code != 4403 {
		t.Fatalf("a connection over the bound: closed %d %q", code, reason)
	}
	open[0].conn.Close(websocket.StatusNormalClosure, "")
	for i := 0; ; i++ {
		c := dialWS(t, srv)
		c.sendRaw(`{"type":"connection_init","payload":{"Authorization":"Bearer ` + memAdminKey + `"}}`)
		if m, err := c.read(); err == nil && m.Type == "connection_ack" {
			break
		}
		if i == 50 {
			t.Fatal("closing a connection did not make room for another")
		}
		time.Sleep(20 * time.Millisecond) // the server ends the closed connection's handler
	}
}

// subscriptionServer serves opts with an event broker and no database: enough for the
// websocket rules.
func subscriptionServer(t *testing.T, opts cdphttp.Options) (*httptest.Server, *events.Broker) {
	broker := events.NewBroker()
	srv := httptest.NewServer(cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: failingReader{}, Events: broker}, downDB{}, opts, quiet))
	t.Cleanup(srv.Close)
	return srv, broker
}
