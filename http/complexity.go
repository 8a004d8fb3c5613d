package http

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cdpgraph/cdpgraph/graph"
)

// Complexity: every list field costs its bound times what each item asks for, so the
// complexity limit bounds the rows and the size of an answer. A list's bound is its
// argument (boundArgs) or, for a list whose size does not grow with the data, the size
// declared in fixedSizeLists. priceLists installs the prices from the schema itself, so a
// list added later is priced as soon as it has a bound argument, and one without either
// stops the server from starting (and TestEveryListIsPriced fails).

// boundArgs are the arguments that bound a list's length, with what they add to it.
var boundArgs = map[string]int{"first": 0, "sample": 0, "maxNodes": 0, "maxTies": 1, "buckets": 0}

// fixedSizeLists are the lists without a bound argument: the most items they hold and why
// that does not grow with the data. Lists of connections (edges, nodes) are priced on the
// field returning the connection.
var fixedSizeLists = map[string]struct {
	size int
	why  string
}{
	"Customer.provenance":              {13, "one per profile field"},
	"Customer.sources":                 {20, "one per source system"},
	"Customer.consents":                {12, "the decision in force per consent purpose"},
	"Customer.nextBestActions":         {12, "one per playbook action"},
	"Behaviour.favouriteCategories":    {30, "one per product category"},
	"Behaviour.channelMix":             {10, "one per sales channel"},
	"Sentiment.aspects":                {7, "one per aspect the sentiment model knows"},
	"Voice.aspects":                    {7, "one per aspect the sentiment model knows"},
	"Viewer.sources":                   {20, "the key's source systems"},
	"ApiKey.sources":                   {20, "the key's source systems"},
	"Query.apiKeys":                    {200, "an administered set of keys, scalar fields only"},
	"AuditEntry.customers":             {100, "customer ids one action touched (strings)"},
	"IdentityEvent.via":                {20, "the identifier keys or link kinds of one merge (strings)"},
	"ErasurePreview.sourceRecords":     {100, "one person's record keys (strings), for an admin"},
	"ErasurePreview.identifiers":       {100, "one person's identifiers (strings), for an admin"},
	"ErasurePreview.sharedIdentifiers": {100, "one person's identifiers (strings), for an admin"},
	"ErasurePreview.suppressed":        {200, "one person's record keys and own identifiers (strings), for an admin"},
	"ErasurePreview.profileFields":     {13, "one per profile field"},
	"IngestResult.errors":              {5000, "one per rejected record of a batch, which holds at most 5,000"},
	"MatchExplanation.steps":           {20, "a shortest chain of links between two records, one per root field"},
	"ReviewPair.evidence":              {15, "one per compared field"},
	"PairScore.evidence":               {15, "one per compared field"},
	"WhyApart.reasons":                 {60, "at most 20 analysts' decisions, 30 shared identifiers and the score's verdicts"},
	"MatchModel.blockingKeys":          {15, "the matcher's blocking keys"},
	"MatchModel.fields":                {15, "one per compared field"},
	"MatchField.levels":                {8, "one per agreement level"},
	"ScoringModel.notes":               {10, "what one scoring run could not fit"},
	"ModelFit.parameters":              {6, "one per model parameter"},
	"ChurnModel.coefficients":          {20, "one per classifier feature"},
	"Cohort.retained":                  {120, "one per month since the cohort's first purchase"},
	"Query.rfmGrid":                    {25, "5 × 5 RFM cells"},
	"Query.churnRiskDistribution":      {4, "one per churn band"},
	"Query.clvDistribution":            {20, "one per CLV bucket"},
	"Query.cohortRetention":            {120, "one per month of first purchase"},
	// The vocabulary: strings, configured or from indexes.
	"Vocabulary.rfmSegments":     {25, "the RFM segment map's names, at most one per cell"},
	"Vocabulary.churnBands":      {4, "one per churn band"},
	"Vocabulary.scoreFields":     {20, "one per scored property"},
	"Vocabulary.profileFields":   {10, "one per profile field a segment reads"},
	"Vocabulary.profileOps":      {4, "one per profile operator"},
	"Vocabulary.identifierTypes": {10, "one per identifier type"},
	"Vocabulary.categories":      {500, "one per product category of the catalogue"},
	"Vocabulary.eventTypes":      {20, "one per known event type"},
	"Vocabulary.sources":         {50, "one per source system"},
	"Vocabulary.consentPurposes": {10, "one per consent purpose"},
	"Vocabulary.tieTypes":        {4, "one per tie type"},
	"Vocabulary.actions":         {50, "one per playbook rule"},
	// Computing it reads every member of the segment; priced as such.
	"Segment.cohortRetention": {120, "one per month of first purchase"},
	// Priced on the field returning them, by its bound argument.
	"SocialGraph.nodes":     {1, "at most maxNodes, priced on Query.neighbourhood"},
	"SocialGraph.edges":     {1, "ties among at most maxNodes customers, priced on Query.neighbourhood"},
	"SegmentPreview.sample": {1, "at most sample, priced on Query.previewSegment"},
}

// maxPrice keeps prices far from overflowing when lists nest.
const maxPrice = math.MaxInt32

func price(bound, child int) int {
	bound, child = max(bound, 0), max(child, 0)
	if bound > 0 && child > (maxPrice-1)/bound {
		return maxPrice
	}
	return 1 + bound*child
}

