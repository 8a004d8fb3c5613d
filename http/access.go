package http

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/graph"
	"github.com/cdpgraph/cdpgraph/loaders"
)

// Access is who may call the API and what they see.
type Access struct {
	Auth     *auth.Authenticator
	Partners auth.Partners
	Pseudo   *auth.Pseudonymizer
	Audit    cdp.AuditStore // nil: nothing is recorded (tests of other features)
}

// roleSet is a set of roles as bits.
type roleSet uint8

func roleBit(r cdp.Role) roleSet {
	if i := slices.Index(cdp.Roles, r); i >= 0 {
		return 1 << i
	}
	return 0
}

func (s roleSet) has(r cdp.Role) bool { return s&roleBit(r) != 0 }

func (s roleSet) String() string {
	var names []string
	for _, r := range cdp.Roles {
		if s.has(r) {
			names = append(names, string(r))
		}
	}
	return strings.Join(names, ", ")
}

// fieldRule is what the schema's directives say about one field.
type fieldRule struct {
	coordinate string // Type.field
	roles      roleSet
	pii        string // @pii kind, "" for non-personal fields
	nonNull    bool
	root       bool // a field of Query, Mutation or Subscription
	adminOnly  bool
	customer   bool // a field of Customer: the caller must have that customer in scope
	returns    string
	sourceArg  bool // has a `source` argument (ingest): frontends may only name their own
	// lookups are the arguments (and input fields: "filter.search") marked @pii: looking a
	// customer up by personal data.
	lookups [][2]string
}

// policy enforces @auth and @pii for every field of every operation, in one place.
type policy struct {
	rules  map[string]fieldRule
	access Access
	log    *slog.Logger
}

// newPolicy reads the directives of every field. Root fields without @auth are for admins
// only; other fields take their type's @auth, or are open to whoever reached the parent.
func newPolicy(schema *ast.Schema, access Access, log *slog.Logger) *policy {
	p := &policy{rules: map[string]fieldRule{}, access: access, log: log}
	roots := map[string]bool{}
	for _, d := range []*ast.Definition{schema.Query, schema.Mutation, schema.Subscription} {
		if d != nil {
			roots[d.Name] = true
		}
	}
	all := roleBit(cdp.RoleAdmin) | roleBit(cdp.RoleAnalyst) | roleBit(cdp.RoleFrontend) | roleBit(cdp.RolePartner)
	for _, def := range schema.Types {
		if def.Kind != ast.Object || strings.HasPrefix(def.Name, "__") {
			continue
		}
		typeRoles, typed := rolesOf(def.Directives)
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			r := fieldRule{coordinate: def.Name + "." + f.Name, roles: all, root: roots[def.Name], nonNull: f.Type.NonNull,
				customer: def.Name == "Customer", returns: f.Type.Name(), sourceArg: f.Arguments.ForName("source") != nil}
			if roles, ok := rolesOf(f.Directives); ok {
				r.roles = roles
			} else if typed {
				r.roles = typeRoles
			} else if r.root {
				r.roles = roleBit(cdp.RoleAdmin)
			}
			r.adminOnly = r.roles == roleBit(cdp.RoleAdmin)
			if d := f.Directives.ForName("pii"); d != nil {
				r.pii = d.Arguments.ForName("kind").Value.Raw
			}
			for _, a := range f.Arguments {
				if a.Directives.ForName("pii") != nil {
					r.lookups = append(r.lookups, [2]string{a.Name, ""})
				}
				if in := schema.Types[a.Type.Name()]; in != nil && in.Kind == ast.InputObject {
					for _, inf := range in.Fields {
						if inf.Directives.ForName("pii") != nil {
							r.lookups = append(r.lookups, [2]string{a.Name, inf.Name})
						}
					}
				}
			}
			p.rules[r.coordinate] = r
		}
	}
	return p
}

func rolesOf(dirs ast.DirectiveList) (roleSet, bool) {
	d := dirs.ForName("auth")
	if d == nil {
		return 0, false
	}
	var s roleSet
	for _, v := range d.Arguments.ForName("roles").Value.Children {
		s |= roleBit(cdp.Role(strings.ToLower(v.Value.Raw)))
	}
	return s, true
}

func forbidden(format string, args ...any) error { return cdp.Errorf(cdp.EFORBIDDEN, format, args...) }

