package baseline

// Raw holds the raw baseline's statement per workload: one statement per request,
// returning exactly the fields the GraphQL documents of bench/compare select. W1–W4 are the
// statements of the side-by-side harness that issue 15's figures come from.
var Raw = map[string]string{
	"w1": rawW1, "w2": rawW2, "w3": rawW3, "w4": rawW4, "w5": rawW5, "w6": rawW6, "w7": rawW7,
}

// identifiersOf is the distinct identifiers of customer c, by type then value.
const identifiersOf = `
  MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)-[:HAS_IDENTIFIER]->(i:Identifier)
  WITH DISTINCT i ORDER BY i.type, i.value
  RETURN collect({type: i.type, value: i.value}) AS identifiers`

const rawW1 = `
MATCH (c:Customer {id: $id})
CALL (c) {` + identifiersOf + `
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:PLACED_BY]-(o:Order)
  RETURN count(o) AS orderCount
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:PLACED_BY]-(o:Order)
  WITH o ORDER BY o.orderedAt DESC, o.key DESC LIMIT 10
  CALL (o) {
    MATCH (o)-[l:CONTAINS]->(p:Product)
    WITH l, p ORDER BY l.line
    RETURN collect({line: l.line, quantity: l.quantity, unitPrice: l.unitPrice, lineTotal: l.lineTotal,
                    sku: p.sku, name: p.name, category: p.category}) AS items
  }
  RETURN collect(o {.source, .sourceId, .orderedAt, .status, .channel, .storeId, .total, .currency, items: items}) AS orders
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:BY]-(e:Event)
  WITH e ORDER BY e.occurredAt DESC, e.key DESC LIMIT 20
  RETURN collect(e {.source, .sourceId, .type, .occurredAt, .channel, .sku, .query, .url, .sessionId}) AS events
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:GIVEN_BY]-(f:Feedback)
  WITH f ORDER BY f.createdAt DESC, f.key DESC LIMIT 10
  RETURN collect(f {.source, .sourceId, .kind, .createdAt, .channel, .rating, .text, .status, .sku}) AS feedback
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:CONSENT_OF]-(k:Consent)
  WITH k ORDER BY k.occurredAt DESC, k.key
  RETURN collect(k {.purpose, .granted, .occurredAt, .source, .sourceId}) AS consents
}
RETURN c {.id, .givenName, .familyName, .fullName, .email, .phone, .birthDate, .gender, .addressLine1,
          .addressLine2, .city, .region, .postcode, .country, .createdAt, .updatedAt} AS customer,
       identifiers, orderCount, orders, events, feedback, consents`

const rawW2 = `
MATCH (c:Customer) WHERE c.createdAt IS NOT NULL
WITH c ORDER BY c.createdAt ASC, c.id ASC LIMIT 50
CALL (c) {` + identifiersOf + `
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:PLACED_BY]-(o:Order)
  RETURN count(o) AS orderCount
}
RETURN c.id AS id, c.fullName AS fullName, c.city AS city, identifiers, orderCount`

const rawW3 = `
MATCH (c:Customer) WHERE c.city = $city
WITH collect(c) AS cs
CALL (cs) {
  UNWIND cs AS c
  WITH c ORDER BY c.createdAt DESC, c.id DESC LIMIT 20
  RETURN collect(c {.id, .fullName, .city}) AS nodes
}
RETURN size(cs) AS total, nodes`

const rawW4 = `
MATCH (c:Customer) WHERE c.churnBand IS NOT NULL
RETURN c.churnBand AS band, count(*) AS customers, toFloat(sum(c.revenue)) AS revenue
ORDER BY band`

// rawW5 looks a customer up by a normalized identifier (the Identifier(type, value)
// index) and returns the profile, the latest scores and the consent decision in force per
// purpose: the newest, of two at the same time the one with the smaller key (the order
// cdpgraph reads a consent history in), among the purposes cdpgraph reports ($purposes).
const rawW5 = `
MATCH (:Identifier {type: $type, value: $value})<-[:HAS_IDENTIFIER]-(:SourceRecord)-[:RESOLVES_TO]->(c:Customer)
WITH DISTINCT c
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:CONSENT_OF]-(k:Consent) WHERE k.purpose IN $purposes
  WITH k ORDER BY k.occurredAt DESC, k.key
  WITH k.purpose AS purpose, collect(k)[0] AS k
  RETURN collect(k {.purpose, .granted, .occurredAt}) AS consents
}
RETURN c {.id, .fullName, .email, .phone, .city, .country, .churnBand, .churnRisk, .clv} AS customer, consents`

// rawW6 is the 20 most influential customers (cdpgraph's order: score, then id, both
// descending) with their identifiers and the first 10 customers each referred (by id) with
// theirs.
const rawW6 = `
MATCH (c:Customer) WHERE c.influenceScore IS NOT NULL
WITH c ORDER BY c.influenceScore DESC, c.id DESC LIMIT 20
CALL (c) {` + identifiersOf + `
}
CALL (c) {
  MATCH (r:Customer {referredBy: c.id})
  WITH r ORDER BY r.id LIMIT 10
  CALL (r) {
    MATCH (r)<-[:RESOLVES_TO]-(:SourceRecord)-[:HAS_IDENTIFIER]->(i:Identifier)
    WITH DISTINCT i ORDER BY i.type, i.value
    RETURN collect({type: i.type, value: i.value}) AS identifiers
  }
  RETURN collect(r {.id, .fullName, identifiers: identifiers}) AS referrals
}
RETURN c {.id, .fullName, .influenceScore, .influenceRank, .referred} AS customer, identifiers, referrals`

