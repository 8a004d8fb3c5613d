package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// GraphQL over HTTP, as the spec draft describes it
// (https://graphql.github.io/graphql-over-http/draft/), checked by the graphql-http audit
// (scripts/audit-http.sh). overHTTP replaces gqlgen's GET and POST transports; they differ
// from the spec where it matters to clients:
//
//   - The response media type is negotiated from Accept with q-values:
//     application/graphql-response+json when the client prefers it, application/json
//     otherwise (also for */* and no Accept, the spec's legacy default); an Accept that
//     allows neither gets 406. Responses say charset=utf-8 and vary on Accept.
//   - Request errors (parse, validation, variable coercion, complexity, unknown persisted
//     query: the operation never ran) answer with no data entry, and with 400 under
//     application/graphql-response+json but 200 under application/json (gqlgen uses 422,
//     which the spec discourages). Request errors coded UNAUTHENTICATED or FORBIDDEN get 401
//     or 403 under either media type.
//   - A request that is not a well-formed GraphQL-over-HTTP request gets 400 under either
//     media type: a body that is not one JSON object, a missing query, a query or
//     operationName that is not a string, variables or extensions that are not objects.
//   - POST needs Content-Type application/json (charset, if given, utf-8), else 415.
//   - A mutation or subscription over GET gets 405 with Allow: POST; a subscription over
//     POST is a request error (subscriptions are served over websockets); other methods
//     get 405 with Allow.
//
// Executed operations always answer 200 with gqlgen's response, data included.
type overHTTP struct{}

var _ graphql.Transport = overHTTP{}

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
	allowedMethods       = "GET, POST, OPTIONS"
)

// Supports every plain HTTP request the other transports leave: websocket upgrades go to
// transport.Websocket, OPTIONS and HEAD to transport.Options (both added before this one).
func (overHTTP) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method != http.MethodOptions && r.Method != http.MethodHead
}

func (overHTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Add("Vary", "Accept")
	media, ok := negotiateMedia(r.Header.Get("Accept"))
	if !ok {
		writeRequestError(w, http.StatusNotAcceptable, mediaJSON, "NOT_ACCEPTABLE",
			"the Accept header allows neither application/graphql-response+json nor application/json")
		return
	}
	var (
		raw *graphql.RawParams
		msg string
	)
	start := graphql.Now()
	switch r.Method {
	case http.MethodGet:
		raw, msg = paramsFromURL(r.URL.RawQuery)
	case http.MethodPost:
		if status, code, why := checkContentType(r.Header.Get("Content-Type")); status != 0 {
			writeRequestError(w, status, media, code, why)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				writeRequestError(w, http.StatusRequestEntityTooLarge, media, "REQUEST_TOO_LARGE", tooLarge)
			} else {
				writeRequestError(w, http.StatusBadRequest, media, "BAD_REQUEST", "the request body could not be read")
			}
			return
		}
		raw, msg = paramsFromBody(body)
	default:
		w.Header().Set("Allow", allowedMethods)
		writeRequestError(w, http.StatusMethodNotAllowed, media, "METHOD_NOT_ALLOWED",
			"GraphQL requests are GET (queries only) or POST")
		return
	}
	if msg == "" && raw.Query == "" && raw.Extensions["persistedQuery"] == nil {
		msg = "the request has no query"
	}
	if msg != "" {
		writeRequestError(w, http.StatusBadRequest, media, "BAD_REQUEST", msg)
		return
	}
	raw.Headers = r.Header
	raw.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx := r.Context()
	opCtx, errs := exec.CreateOperationContext(ctx, raw)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
		writeResponse(w, requestErrorStatus(media, resp.Errors), media, resp)
		return
	}
	switch op := opCtx.Operation.Operation; {
	case r.Method == http.MethodGet && op != ast.Query:
		// GET is safe: it must not change anything, so only queries run over it.
		w.Header().Set("Allow", "POST")
		writeRequestError(w, http.StatusMethodNotAllowed, media, "METHOD_NOT_ALLOWED",
			"GET requests only run queries; send mutations with POST and subscriptions over websockets")
		return
	case op == ast.Subscription:
		writeRequestError(w, requestErrorStatus(media, nil), media, "BAD_REQUEST",
			"subscriptions are served over websockets (graphql-transport-ws or graphql-ws), not plain HTTP")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	status := http.StatusOK
	if resp != nil && resp.Data == nil && len(resp.Errors) > 0 {
		// An interceptor refused the operation before it ran: a request error too.
		status = requestErrorStatus(media, resp.Errors)
	}
	writeResponse(w, status, media, resp)
}

