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
	"github.com/cdpgraph/cdpgraph/graph/model"
	"github.com/cdpgraph/cdpgraph/loaders"
	"github.com/cdpgraph/cdpgraph/segment"
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
	// lookups are the arguments and input fields ("filter.search") marked @pii, looking a
	// customer up by personal data, and those whose enum values are (sorting by it).
	lookups []personalArg
	// definitions are the arguments that take a segment definition: selecting customers
	// by a personal field is a lookup too.
	definitions []string
	// revealers are the roles that may read every field the value is made from (@reveals);
	// others get withheld, or null. 0: the field is not marked.
	revealers roleSet
	withheld  *string
}

type fieldKey struct{ object, field string }

// personalArg is an argument (or an input field of one) whose value uses personal data:
// any value, or only the listed enum values.
type personalArg struct {
	arg, field string
	values     map[string]bool // nil: any non-empty value
}

// policy enforces @auth and @pii for every field of every operation, in one place.
type policy struct {
	rules map[string]fieldRule // by coordinate
	// fields holds the same rules for the field middleware, which looks one up for every
	// field of every answer: by a key it need not build, and without copying the rule.
	fields map[fieldKey]*fieldRule
	schema *ast.Schema
	access Access
	log    *slog.Logger
}

// newPolicy reads the directives of every field. Root fields without @auth are for admins
// only; other fields take their type's @auth, or are open to whoever reached the parent.
func newPolicy(schema *ast.Schema, access Access, log *slog.Logger) *policy {
	p := &policy{rules: map[string]fieldRule{}, schema: schema, access: access, log: log}
	roots := map[string]bool{}
	for _, d := range []*ast.Definition{schema.Query, schema.Mutation, schema.Subscription} {
		if d != nil {
			roots[d.Name] = true
		}
	}
	all := allRoles()
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
				if a.Type.Name() == "SegmentDefinition" {
					r.definitions = append(r.definitions, a.Name)
				}
				r.lookups = append(r.lookups, personalArgs(schema, a.Name, "", a.Directives, a.Type)...)
				if in := schema.Types[a.Type.Name()]; in != nil && in.Kind == ast.InputObject {
					for _, inf := range in.Fields {
						r.lookups = append(r.lookups, personalArgs(schema, a.Name, inf.Name, inf.Directives, inf.Type)...)
					}
				}
			}
			p.rules[r.coordinate] = r
		}
	}
	for _, def := range schema.Types {
		for _, f := range def.Fields {
			if d := f.Directives.ForName("reveals"); d != nil {
				p.readReveals(def.Name+"."+f.Name, f, d)
			}
		}
	}
	p.fields = make(map[fieldKey]*fieldRule, len(p.rules))
	for _, def := range schema.Types {
		for _, f := range def.Fields {
			if r, ok := p.rules[def.Name+"."+f.Name]; ok {
				p.fields[fieldKey{def.Name, f.Name}] = &r
			}
		}
	}
	return p
}

// personalArgs says whether an argument or input field uses personal data: marked @pii
// itself, or an enum with values marked @pii (a sort by a personal field).
func personalArgs(schema *ast.Schema, arg, field string, dirs ast.DirectiveList, typ *ast.Type) []personalArg {
	if dirs.ForName("pii") != nil {
		return []personalArg{{arg: arg, field: field}}
	}
	def := schema.Types[typ.Name()]
	if def == nil || def.Kind != ast.Enum {
		return nil
	}
	values := map[string]bool{}
	for _, v := range def.EnumValues {
		if v.Directives.ForName("pii") != nil {
			values[v.Name] = true
		}
	}
	if len(values) == 0 {
		return nil
	}
	return []personalArg{{arg: arg, field: field, values: values}}
}

