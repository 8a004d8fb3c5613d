package http_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// bomb is `{ ...F0 } fragment Fi on Query { ...F(i+1) ...F(i+1) }`: under 1 KB for n = 40,
// 2^n fields when expanded.
func bomb(n int, leaf string) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { %s }\n", n, leaf)
	return b.String()
}

// nestedBomb doubles inside a field, so the bomb is below the root.
func nestedBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ customers { nodes { ...C0 } } }\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "fragment C%d on Customer { ...C%d ...C%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment C%d on Customer { customerId }\n", n)
	return b.String()
}

func noDBClient(opts cdphttp.Options) *client.Client {
	h := cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: failingReader{}}, downDB{}, opts, quiet)
	return client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+memAdminKey))
}

// Fragment bombs are refused before gqlgen validates or prices them, by a measure that
// visits each selection of the document once however often its fragments are spread.
func TestFragmentBombsAreRefusedInLinearWork(t *testing.T) {
	c := noDBClient(options())
	for n := 24; n <= 40; n += 4 {
		for name, q := range map[string]string{"root": bomb(n, "__typename"), "nested": nestedBomb(n)} {
			before := cdphttp.ShapeVisits.Load()
			codes, _ := errorCodes(t, c, q)
			wantCode(t, fmt.Sprintf("%s bomb n=%d", name, n), codes, "QUERY_TOO_LARGE")
			// Each fragment holds two spreads: 2n+4 selections in all, not 2^n.
			if visits := cdphttp.ShapeVisits.Load() - before; visits > int64(2*n+4) {
				t.Errorf("%s bomb n=%d: %d selections measured, want at most %d", name, n, visits, 2*n+4)
			}
		}
	}

	// The depth and alias measures are linear too: with the size bound out of the way,
	// an alias bomb is refused for its aliases.
	opts := options()
	opts.GraphQL.MaxSelections, opts.GraphQL.MaxAliases = 1<<50, 30
	c = noDBClient(opts)
	before := cdphttp.ShapeVisits.Load()
	codes, _ := errorCodes(t, c, bomb(40, "a: __typename"))
	wantCode(t, "alias bomb", codes, "TOO_MANY_ALIASES")
	if visits := cdphttp.ShapeVisits.Load() - before; visits > 2*40+4 {
		t.Errorf("alias bomb: %d selections measured", visits)
	}
}

// Depth counts through fragments, each measured once.
func TestShapeLimitsSeeThroughFragments(t *testing.T) {
	opts := options()
	opts.GraphQL.MaxDepth, opts.GraphQL.MaxAliases, opts.GraphQL.MaxRootFields = 6, 3, 2
	c := noDBClient(opts)
	for q, code := range map[string]string{
		`{ customers { nodes { ...D } } } fragment D on Customer { sourceRecords { customer { ...E } } } fragment E on Customer { sourceRecords { customer { customerId } } }`: "QUERY_TOO_DEEP",
		`{ ...A ...A } fragment A on Query { a: viewer { role } b: viewer { role } }`:                                                                                          "TOO_MANY_ALIASES",
		`{ ...R } fragment R on Query { viewer { role } ... on Query { scoringModel { version } rfmGrid { r } } }`:                                                             "TOO_MANY_ROOT_FIELDS",
		bomb(3, "__typename") + "query Other { ...F0 }":                                                                                                                        "GRAPHQL_VALIDATION_FAILED", // two operations, none named: gqlgen's answer
	} {
		codes, _ := errorCodes(t, c, q)
		wantCode(t, q, codes, code)
	}
	// Operation names pick the operation measured: the deep one is refused, the shallow one runs.
	two := `query Deep { customers { nodes { ...D } } } query Shallow { viewer { role } } fragment D on Customer { sourceRecords { customer { sourceRecords { customer { customerId } } } } }`
	codes, _ := errorCodes(t, c, two, client.Operation("Deep"))
	wantCode(t, "Deep", codes, "QUERY_TOO_DEEP")
	var viewer struct{ Viewer struct{ Role string } }
	post(t, c, two, &viewer, client.Operation("Shallow"))
	if viewer.Viewer.Role != "ADMIN" {
		t.Fatalf("Shallow = %+v", viewer)
	}
}

// GraphiQL's introspection query (fragment-heavy, nested ofType chains) passes the
// limits the server ships with.
func TestIntrospectionQueryPassesTheLimits(t *testing.T) {
	opts := options()
	opts.GraphQL.MaxDepth, opts.GraphQL.MaxAliases, opts.GraphQL.MaxRootFields = 12, 30, 10
	c := noDBClient(opts)
	var resp struct {
		Schema struct {
			Types []struct{ Name string }
		} `json:"__schema"`
	}
	post(t, c, introspectionQuery, &resp)
	if len(resp.Schema.Types) < 50 {
		t.Fatalf("introspection gave %d types", len(resp.Schema.Types))
	}
}