// negotiateMedia picks the response media type from an Accept header (RFC 9110 §12.5.1):
// each candidate takes the q of the most specific range that matches it; the higher q
// wins, then the more specific match, then the earlier range, then application/json.
// No Accept is application/json. ok is false when neither candidate is acceptable.
func negotiateMedia(accept string) (media string, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	type score struct {
		q           float64
		specificity int // 2 type/subtype, 1 type/*, 0 */*, -1 no match
		position    int
	}
	best := func(candidate string) score {
		s := score{specificity: -1}
		for i, part := range strings.Split(accept, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			spec := -1
			switch {
			case mt == candidate:
				spec = 2
			case mt == "application/*":
				spec = 1
			case mt == "*/*":
				spec = 0
			}
			if spec <= s.specificity {
				continue
			}
			q := 1.0
			if v, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
					q = f
				}
			}
			s = score{q: q, specificity: spec, position: i}
		}
		return s
	}
	j, g := best(mediaJSON), best(mediaGraphQLResponse)
	jOK, gOK := j.specificity >= 0 && j.q > 0, g.specificity >= 0 && g.q > 0
	switch {
	case !jOK && !gOK:
		return "", false
	case !gOK:
		return mediaJSON, true
	case !jOK:
		return mediaGraphQLResponse, true
	}
	prefer := g.q > j.q
	if g.q == j.q {
		prefer = g.specificity > j.specificity || g.specificity == j.specificity && g.position < j.position
	}
	if prefer {
		return mediaGraphQLResponse, true
	}
	return mediaJSON, true
}

// checkContentType accepts application/json in UTF-8 (the default when no charset is given).
func checkContentType(contentType string) (status int, code, msg string) {
	if contentType == "" {
		return http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
			"a POST request needs Content-Type: application/json"
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != mediaJSON {
		return http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
			"POST requests must be application/json"
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "request bodies must be UTF-8"
	}
	return 0, "", ""
}

// paramsFromBody reads the JSON request object; msg says why it is not a well-formed
// GraphQL-over-HTTP request. Numbers in variables stay json.Number, as gqlgen expects.
func paramsFromBody(body []byte) (raw *graphql.RawParams, msg string) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, "the request body must be a JSON object"
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "the request body must be a single JSON object"
	}
	raw = &graphql.RawParams{}
	decode := func(name string, v any) bool {
		f := fields[name]
		if len(f) == 0 || string(f) == "null" {
			return true
		}
		d := json.NewDecoder(bytes.NewReader(f))
		d.UseNumber()
		return d.Decode(v) == nil
	}
	switch {
	case !decode("query", &raw.Query):
		return nil, "query must be a string"
	case !decode("operationName", &raw.OperationName):
		return nil, "operationName must be a string"
	case !decode("variables", &raw.Variables) || !isObject(fields["variables"]):
		return nil, "variables must be an object"
	case !decode("extensions", &raw.Extensions) || !isObject(fields["extensions"]):
		return nil, "extensions must be an object"
	}
	return raw, ""
}

// paramsFromURL reads a GET request's parameters; variables and extensions are JSON.
func paramsFromURL(rawQuery string) (raw *graphql.RawParams, msg string) {
	values, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, "the URL query string could not be parsed"
	}
	raw = &graphql.RawParams{Query: values.Get("query"), OperationName: values.Get("operationName")}
	for _, p := range []struct {
		name string
		into *map[string]any
	}{{"variables", &raw.Variables}, {"extensions", &raw.Extensions}} {
		v := values.Get(p.name)
		if v == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(p.into); err != nil || !isObject(json.RawMessage(v)) {
			return nil, p.name + " must be a URL-encoded JSON object"
		}
	}
	return raw, ""
}

// isObject: absent, null or a JSON object.
func isObject(v json.RawMessage) bool {
	s := bytes.TrimSpace(v)
	return len(s) == 0 || string(s) == "null" || s[0] == '{'
}

// requestErrorStatus is the status of a response with no data. Refusals are 401 or 403
// under either media type; otherwise application/json keeps 200 (the spec's legacy
// behaviour) and application/graphql-response+json says what went wrong.
func requestErrorStatus(media string, errs gqlerror.List) int {
	codes := map[string]bool{}
	for _, e := range errs {
		if c, ok := e.Extensions["code"].(string); ok {
			codes[c] = true
		}
	}
	switch {
	case codes["UNAUTHENTICATED"]:
		return http.StatusUnauthorized
	case codes["FORBIDDEN"]:
		return http.StatusForbidden
	case media == mediaJSON:
		return http.StatusOK
	case codes["INTERNAL"]:
		return http.StatusInternalServerError
	case codes["UNAVAILABLE"]:
		return http.StatusServiceUnavailable
	default:
		return http.StatusBadRequest
	}
}

// writeRequestError answers a request that never reached GraphQL execution.
func writeRequestError(w http.ResponseWriter, status int, media, code, msg string) {
	writeResponse(w, status, media, &graphql.Response{Errors: gqlerror.List{
		{Message: msg, Extensions: map[string]any{"code": code}}}})
}

// writeResponse writes resp in media; a response without data leaves the data entry out,
// as the spec asks of request errors.
func writeResponse(w http.ResponseWriter, status int, media string, resp *graphql.Response) {
	if resp == nil {
		resp = &graphql.Response{Errors: gqlerror.List{{Message: "internal error", Extensions: map[string]any{"code": "INTERNAL"}}}}
		status = requestErrorStatus(media, resp.Errors)
	}
	var body any = resp
	if resp.Data == nil {
		body = struct {
			Errors     gqlerror.List  `json:"errors,omitempty"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{resp.Errors, resp.Extensions}
	}
	b, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}