// aroundFields is the gqlgen field middleware: check the role, the customer scope and the
// frontend's sources before resolving; mask personal data after.
func (p *policy) aroundFields(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	rule, ok := p.rules[fc.Object+"."+fc.Field.Name]
	if !ok { // introspection
		return next(ctx)
	}
	pr := cdp.PrincipalFrom(ctx)
	if pr == nil {
		return nil, auth.ErrNoCredentials
	}
	if !rule.roles.has(pr.Role) {
		return nil, forbidden("the %s role may not read %s (allowed: %s)", pr.Role, rule.coordinate, rule.roles)
	}
	if len(rule.lookups) > 0 && pr.Role == cdp.RoleAnalyst && !pr.PII {
		if arg := personalLookup(ctx, fc, rule.lookups); arg != "" {
			return nil, &cdp.Error{Code: cdp.EFORBIDDEN, Field: arg,
				Message: "looking customers up by personal data needs a key with the personal-data grant (it would tie pseudonyms to people)"}
		}
	}
	scoped := pr.Role == cdp.RolePartner || pr.Role == cdp.RoleFrontend
	if scoped && rule.sourceArg {
		if src, _ := fc.Args["source"].(string); !slices.Contains(pr.Sources, strings.ToLower(strings.TrimSpace(src))) {
			return nil, forbidden("this key may only send records as %s", strings.Join(pr.Sources, ", "))
		}
	}
	if scoped && rule.customer {
		if c := customerOf(fc); c == nil {
			return nil, forbidden("%s is outside your access scope", rule.coordinate)
		} else if in, err := p.inScope(ctx, pr, c); err != nil || !in {
			return nil, cmpErr(err, forbidden("customer %s is outside your access scope", c.ID))
		}
	}
	res, err := next(ctx)
	if err != nil || res == nil {
		return res, err
	}
	if scoped && rule.returns == "Customer" && rule.root {
		// customer(id) and customerByIdentifier answer a customer outside the scope exactly
		// as one that does not exist: null, no error. A "forbidden" would tell a partner
		// probing emails that this person is a customer.
		if c, ok := res.(*cdp.Customer); ok && c != nil {
			if in, err := p.inScope(ctx, pr, c); err != nil || !in {
				return nil, err
			}
		}
	}
	if rule.pii != "" {
		return p.maskResult(ctx, pr, rule, fc, res), nil
	}
	return res, nil
}