// readReveals reads a field's @reveals. A mistake in it is a schema bug: the server does
// not start.
func (p *policy) readReveals(coordinate string, f *ast.FieldDefinition, d *ast.Directive) {
	r := p.rules[coordinate]
	r.revealers = ^roleSet(0)
	for _, v := range d.Arguments.ForName("fields").Value.Children {
		from, ok := p.rules[v.Value.Raw]
		if !ok {
			panic(fmt.Sprintf("schema: %s @reveals %q: no such field", coordinate, v.Value.Raw))
		}
		r.revealers &= from.roles
	}
	if a := d.Arguments.ForName("withheld"); a != nil && a.Value.Kind == ast.StringValue {
		r.withheld = &a.Value.Raw
	}
	text := f.Type.Name() == "String" && f.Type.Elem == nil
	if (f.Type.NonNull && r.withheld == nil) || (r.withheld != nil && !text) {
		panic(fmt.Sprintf("schema: %s @reveals: withheld is for String fields, and a non-null field needs it", coordinate))
	}
	p.rules[coordinate] = r
}

func allRoles() roleSet {
	return roleBit(cdp.RoleAdmin) | roleBit(cdp.RoleAnalyst) | roleBit(cdp.RoleFrontend) | roleBit(cdp.RolePartner)
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
	rule, ok := p.fields[fieldKey{fc.Object, fc.Field.Name}]
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
	if len(rule.definitions) > 0 && pr.Role == cdp.RoleAnalyst && !pr.PII {
		if path := p.personalPredicate(fc, rule.definitions); path != "" {
			return nil, &cdp.Error{Code: cdp.EFORBIDDEN, Field: path,
				Message: "selecting customers by personal data needs a key with the personal-data grant (members would reveal values shown to you as pseudonyms)"}
		}
	}
	if len(rule.lookups) > 0 && pr.Role == cdp.RoleAnalyst && !pr.PII {
		if arg, sort := personalLookup(ctx, fc, rule.lookups); arg != "" {
			msg := "looking customers up by personal data needs a key with the personal-data grant (it would tie pseudonyms to people)"
			if sort {
				msg = "sorting by personal data needs a key with the personal-data grant (the order would reveal values shown to you as pseudonyms)"
			}
			return nil, &cdp.Error{Code: cdp.EFORBIDDEN, Field: arg, Message: msg}
		}
	}
	if rule.revealers != 0 && !rule.revealers.has(pr.Role) {
		return p.withhold(ctx, rule, next)
	}
	scoped := pr.Scoped()
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
	if fc.Object == "Mutation" && err == nil {
		if rec := recorderFrom(ctx); rec != nil {
			rec.result(fc.Field.Alias, res)
		}
	}
	if scoped && rule.returns == "Customer" && rule.root {
		return p.scopedLookup(ctx, pr, res, err)
	}
	if err != nil || res == nil {
		return res, err
	}
	if rule.pii != "" {
		return p.maskResult(ctx, pr, rule, fc, res), nil
	}
	return res, nil
}

// withhold answers a field made from data the caller may not read (@reveals): its withheld
// text, or null; a nullable field's null stays null.
func (p *policy) withhold(ctx context.Context, rule *fieldRule, next graphql.Resolver) (any, error) {
	switch {
	case rule.withheld == nil:
		return nil, nil
	case rule.nonNull:
		return *rule.withheld, nil
	}
	res, err := next(ctx)
	switch v := res.(type) {
	case *string:
		if err == nil && v != nil {
			w := *rule.withheld
			return &w, nil
		}
	case string:
		if err == nil {
			return *rule.withheld, nil
		}
	}
	return nil, err
}

// personalLookup names the first argument or input field whose value uses personal data,
// and whether it is a sort order.
func personalLookup(ctx context.Context, fc *graphql.FieldContext, lookups []personalArg) (string, bool) {
	args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	for _, l := range lookups {
		v, name := args[l.arg], l.arg
		if l.field != "" {
			obj, _ := v.(map[string]any)
			v, name = obj[l.field], l.arg+"."+l.field
		}
		s, isString := v.(string)
		switch {
		case v == nil:
		case l.values != nil:
			if l.values[s] {
				return name, true
			}
		case !isString || s != "":
			return name, false
		}
	}
	return "", false
}