// rawW7 is one page of a saved segment's members, by customer id (cdpgraph's order), with
// the segment's member count.
const rawW7 = `
MATCH (s:Segment {id: $id})
CALL (s) {
  MATCH (s)<-[:IN_SEGMENT]-(c:Customer)
  RETURN count(c) AS total
}
CALL (s) {
  MATCH (s)<-[:IN_SEGMENT]-(c:Customer)
  WITH c ORDER BY c.id LIMIT 50
  RETURN collect(c {.id, .fullName, .city, .churnBand, .clv}) AS nodes
}
RETURN s.members AS memberCount, total, nodes`

// The truth: simple counting statements that share nothing with the three systems' own,
// run before each round.

// TruthCustomerIDs is every customer id, to sample W1's customers from.
const TruthCustomerIDs = `MATCH (c:Customer) RETURN c.id AS id ORDER BY id`

// TruthW1 is, per sampled customer ($ids), the counts W1's answers are checked by (lists
// capped as the request caps them).
const TruthW1 = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  OPTIONAL MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)-[:HAS_IDENTIFIER]->(i:Identifier)
  RETURN count(DISTINCT i) AS idents
}
CALL (c) {
  OPTIONAL MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:PLACED_BY]-(o:Order)
  RETURN count(o) AS orders
}
CALL (c) {
  OPTIONAL MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:PLACED_BY]-(o:Order)
  WITH o WHERE o IS NOT NULL ORDER BY o.orderedAt DESC, o.key DESC LIMIT 10
  RETURN collect(o.key + '#' + toString(COUNT { (o)-[:CONTAINS]->() })) AS top
}
CALL (c) { OPTIONAL MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:BY]-(e:Event) RETURN count(e) AS events }
CALL (c) { OPTIONAL MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:GIVEN_BY]-(f:Feedback) RETURN count(f) AS feedback }
CALL (c) { OPTIONAL MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:CONSENT_OF]-(k:Consent) RETURN count(k) AS consents }
RETURN id, idents, orders, top, CASE WHEN events > 20 THEN 20 ELSE events END AS events,
       CASE WHEN feedback > 10 THEN 10 ELSE feedback END AS feedback,
       CASE WHEN consents > 100 THEN 100 ELSE consents END AS consents`

// TruthW2 is the first 50 customers by createdAt then id, with their counts.
const TruthW2 = `
MATCH (c:Customer) WITH c ORDER BY c.createdAt ASC, c.id ASC LIMIT 50
RETURN c.id AS id,
       COUNT { MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)-[:HAS_IDENTIFIER]->(i:Identifier) RETURN DISTINCT i } AS idents,
       COUNT { (c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:PLACED_BY]-(:Order) } AS orders`

// TruthW3 is, per city, the number of customers and the newest 20.
const TruthW3 = `
MATCH (c:Customer) WHERE c.city IS NOT NULL
WITH c.city AS city, c ORDER BY c.createdAt DESC, c.id DESC
WITH city, collect(c.id) AS ids
RETURN city, size(ids) AS total, ids[0..20] AS first ORDER BY city`

// TruthW4 is the scored customers per churn band.
const TruthW4 = `MATCH (c:Customer) WHERE c.churnBand IS NOT NULL RETURN c.churnBand AS band, count(*) AS customers`

// TruthIdentifiers is every email and phone identifier that exactly one customer holds
// (an identifier several customers share is a conflict in cdpgraph, not a lookup).
const TruthIdentifiers = `
MATCH (i:Identifier) WHERE i.type IN ['email', 'phone']
  AND COUNT { MATCH (i)<-[:HAS_IDENTIFIER]-(:SourceRecord)-[:RESOLVES_TO]->(c:Customer) RETURN DISTINCT c } = 1
RETURN i.type AS type, i.value AS value ORDER BY i.key`

// TruthW5 is, per identifier key ($keys), its customer's fields and whole consent history;
// the decision in force is picked in Go.
const TruthW5 = `
UNWIND $keys AS key
MATCH (:Identifier {key: key})<-[:HAS_IDENTIFIER]-(:SourceRecord)-[:RESOLVES_TO]->(c:Customer)
WITH DISTINCT key, c
RETURN key, c.id AS id, c.email AS email, c.phone AS phone, c.churnBand AS band, c.churnRisk AS risk, c.clv AS clv,
       [(c)<-[:RESOLVES_TO]-(:SourceRecord)<-[:CONSENT_OF]-(k:Consent) | [k.purpose, k.granted, k.occurredAt, k.key]] AS history`

// TruthW6 is the 20 most influential customers with their counts and the ids of the first
// 10 customers each referred, with theirs.
const TruthW6 = `
MATCH (c:Customer) WHERE c.influenceScore IS NOT NULL
WITH c ORDER BY c.influenceScore DESC, c.id DESC LIMIT 20
RETURN c.id AS id,
       COUNT { MATCH (c)<-[:RESOLVES_TO]-(:SourceRecord)-[:HAS_IDENTIFIER]->(i:Identifier) RETURN DISTINCT i } AS idents,
       c.referred AS referred,
       COLLECT { MATCH (r:Customer) WHERE r.referredBy = c.id
                 WITH r ORDER BY r.id LIMIT 10
                 RETURN r.id + ':' + toString(COUNT { MATCH (r)<-[:RESOLVES_TO]-(:SourceRecord)-[:HAS_IDENTIFIER]->(i:Identifier) RETURN DISTINCT i }) } AS referrals`

// TruthW7 is, per saved segment, its member count and the first 50 members by id with
// their churn bands.
const TruthW7 = `
MATCH (s:Segment)
OPTIONAL MATCH (s)<-[:IN_SEGMENT]-(c:Customer)
WITH s, c ORDER BY c.id
WITH s, collect(c.id + ':' + coalesce(c.churnBand, '')) AS members
RETURN s.id AS id, size(members) AS total, members[0..50] AS first ORDER BY id`
