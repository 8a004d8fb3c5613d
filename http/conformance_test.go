package http_test

import (
	"encoding/json"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// GraphQL over HTTP (http/conformance.go); scripts/audit-http.sh runs the graphql-http
// audit against a real server as well.

type conformanceResponse struct {
	status int
	header nethttp.Header
	body   string
	result map[string]json.RawMessage // the decoded body
}

// code is the extensions.code of the first error, or "".
func (r conformanceResponse) code() string {
	var errs []struct{ Extensions struct{ Code string } }
	json.Unmarshal(r.result["errors"], &errs)
	if len(errs) == 0 {
		return ""
	}
	return errs[0].Extensions.Code
}

func (r conformanceResponse) String() string {
	return r.header.Get("Content-Type") + " " + r.body
}

// gqlHTTP sends one request to /graphql as a's admin; headers are name, value pairs.
func gqlHTTP(t *testing.T, a *api, method, target, body string, headers ...string) conformanceResponse {
	t.Helper()
	var req *nethttp.Request
	if body == "" {
		req = httptest.NewRequest(method, target, nil)
	} else {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
	}
	req.Header.Set("Authorization", "Bearer "+a.key)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	r := conformanceResponse{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
	if err := json.Unmarshal(rec.Body.Bytes(), &r.result); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %d %q", method, target, rec.Code, r.body)
	}
	return r
}

const (
	jsonMedia     = "application/json"
	responseMedia = "application/graphql-response+json"
)

// postAccept sends a JSON body with the given Accept ("" sends none).
func postAccept(t *testing.T, a *api, accept, body string) conformanceResponse {
	t.Helper()
	headers := []string{"Content-Type", "application/json"}
	if accept != "" {
		headers = append(headers, "Accept", accept)
	}
	return gqlHTTP(t, a, "POST", "/graphql", body, headers...)
}

func TestConformanceMediaTypeNegotiation(t *testing.T) {
	a := newAPI(t, options())
	for _, tc := range []struct{ accept, want string }{
		{"", jsonMedia},
		{"*/*", jsonMedia},
		{"application/*", jsonMedia},
		{"application/json", jsonMedia},
		{"application/graphql-response+json", responseMedia},
		{"application/graphql-response+json, application/json;q=0.9", responseMedia},
		{"application/json, application/graphql-response+json", jsonMedia},
		{"application/graphql-response+json, application/json", responseMedia},
		{"application/graphql-response+json;q=0.5, */*", jsonMedia},
		{"application/json;q=0, */*", responseMedia},
		{"text/html, application/xhtml+xml, */*;q=0.8", jsonMedia}, // a browser
		{"application/json, multipart/mixed", jsonMedia},           // GraphiQL
	} {
		r := postAccept(t, a, tc.accept, `{"query":"{ __typename }"}`)
		if r.status != 200 || r.header.Get("Content-Type") != tc.want+"; charset=utf-8" || string(r.result["data"]) != `{"__typename":"Query"}` {
			t.Errorf("Accept %q: %d %s, want 200 %s", tc.accept, r.status, r, tc.want)
		}
		if !strings.Contains(r.header.Get("Vary"), "Accept") {
			t.Errorf("Accept %q: Vary = %q", tc.accept, r.header.Get("Vary"))
		}
	}
	for _, accept := range []string{"text/html", "application/json;q=0, application/graphql-response+json;q=0"} {
		if r := postAccept(t, a, accept, `{"query":"{ __typename }"}`); r.status != 406 || r.code() != "NOT_ACCEPTABLE" {
			t.Errorf("Accept %q: %d %s, want 406", accept, r.status, r)
		}
	}
}

// Request errors (the operation never ran) have no data entry; their status is 200 under
// application/json and 400 under application/graphql-response+json.
func TestConformanceRequestErrors(t *testing.T) {
	opts := options()
	opts.GraphQL.ComplexityLimit = 500
	a := newAPI(t, opts)
	for _, tc := range []struct{ name, body, code string }{
		{"parse", `{"query":"{"}`, "GRAPHQL_PARSE_FAILED"},
		{"validation", `{"query":"{ noSuchField }"}`, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown operation", `{"query":"query A { __typename }","operationName":"B"}`, "GRAPHQL_VALIDATION_FAILED"},
		{"variable coercion", `{"query":"query($id: ID!) { customer(id: $id) { id } }","variables":{"id":null}}`, "GRAPHQL_VALIDATION_FAILED"},
		{"complexity", `{"query":"{ customers(first: 100) { nodes { orders(first: 100) { nodes { items { quantity } } } } } }"}`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"unknown persisted query", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("ab", 32) + `"}}}`, "PERSISTED_QUERY_NOT_FOUND"},
		{"subscription over POST", `{"query":"subscription { churnBandChanged { at } }"}`, "BAD_REQUEST"},
	} {
		for _, media := range []struct {
			accept string
			status int
		}{{jsonMedia, 200}, {responseMedia, 400}, {"", 200}} {
			r := postAccept(t, a, media.accept, tc.body)
			if r.status != media.status || r.code() != tc.code {
				t.Errorf("%s, Accept %q: %d %s, want %d %s", tc.name, media.accept, r.status, r, media.status, tc.code)
			}
			if _, ok := r.result["data"]; ok {
				t.Errorf("%s, Accept %q: a request error has a data entry: %s", tc.name, media.accept, r.body)
			}
		}
	}
}

// Field errors happen during execution: the response has data and is 200 under both media types.
func TestConformanceFieldErrorsAre200(t *testing.T) {
	a := newAPI(t, options())
	for _, accept := range []string{jsonMedia, responseMedia} {
		r := postAccept(t, a, accept, `{"query":"{ customer(id: \"bm90IGFuIGlk\") { id } }"}`)
		if r.status != 200 || r.code() != "BAD_USER_INPUT" || string(r.result["data"]) != `{"customer":null}` {
			t.Errorf("Accept %q: %d %s", accept, r.status, r)
		}
	}
}

// A request that is not a well-formed GraphQL-over-HTTP request is 400 whatever the Accept.
func TestConformanceMalformedRequests(t *testing.T) {
	a := newAPI(t, options())
	for _, body := range []string{
		``,
		`{ "not a JSON`,
		`null`,
		`"{ __typename }"`,
		`[{"query":"{ __typename }"}]`,
		`{"query":"{ __typename }"} {"query":"{ __typename }"}`,
		`{"qeury":"{ __typename }"}`,
		`{"query":""}`,
		`{"query":{"obj":"ect"}}`, `{"query":0}`, `{"query":false}`, `{"query":["array"]}`,
		`{"query":"{ __typename }","operationName":0}`, `{"query":"{ __typename }","operationName":["Q"]}`,
		`{"query":"{ __typename }","variables":"string"}`, `{"query":"{ __typename }","variables":0}`,
		`{"query":"{ __typename }","variables":false}`, `{"query":"{ __typename }","variables":["array"]}`,
		`{"query":"{ __typename }","extensions":"string"}`, `{"query":"{ __typename }","extensions":["array"]}`,
	} {
		for _, accept := range []string{jsonMedia, responseMedia} {
			r := postAccept(t, a, accept, body)
			if r.status != 400 || r.code() != "BAD_REQUEST" || r.header.Get("Content-Type") != accept+"; charset=utf-8" {
				t.Errorf("body %q, Accept %s: %d %s, want 400 BAD_REQUEST", body, accept, r.status, r)
			}
			if _, ok := r.result["data"]; ok {
				t.Errorf("body %q: data entry in %s", body, r.body)
			}
		}
	}
	// Null parameters are absent parameters; numbers in variables keep their precision.
	r := postAccept(t, a, responseMedia, `{"query":"query Q { __typename }","operationName":"Q","variables":null,"extensions":null}`)
	if r.status != 200 || r.code() != "" {
		t.Errorf("null parameters: %d %s", r.status, r)
	}
	r = postAccept(t, a, jsonMedia, `{"query":"query($n: Int!) { customers(first: $n) { totalCount } }","variables":{"n":5}}`)
	if r.status != 200 || r.code() != "" {
		t.Errorf("Int variable: %d %s", r.status, r)
	}
}

func TestConformanceRequestContentType(t *testing.T) {
	a := newAPI(t, options())
	query := `{"query":"{ __typename }"}`
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/graphql", "application/json; charset=iso-8859-1", "not a media type"} {
		headers := []string{"Accept", responseMedia}
		if ct != "" {
			headers = append(headers, "Content-Type", ct)
		}
		if r := gqlHTTP(t, a, "POST", "/graphql", query, headers...); r.status != 415 || r.code() != "UNSUPPORTED_MEDIA_TYPE" {
			t.Errorf("Content-Type %q: %d %s, want 415", ct, r.status, r)
		}
	}
	for _, ct := range []string{"application/json; charset=utf-8", "application/json; charset=UTF-8", "Application/JSON"} {
		if r := gqlHTTP(t, a, "POST", "/graphql", query, "Content-Type", ct); r.status != 200 || r.code() != "" {
			t.Errorf("Content-Type %q: %d %s, want 200", ct, r.status, r)
		}
	}
	// UTF-8 in and out.
	r := gqlHTTP(t, a, "POST", "/graphql", `{"query":"query($v: String!) { customers(filter: {search: $v}, first: 1) { totalCount } __type(name: \"Run🏃Swim🏊\") { name } }","variables":{"v":"王小明"}}`,
		"Content-Type", "application/json; charset=utf-8")
	if r.status != 200 || r.code() != "" {
		t.Errorf("UTF-8 request: %d %s", r.status, r)
	}
}

func TestConformanceMethods(t *testing.T) {
	a := newAPI(t, options())
	get := func(params url.Values, accept string) conformanceResponse {
		return gqlHTTP(t, a, "GET", "/graphql?"+params.Encode(), "", "Accept", accept)
	}
	for _, accept := range []string{jsonMedia, responseMedia} {
		r := get(url.Values{"query": {"query Type($name: String!) { __type(name: $name) { name } }"}, "variables": {`{"name":"Customer"}`}}, accept)
		if r.status != 200 || string(r.result["data"]) != `{"__type":{"name":"Customer"}}` || r.header.Get("Content-Type") != accept+"; charset=utf-8" {
			t.Errorf("GET query, Accept %s: %d %s", accept, r.status, r)
		}
		// GET is safe: mutations (and subscriptions) are refused before they run.
		for _, q := range []string{
			`mutation { ingestCustomers(source: "crm", records: [{sourceId: "GET-1", email: "get@example.com"}]) { accepted } }`,
			`subscription { churnBandChanged { at } }`,
		} {
			r = get(url.Values{"query": {q}}, accept)
			if r.status != 405 || r.header.Get("Allow") != "POST" || r.code() != "METHOD_NOT_ALLOWED" {
				t.Errorf("GET %s, Accept %s: %d Allow %q %s, want 405", q, accept, r.status, r.header.Get("Allow"), r)
			}
		}
		for _, params := range []url.Values{
			{},
			{"query": {"{ __typename }"}, "variables": {"not json"}},
			{"query": {"{ __typename }"}, "variables": {`["array"]`}},
			{"query": {"{ __typename }"}, "extensions": {`"string"`}},
		} {
			if r = get(params, accept); r.status != 400 || r.code() != "BAD_REQUEST" {
				t.Errorf("GET %v, Accept %s: %d %s, want 400", params, accept, r.status, r)
			}
		}
		if r = get(url.Values{"query": {"{"}}, accept); r.code() != "GRAPHQL_PARSE_FAILED" || (r.status == 400) != (accept == responseMedia) {
			t.Errorf("GET parse error, Accept %s: %d %s", accept, r.status, r)
		}
	}
	var mutated map[string]struct{ TotalCount int }
	post(t, a.c, `{ customers(filter: {search: "get@example.com"}) { totalCount } }`, &mutated)
	if mutated["customers"].TotalCount != 0 {
		t.Fatal("a mutation over GET ran")
	}
	for _, method := range []string{"PUT", "DELETE", "PATCH"} {
		r := gqlHTTP(t, a, method, "/graphql", `{"query":"{ __typename }"}`, "Content-Type", "application/json")
		if r.status != 405 || r.header.Get("Allow") != "GET, POST, OPTIONS" {
			t.Errorf("%s: %d Allow %q", method, r.status, r.header.Get("Allow"))
		}
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, httptest.NewRequest("OPTIONS", "/graphql", nil))
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Allow"), "POST") {
		t.Errorf("OPTIONS: %d Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

// Persisted queries: the hash alone is a well-formed request once the query is known.
func TestConformancePersistedQueries(t *testing.T) {
	a := newAPI(t, options())
	const hash = "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38" // sha256("{__typename}")
	ext := `"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`
	if r := postAccept(t, a, responseMedia, `{`+ext+`}`); r.status != 400 || r.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %d %s", r.status, r)
	}
	if r := postAccept(t, a, responseMedia, `{"query":"{__typename}",`+ext+`}`); r.status != 200 || r.code() != "" {
		t.Fatalf("register: %d %s", r.status, r)
	}
	if r := postAccept(t, a, responseMedia, `{`+ext+`}`); r.status != 200 || string(r.result["data"]) != `{"__typename":"Query"}` {
		t.Fatalf("by hash: %d %s", r.status, r)
	}
}