// personalPredicate names the first predicate of a segment definition argument that
// selects by a field marked @pii (a postcode prefix, an age range).
func (p *policy) personalPredicate(fc *graphql.FieldContext, args []string) string {
	for _, a := range args {
		var d *segment.Definition
		switch v := fc.Args[a].(type) {
		case segment.Definition:
			d = &v
		case *segment.Definition:
			d = v
		}
		if d == nil {
			continue
		}
		for _, read := range d.ProfileReads() {
			if p.rules[read.Coordinate].pii != "" {
				return read.Path
			}
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

// scopedLookup finishes a partner's or frontend's root lookup of one customer (customer,
// customerByIdentifier). A customer outside the scope is answered exactly as one that does
// not exist, null and no error, after the same statements: neither the answer nor its
// timing may tell a prober that the person is a customer. An identifier several customers
// share answers null too, for the same reason.
func (p *policy) scopedLookup(ctx context.Context, pr *cdp.Principal, res any, err error) (any, error) {
	c, _ := res.(*cdp.Customer)
	if err != nil {
		if cdp.ErrorCode(err) != cdp.ECONFLICT {
			return nil, err
		}
		c = nil
	}
	// The scope of nobody is checked too (and answers false), so that every lookup costs
	// the same consent read.
	id := ""
	if c != nil {
		id = c.ID
	}
	in := false
	switch pr.Role {
	case cdp.RoleFrontend:
		in = c != nil && p.frontendScope(pr, c)
	case cdp.RolePartner:
		consents, err := loaders.For(ctx).ConsentsNow(ctx, id)
		if err != nil {
			return nil, err
		}
		in = c != nil && cdp.SharesWith(consents, pr.Partner)
	}
	if !in {
		return nil, nil
	}
	// In scope: now read the lists the lookup deferred (one statement).
	if err := loaders.For(ctx).ReadDeferred(ctx, c.ID); err != nil {
		return nil, err
	}
	return c, nil
}

// inScope: a frontend sees customers known to one of its sources; a partner sees customers
// whose consents in force allow sharing with it.
func (p *policy) inScope(ctx context.Context, pr *cdp.Principal, c *cdp.Customer) (bool, error) {
	switch pr.Role {
	case cdp.RoleFrontend:
		return p.frontendScope(pr, c), nil
	case cdp.RolePartner:
		consents, err := loaders.For(ctx).Consents.Load(ctx, c.ID)
		if err != nil {
			return false, err
		}
		return cdp.SharesWith(consents, pr.Partner), nil
	}
	return true, nil
}

func (p *policy) frontendScope(pr *cdp.Principal, c *cdp.Customer) bool {
	return slices.ContainsFunc(c.Sources, func(s string) bool { return slices.Contains(pr.Sources, s) })
}

// Masked stands in for a personal value a partner may not receive where null is not allowed.
const Masked = "[masked]"

// maskResult returns res, a pseudonym or nothing, by role; a partner's reads of personal data
// go in the audit log.
func (p *policy) maskResult(ctx context.Context, pr *cdp.Principal, rule *fieldRule, fc *graphql.FieldContext, res any) any {
	raw := pr.RawPII()
	if pr.Role == cdp.RolePartner && p.access.Partners.Allows(pr.Partner, rule.coordinate) {
		raw = true
		if rec := recorderFrom(ctx); rec != nil {
			// A field outside any customer is still a read: recorded with its field, no customer.
			id := ""
			if c := customerOf(fc); c != nil {
				id = c.ID
			}
			rec.partnerRead(id, rule.coordinate)
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
	results map[string]any             // mutations' answers, by response key
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

func (r *recorder) result(alias string, res any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.results == nil {
		r.results = map[string]any{}
	}
	r.results[alias] = res
}

func (r *recorder) takeResult(alias string) any {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := r.results[alias]
	delete(r.results, alias)
	return res
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
		customers := slices.DeleteFunc(slices.Sorted(maps.Keys(r.reads)), func(c string) bool { return c == "" })
		out = append(out, cdp.AuditEntry{ID: cdp.NewAuditID(), At: now, Actor: pr.Subject, Role: pr.Role, Partner: pr.Partner,
			Action: "partner.read", Customers: customers, Detail: "fields: " + strings.Join(slices.Sorted(maps.Keys(fields)), ", ")})
	}
	r.entries, r.reads = nil, nil
	return out
}

// aroundRootFields records administrative actions: every mutation and every admin-only
// query, refused ones included, with the ids it was given, what it made and its outcome
// (never other argument values, which may be personal, nor secrets).
func (p *policy) aroundRootFields(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	object := fc.Field.ObjectDefinition.Name
	rule, ok := p.fields[fieldKey{object, fc.Field.Name}]
	rec, pr := recorderFrom(ctx), cdp.PrincipalFrom(ctx)
	if !ok || rec == nil || pr == nil || !(object == "Mutation" || rule.adminOnly) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	m := next(ctx)
	customers, detail := p.auditArgs(fc.Field.Definition.Arguments, fc.Field.ArgumentMap(oc.Variables))
	c, d := auditResult(rec.takeResult(fc.Field.Alias))
	customers, detail = append(customers, c...), append(detail, d...)
	outcome := "ok"
	for _, e := range graphql.GetErrors(ctx) {
		// The field's own error, not one of a child field of its answer.
		if len(e.Path) == 1 && e.Path[0] == ast.PathName(fc.Field.Alias) {
			code, _ := e.Extensions["code"].(string)
			outcome = "failed " + code
			break
		}
	}
	rec.add(cdp.AuditEntry{ID: cdp.NewAuditID(), At: time.Now().UTC(), Actor: pr.Subject, Role: pr.Role, Partner: pr.Partner,
		Action: fc.Field.Name, Customers: slices.Compact(customers), Detail: strings.TrimSpace(strings.Join(detail, "; ") + " " + outcome)})
	return m
}

// auditArgs describes a root field's arguments without personal data: ids, list sizes,
// the source and date of ingest and scoring, and enum and Boolean values (also those of
// input objects, e.g. a new key's role).
func (p *policy) auditArgs(defs ast.ArgumentDefinitionList, args map[string]any) (customers, detail []string) {
	for _, a := range defs {
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
		case a.Name == "source" || a.Name == "asOf" || p.plainValue(a.Type):
			detail = append(detail, fmt.Sprintf("%s=%v", a.Name, v))
		case p.schema.Types[a.Type.Name()] != nil && p.schema.Types[a.Type.Name()].Kind == ast.InputObject:
			obj, _ := v.(map[string]any)
			for _, f := range p.schema.Types[a.Type.Name()].Fields {
				if x, ok := obj[f.Name]; ok && x != nil && p.plainValue(f.Type) {
					detail = append(detail, fmt.Sprintf("%s.%s=%v", a.Name, f.Name, x))
				}
			}
		}
	}
	return customers, detail
}

// plainValue: a single enum or Boolean, which cannot hold personal data.
func (p *policy) plainValue(t *ast.Type) bool {
	if t.Elem != nil {
		return false
	}
	def := p.schema.Types[t.Name()]
	return t.Name() == "Boolean" || (def != nil && def.Kind == ast.Enum)
}

// auditResult describes what a mutation made: the created key (never its secret), the
// segment, the customer.
func auditResult(res any) (customers, detail []string) {
	switch v := res.(type) {
	case *model.CreatedAPIKey:
		if v != nil && v.Key != nil {
			k := v.Key
			detail = append(detail, "key="+k.ID, "role="+string(k.Role))
			if k.Partner != "" {
				detail = append(detail, "partner="+k.Partner)
			}
			if len(k.Sources) > 0 {
				detail = append(detail, "sources="+strings.Join(k.Sources, ","))
			}
			if k.PII {
				detail = append(detail, "pii")
			}
		}
	case *cdp.Segment:
		if v != nil {
			detail = append(detail, "segment="+v.ID)
		}
	case *cdp.Customer:
		if v != nil {
			customers = append(customers, v.ID)
		}
	}
	return customers, detail
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
// response leaves. A read that cannot be recorded (a partner's read of personal data, an
// admin-only query such as exportCustomer) is not answered; a mutation has already taken
// effect, so its answer is sent and the failure logged.
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
			if op := graphql.GetOperationContext(ctx).Operation; pr.Role == cdp.RolePartner || op == nil || op.Operation != ast.Mutation {
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
			if rule.revealers != 0 {
				what := "null"
				if rule.withheld != nil {
					what = fmt.Sprintf("%q", *rule.withheld)
				}
				notes = append(notes, fmt.Sprintf("Made from data only %s may read; others get %s.", rule.revealers&allRoles(), what))
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