// personalLookup names the first @pii argument or input field the operation gives a value.
func personalLookup(ctx context.Context, fc *graphql.FieldContext, lookups [][2]string) string {
	args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	for _, l := range lookups {
		v := args[l[0]]
		if l[1] != "" {
			obj, _ := v.(map[string]any)
			v = obj[l[1]]
		}
		if s, ok := v.(string); v != nil && (!ok || s != "") {
			if l[1] != "" {
				return l[0] + "." + l[1]
			}
			return l[0]
		}
	}
	return ""
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// customerOf finds the customer a field belongs to: the nearest customer up the path.
func customerOf(fc *graphql.FieldContext) *cdp.Customer {
	for f := fc.Parent; f != nil; f = f.Parent {
		switch v := f.Result.(type) {
		case *cdp.Customer:
			return v
		case **cdp.Customer:
			return *v
		}
	}
	return nil
}

// inScope: a frontend sees customers known to one of its sources; a partner sees customers
// whose consents in force allow sharing with it.
func (p *policy) inScope(ctx context.Context, pr *cdp.Principal, c *cdp.Customer) (bool, error) {
	switch pr.Role {
	case cdp.RoleFrontend:
		for _, s := range c.Sources {
			if slices.Contains(pr.Sources, s) {
				return true, nil
			}
		}
		return false, nil
	case cdp.RolePartner:
		consents, err := loaders.For(ctx).Consents.Load(ctx, c.ID)
		if err != nil {
			return false, err
		}
		return cdp.SharesWith(consents, pr.Partner), nil
	}
	return true, nil
}

// Masked stands in for a personal value a partner may not receive where null is not allowed.
const Masked = "[masked]"

// maskResult returns res, a pseudonym or nothing, by role; a partner's reads of personal data
// go in the audit log.
func (p *policy) maskResult(ctx context.Context, pr *cdp.Principal, rule fieldRule, fc *graphql.FieldContext, res any) any {
	raw := pr.RawPII()
	if pr.Role == cdp.RolePartner && p.access.Partners.Allows(pr.Partner, rule.coordinate) {
		raw = true
		if rec := recorderFrom(ctx); rec != nil {
			if c := customerOf(fc); c != nil {
				rec.partnerRead(c.ID, rule.coordinate)
			}
		}
	}
	if raw {
		return res
	}
	switch v := res.(type) {
	case *string:
		if v == nil || *v == "" {
			return v
		}
		if s := p.maskString(pr, rule.pii, *v); s != "" {
			return &s
		}
		return nil
	case string:
		if v == "" { // empty stays empty, as admins see it: a pseudonym of "" would be noise
			return v
		}
		if s := p.maskString(pr, rule.pii, v); s != "" {
			return s
		}
		if rule.nonNull {
			return Masked
		}
		return nil
	case []string:
		if pr.Role == cdp.RolePartner {
			return []string{}
		}
		out := make([]string, 0, len(v))
		for _, s := range v {
			if m := p.maskString(pr, rule.pii, s); m != "" || s == "" {
				out = append(out, m)
			}
		}
		return out
	}
	// A personal field of another Go type would leak; refuse it loudly in development.
	p.log.Error("unmasked personal field type", "field", rule.coordinate, "type", fmt.Sprintf("%T", res))
	return nil
}

// withheldFromAnalysts are the @pii kinds analysts without the grant do not see at all, not
// even as pseudonyms. A pseudonym of a free text (a search query, a URL, a review) counts
// and joins nothing useful, and lets whoever knows a text, or types one into a shop's
// search box, find who wrote it. Analysts get sentiment, ratings and event types instead.
var withheldFromAnalysts = map[string]bool{"FREE_TEXT": true}

// maskString is a value of a field of the given @pii kind as a caller without raw access
// sees it: analysts a pseudonym separated by kind (or nothing for withheld kinds),
// partners nothing. "" is nothing.
func (p *policy) maskString(pr *cdp.Principal, kind, v string) string {
	if v != "" && pr.Role == cdp.RoleAnalyst && !withheldFromAnalysts[kind] {
		return p.access.Pseudo.Pseudonym(kind, v)
	}
	return ""
}

// maskField applies the policy to one personal value outside GraphQL (exports), by the
// rule of the schema field it comes from, exactly as maskResult would.
func (p *policy) maskField(pr *cdp.Principal, coordinate, v string) string {
	if v == "" || pr.RawPII() || (pr.Role == cdp.RolePartner && p.access.Partners.Allows(pr.Partner, coordinate)) {
		return v
	}
	rule, ok := p.rules[coordinate]
	if !ok || rule.pii == "" {
		p.log.Error("maskField on a field that is not personal data", "field", coordinate)
		return ""
	}
	return p.maskString(pr, rule.pii, v)
}

// recorder collects one operation's audit entries; they are written when its response is.
type recorder struct {
	mu      sync.Mutex
	entries []cdp.AuditEntry
	reads   map[string]map[string]bool // partner reads: customer -> coordinates
}

type recorderKey struct{}

func recorderFrom(ctx context.Context) *recorder {
	r, _ := ctx.Value(recorderKey{}).(*recorder)
	return r
}

func (r *recorder) partnerRead(customer, coordinate string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reads == nil {
		r.reads = map[string]map[string]bool{}
	}
	if r.reads[customer] == nil {
		r.reads[customer] = map[string]bool{}
	}
	r.reads[customer][coordinate] = true
}

func (r *recorder) add(e cdp.AuditEntry) {
	r.mu.Lock()
	r.entries = append(r.entries, e)
	r.mu.Unlock()
}

// take returns and clears what was recorded, the partner's reads as one entry.
func (r *recorder) take(pr *cdp.Principal, now time.Time) []cdp.AuditEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.entries
	if len(r.reads) > 0 {
		fields := map[string]bool{}
		for _, fs := range r.reads {
			maps.Copy(fields, fs)
		}
		out = append(out, cdp.AuditEntry{ID: cdp.NewAuditID(), At: now, Actor: pr.Subject, Role: pr.Role, Partner: pr.Partner,
			Action: "partner.read", Customers: slices.Sorted(maps.Keys(r.reads)), Detail: "fields: " + strings.Join(slices.Sorted(maps.Keys(fields)), ", ")})
	}
	r.entries, r.reads = nil, nil
	return out
}