// introspectionQuery is graphql-js's getIntrospectionQuery with every option on, as
// GraphiQL sends it.
const introspectionQuery = `
query IntrospectionQuery {
  __schema {
    description
    queryType { name kind }
    mutationType { name kind }
    subscriptionType { name kind }
    types { ...FullType }
    directives {
      name
      description
      isRepeatable
      locations
      args(includeDeprecated: true) { ...InputValue }
    }
  }
}
fragment FullType on __Type {
  kind
  name
  description
  specifiedByURL
  fields(includeDeprecated: true) {
    name
    description
    args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
  isDeprecated
  deprecationReason
}
fragment TypeRef on __Type {
  kind
  name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`

// Validation compares fragments spread together and fields sharing a response name pair
// by pair; documents that would make that quadratic work large are refused before it.
func TestQuadraticValidationIsBounded(t *testing.T) {
	opts := options()
	opts.GraphQL.TokenLimit = 15000
	c := noDBClient(opts)
	spreads := func(n int, body string) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "...F%d ", i)
		}
		b.WriteString("}\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "fragment F%d on Query { %s }\n", i, body)
		}
		return b.String()
	}
	for name, q := range map[string]string{
		"one name 4,900 times":       "{ " + strings.Repeat("__typename ", 4900) + "}",
		"1,000 fragments":            spreads(1000, "viewer { role }"),
		"one name 40 times x 100":    spreads(100, strings.Repeat("__typename ", 40)),
		"two names 800 times nested": "{ " + strings.Repeat("viewer { role } ", 800) + "}",
	} {
		codes, _ := errorCodes(t, c, q)
		wantCode(t, name, codes, "QUERY_TOO_LARGE")
	}
}

// gqlgen validates the whole document before it looks for the operation named, so the
// document's limits hold whatever operationName says: naming none let 14,000 __typename
// through to the quadratic validation (9 s of CPU).
func TestDocumentLimitsHoldForAnyOperationName(t *testing.T) {
	opts := options()
	opts.GraphQL.TokenLimit = 15000
	c := noDBClient(opts)
	for name, q := range map[string]struct{ doc, op string }{
		"repeated names, a missing operation": {"{ " + strings.Repeat("__typename ", 7000) + "}", "Missing"},
		"many fragments, a missing operation": {"{ ...F0 }\n" + strings.Repeat("fragment F0 on Query { viewer { role } }\n", 1) + manyFragments(300), "Missing"},
	} {
		codes, _ := errorCodes(t, c, q.doc, client.Operation(q.op))
		wantCode(t, name, codes, "QUERY_TOO_LARGE")
	}
}

func manyFragments(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { viewer { role } }\n", i)
	}
	return b.String()
}

// Each caller is limited at its role's rate: a frontend app's one key carries all its
// users, so its bucket is far larger than a person's.
func TestRateLimitsByRole(t *testing.T) {
	opts := options()
	opts.Limits = cdphttp.Limits{Rates: map[cdp.Role]cdphttp.Rate{
		cdp.RoleAnalyst:  {PerSecond: 0.001, Burst: 2},
		cdp.RoleFrontend: {PerSecond: 1000, Burst: 1000},
		cdp.RoleAdmin:    {}, // not limited
	}, RatePerSecond: 0.001, Burst: 1} // roles not named: partners
	h := cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: failingReader{}}, downDB{}, opts, quiet)
	key := func(role cdp.Role) string {
		spec := auth.KeySpec{Name: string(role), Role: role}
		switch role {
		case cdp.RolePartner:
			spec.Partner = "acme"
		case cdp.RoleFrontend:
			spec.Sources = []string{"web"}
		}
		secret, _, err := opts.Access.Auth.Keys.Create(context.Background(), spec, "test")
		if err != nil {
			t.Fatal(err)
		}
		return secret
	}
	statuses := func(secret string, n int) string {
		var out []int
		for range n {
			req := httptest.NewRequest("POST", "/graphql", strings.NewReader(`{"query":"{ viewer { role } }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+secret)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			out = append(out, w.Code)
		}
		return fmt.Sprint(out)
	}
	fifty := fmt.Sprint(slices.Repeat([]int{200}, 50))
	for _, c := range []struct {
		role cdp.Role
		n    int
		want string
	}{
		{cdp.RoleAnalyst, 4, "[200 200 429 429]"},
		{cdp.RolePartner, 4, "[200 429 429 429]"},
		{cdp.RoleFrontend, 50, fifty},
		{cdp.RoleAdmin, 50, fifty},
	} {
		if got := statuses(key(c.role), c.n); got != c.want {
			t.Errorf("%s: statuses %s, want %s", c.role, got, c.want)
		}
	}
	// Two keys of one role have a bucket each.
	if got := statuses(key(cdp.RoleAnalyst), 2); got != "[200 200]" {
		t.Errorf("a second analyst key: %s", got)
	}
}