// priceLists installs the price of every list field of the schema in c and returns the
// list fields it could not price (neither a bound argument nor a declared size).
func priceLists(s *ast.Schema, c *graph.ComplexityRoot) (unpriced []string) {
	root := reflect.ValueOf(c).Elem()
	for _, def := range s.Types {
		if def.Kind != ast.Object || strings.HasPrefix(def.Name, "__") {
			continue
		}
		for _, f := range def.Fields {
			coord := def.Name + "." + f.Name
			kind, bound := listBound(s, def, f)
			switch kind {
			case notList, connectionItems:
				continue
			case fixedList:
				fixed, ok := fixedSizeLists[coord]
				if !ok {
					unpriced = append(unpriced, coord)
					continue
				}
				size := fixed.size
				bound = func([]reflect.Value) int { return size }
			}
			fn := complexityFunc(root, def.Name, f.Name)
			if !fn.IsValid() {
				unpriced = append(unpriced, coord+" (no complexity function)")
				continue
			}
			fn.Set(reflect.MakeFunc(fn.Type(), func(in []reflect.Value) []reflect.Value {
				return []reflect.Value{reflect.ValueOf(price(bound(in[1:]), int(in[0].Int())))}
			}))
		}
	}
	priceIngest(s, root)
	sort.Strings(unpriced)
	return unpriced
}

// maxIngestErrors is IngestResult.errors' declared size: a batch's most records.
var maxIngestErrors = fixedSizeLists["IngestResult.errors"].size

// priceIngest prices an ingest mutation's errors by the records it sends, not by the
// largest batch: two records reject at most two. The walk prices IngestResult.errors at
// its declared size, so the mutation's child complexity is s + 1 + maxIngestErrors*e (s its
// scalar fields, fewer than maxIngestErrors even with every alias allowed, e one error's
// fields); the mutation costs s + 1 + n*e for n records.
func priceIngest(s *ast.Schema, root reflect.Value) {
	mutation := s.Mutation
	if mutation == nil {
		return
	}
	for _, f := range mutation.Fields {
		records := -1
		for i, a := range f.Arguments {
			if a.Name == "records" && a.Type.Elem != nil {
				records = i
			}
		}
		if records < 0 || f.Type.Name() != "IngestResult" {
			continue
		}
		fn := complexityFunc(root, mutation.Name, f.Name)
		if !fn.IsValid() {
			continue
		}
		fn.Set(reflect.MakeFunc(fn.Type(), func(in []reflect.Value) []reflect.Value {
			child := int(in[0].Int())
			n := min(in[1+records].Len(), maxIngestErrors)
			perError, scalars := 0, child
			if child > maxIngestErrors {
				perError, scalars = (child-1)/maxIngestErrors, (child-1)%maxIngestErrors+1
			}
			return []reflect.Value{reflect.ValueOf(1 + scalars + n*perError)}
		}))
	}
}

type listKind int

const (
	notList         listKind = iota
	connectionItems          // a connection's edges or nodes: priced on the field returning it
	boundedList              // bounded by an argument
	fixedList                // no bound argument: must be declared in fixedSizeLists
)

// listBound classifies f and, for a bounded list, reads the bound from the complexity
// function's arguments (those after childComplexity, in schema order). A field returning
// a connection is a list, and so is one with a bound argument (neighbourhood's maxNodes
// bounds the lists inside the graph it returns).
func listBound(s *ast.Schema, def *ast.Definition, f *ast.FieldDefinition) (listKind, func([]reflect.Value) int) {
	for i, a := range f.Arguments {
		if extra, ok := boundArgs[a.Name]; ok && a.Type.NonNull && a.Type.Name() == "Int" {
			return boundedList, func(in []reflect.Value) int { return int(in[i].Int()) + extra }
		}
	}
	named := s.Types[f.Type.Name()]
	isConnection := f.Type.Elem == nil && named != nil && strings.HasSuffix(named.Name, "Connection")
	switch {
	case f.Type.Elem == nil && !isConnection:
		return notList, nil
	case strings.HasSuffix(def.Name, "Connection"):
		return connectionItems, nil
	}
	return fixedList, nil
}

// goFieldNames are the list fields gqlgen.yml renames (fieldName), whose complexity
// functions carry the Go name.
var goFieldNames = map[string]string{
	"Behaviour.favouriteCategories": "Categories",
	"Behaviour.channelMix":          "Channels",
}

// complexityFunc is ComplexityRoot.<Type>.<Field>, matched case-insensitively as gqlgen
// names them (CustomerID for customerId); invalid if gqlgen made none.
func complexityFunc(root reflect.Value, typ, field string) reflect.Value {
	t := fieldFold(root, typ)
	if !t.IsValid() || t.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	if name, ok := goFieldNames[typ+"."+field]; ok {
		field = name
	}
	return fieldFold(t, field)
}

func fieldFold(v reflect.Value, name string) reflect.Value {
	for i := 0; i < v.NumField(); i++ {
		if strings.EqualFold(v.Type().Field(i).Name, name) {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}

// mustPriceLists is priceLists for the server: an unpriced list is a programming error.
func mustPriceLists(s *ast.Schema, c *graph.ComplexityRoot) {
	if unpriced := priceLists(s, c); len(unpriced) > 0 {
		panic(fmt.Sprintf("http: list fields without a bound: %s (give them a first argument or declare them in fixedSizeLists)", strings.Join(unpriced, ", ")))
	}
}