// aroundRootFields records administrative actions: every mutation and every admin-only
// query, with the ids it was given and its outcome (never other argument values, which may
// be personal).
func (p *policy) aroundRootFields(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	object := fc.Field.ObjectDefinition.Name
	rule, ok := p.rules[object+"."+fc.Field.Name]
	rec, pr := recorderFrom(ctx), cdp.PrincipalFrom(ctx)
	if !ok || rec == nil || pr == nil || !(object == "Mutation" || rule.adminOnly) || !rule.roles.has(pr.Role) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	before := len(graphql.GetErrors(ctx))
	m := next(ctx)
	args := fc.Field.ArgumentMap(oc.Variables)
	var customers, detail []string
	for _, a := range fc.Field.Definition.Arguments {
		v, ok := args[a.Name]
		if !ok || v == nil {
			continue
		}
		switch {
		case a.Type.Name() == "ID":
			ids := idStrings(v)
			for _, id := range ids {
				if c, ok := customerIDOf(id); ok {
					customers = append(customers, c)
				}
			}
			detail = append(detail, a.Name+"="+strings.Join(ids, ","))
		case a.Type.Elem != nil:
			if xs, ok := v.([]any); ok {
				detail = append(detail, fmt.Sprintf("%s: %d", a.Name, len(xs)))
			}
		case a.Name == "source" || a.Name == "asOf":
			detail = append(detail, fmt.Sprintf("%s=%v", a.Name, v))
		}
	}
	outcome := "ok"
	if errs := graphql.GetErrors(ctx); len(errs) > before {
		code, _ := errs[len(errs)-1].Extensions["code"].(string)
		outcome = "failed " + code
	}
	rec.add(cdp.AuditEntry{ID: cdp.NewAuditID(), At: time.Now().UTC(), Actor: pr.Subject, Role: pr.Role, Partner: pr.Partner,
		Action: fc.Field.Name, Customers: customers, Detail: strings.TrimSpace(strings.Join(detail, "; ") + " " + outcome)})
	return m
}

func idStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// customerIDOf reads a customer id from a global id ("Customer:cus_..." in base64) or a
// plain one.
func customerIDOf(id string) (string, bool) {
	if strings.HasPrefix(id, "cus_") {
		return id, true
	}
	b, err := base64.RawURLEncoding.DecodeString(id)
	if typ, key, ok := strings.Cut(string(b), ":"); err == nil && ok && typ == "Customer" {
		return key, true
	}
	return "", false
}

// aroundOperations gives each operation a recorder and writes what it recorded before the
// response leaves. A partner's read of personal data that cannot be recorded is not
// answered.
func (p *policy) aroundOperations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	pr := cdp.PrincipalFrom(ctx)
	if p.access.Audit == nil || pr == nil {
		return next(ctx)
	}
	rec := &recorder{}
	ctx = context.WithValue(ctx, recorderKey{}, rec)
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := h(context.WithValue(ctx, recorderKey{}, rec))
		entries := rec.take(pr, time.Now().UTC())
		if len(entries) == 0 {
			return resp
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := p.access.Audit.WriteAudit(wctx, entries); err != nil {
			p.log.Error("audit log write failed", "err", err, "entries", len(entries), "actor", pr.Subject)
			if pr.Role == cdp.RolePartner {
				return graphql.ErrorResponse(ctx, "the access could not be recorded in the audit log; try again")
			}
		}
		return resp
	}
}

var documentMu sync.Mutex

// documentAccess writes the access rules into the schema's descriptions, so GraphiQL and
// introspection show who may call a field and how its personal data is masked.
func documentAccess(schema *ast.Schema, p *policy) {
	documentMu.Lock()
	defer documentMu.Unlock()
	for _, def := range schema.Types {
		for _, f := range def.Fields {
			rule, ok := p.rules[def.Name+"."+f.Name]
			if !ok {
				continue
			}
			var notes []string
			if rule.root || f.Directives.ForName("auth") != nil {
				notes = append(notes, "Roles: "+rule.roles.String()+".")
			}
			if rule.pii != "" {
				analysts := "a pseudonym (per kind of field) for analysts without a personal-data grant"
				if withheldFromAnalysts[rule.pii] {
					analysts = "null for analysts without a personal-data grant"
				}
				notes = append(notes, fmt.Sprintf("Personal data (%s): %s; "+
					"for partners, null (or %q) unless their contract lists %s.", rule.pii, analysts, Masked, rule.coordinate))
			}
			if note := strings.Join(notes, " "); note != "" && !strings.Contains(f.Description, note) {
				f.Description = strings.TrimSpace(f.Description + "\n\n" + note)
			}
		}
	}
}

// PersonalFields lists the schema coordinates of personal data (fields marked @pii), which
// partner contracts may grant.
func PersonalFields() []string {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var out []string
	for _, def := range schema.Types {
		for _, f := range def.Fields {
			if f.Directives.ForName("pii") != nil {
				out = append(out, def.Name+"."+f.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// CheckPersonalField accepts a partner-contract field: a personal-data coordinate.
func CheckPersonalField(coordinate string) error {
	if slices.Contains(PersonalFields(), coordinate) {
		return nil
	}
	return fmt.Errorf("not a personal-data field; use one of %s", strings.Join(PersonalFields(), ", "))
}
