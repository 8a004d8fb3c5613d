package neo4j

import (
	"context"
	"fmt"
)

// schemaStatements create every constraint and index the stores rely on. Each is
// idempotent (IF NOT EXISTS), so Migrate runs on every start. docs/graph-model.md lists them.
var schemaStatements = []string{
	// Keys: every node that a source can send again is merged by a unique key.
	"CREATE CONSTRAINT source_record_key IF NOT EXISTS FOR (n:SourceRecord) REQUIRE n.key IS UNIQUE",
	"CREATE CONSTRAINT identifier_key IF NOT EXISTS FOR (n:Identifier) REQUIRE n.key IS UNIQUE",
	"CREATE CONSTRAINT customer_id IF NOT EXISTS FOR (n:Customer) REQUIRE n.id IS UNIQUE",
	// The ids of customers merged away, each pointing at its survivor (resolve.go).
	"CREATE CONSTRAINT customer_alias_id IF NOT EXISTS FOR (n:CustomerAlias) REQUIRE n.id IS UNIQUE",
	"CREATE CONSTRAINT order_key IF NOT EXISTS FOR (n:Order) REQUIRE n.key IS UNIQUE",
	"CREATE CONSTRAINT product_sku IF NOT EXISTS FOR (n:Product) REQUIRE n.sku IS UNIQUE",
	"CREATE CONSTRAINT event_key IF NOT EXISTS FOR (n:Event) REQUIRE n.key IS UNIQUE",
	"CREATE CONSTRAINT feedback_key IF NOT EXISTS FOR (n:Feedback) REQUIRE n.key IS UNIQUE",
	"CREATE CONSTRAINT consent_key IF NOT EXISTS FOR (n:Consent) REQUIRE n.key IS UNIQUE",
	"CREATE CONSTRAINT identity_event_id IF NOT EXISTS FOR (n:IdentityEvent) REQUIRE n.id IS UNIQUE",
	"CREATE INDEX identifier_flagged IF NOT EXISTS FOR (n:Identifier) ON (n.flagged)",
	"CREATE CONSTRAINT match_model_name IF NOT EXISTS FOR (n:MatchModel) REQUIRE n.name IS UNIQUE",
	"CREATE CONSTRAINT block_key IF NOT EXISTS FOR (n:BlockKey) REQUIRE n.key IS UNIQUE",
	"CREATE CONSTRAINT household_key IF NOT EXISTS FOR (n:Household) REQUIRE n.key IS UNIQUE",
	"CREATE CONSTRAINT dataset_load_name IF NOT EXISTS FOR (n:DatasetLoad) REQUIRE n.name IS UNIQUE",
	// Lookups and sort keys of the read path.
	"CREATE INDEX source_record_source IF NOT EXISTS FOR (n:SourceRecord) ON (n.source)",
	"CREATE INDEX identifier_type_value IF NOT EXISTS FOR (n:Identifier) ON (n.type, n.value)",
	"CREATE INDEX customer_created_at IF NOT EXISTS FOR (n:Customer) ON (n.createdAt)",
	"CREATE INDEX customer_updated_at IF NOT EXISTS FOR (n:Customer) ON (n.updatedAt)",
	"CREATE INDEX customer_family_name IF NOT EXISTS FOR (n:Customer) ON (n.familyName)",
	"CREATE INDEX customer_country_city IF NOT EXISTS FOR (n:Customer) ON (n.country, n.city)",
	"CREATE INDEX customer_email IF NOT EXISTS FOR (n:Customer) ON (n.email)",
	"CREATE INDEX customer_phone IF NOT EXISTS FOR (n:Customer) ON (n.phone)",
	"CREATE TEXT INDEX customer_search_name IF NOT EXISTS FOR (n:Customer) ON (n.searchName)",
	"CREATE INDEX order_ordered_at IF NOT EXISTS FOR (n:Order) ON (n.orderedAt)",
	"CREATE INDEX event_occurred_at IF NOT EXISTS FOR (n:Event) ON (n.occurredAt)",
	// Segments start "had such events in the window" from the events of the type, and the
	// consent in force from the decisions about the purpose.
	"CREATE INDEX event_type_occurred_at IF NOT EXISTS FOR (n:Event) ON (n.type, n.occurredAt)",
	"CREATE INDEX consent_purpose IF NOT EXISTS FOR (n:Consent) ON (n.purpose)",
	"CREATE INDEX feedback_created_at IF NOT EXISTS FOR (n:Feedback) ON (n.createdAt)",
	"CREATE INDEX product_category IF NOT EXISTS FOR (n:Product) ON (n.category)",
	// Customer listings (customer_list.go): a (sort key, id) index per sort order gives a
	// page in order, ties included, so a page reads first+1 entries; city and country for
	// their filters and counts ((country, city) serves only both), and (city, createdAt, id)
	// for a city's newest customers.
	"CREATE INDEX customer_created_at_id IF NOT EXISTS FOR (n:Customer) ON (n.createdAt, n.id)",
	"CREATE INDEX customer_updated_at_id IF NOT EXISTS FOR (n:Customer) ON (n.updatedAt, n.id)",
	"CREATE INDEX customer_family_name_id IF NOT EXISTS FOR (n:Customer) ON (n.familyName, n.id)",
	"CREATE INDEX customer_churn_risk_id IF NOT EXISTS FOR (n:Customer) ON (n.churnRisk, n.id)",
	"CREATE INDEX customer_clv_id IF NOT EXISTS FOR (n:Customer) ON (n.clv, n.id)",
	"CREATE INDEX customer_p_alive_id IF NOT EXISTS FOR (n:Customer) ON (n.pAlive, n.id)",
	"CREATE INDEX customer_loyalty_id IF NOT EXISTS FOR (n:Customer) ON (n.loyalty, n.id)",
	"CREATE INDEX customer_revenue_id IF NOT EXISTS FOR (n:Customer) ON (n.revenue, n.id)",
	"CREATE INDEX customer_influence_score_id IF NOT EXISTS FOR (n:Customer) ON (n.influenceScore, n.id)",
	"CREATE INDEX customer_reach2_id IF NOT EXISTS FOR (n:Customer) ON (n.reach2, n.id)",
	"CREATE INDEX customer_downstream_revenue_id IF NOT EXISTS FOR (n:Customer) ON (n.downstreamRevenue, n.id)",
	"CREATE INDEX customer_cluster_doubt_id IF NOT EXISTS FOR (n:Customer) ON (n.clusterDoubt, n.id)",
	"CREATE INDEX customer_city IF NOT EXISTS FOR (n:Customer) ON (n.city)",
	"CREATE INDEX customer_country IF NOT EXISTS FOR (n:Customer) ON (n.country)",
	"CREATE INDEX customer_city_created_at_id IF NOT EXISTS FOR (n:Customer) ON (n.city, n.createdAt, n.id)",
	// Scores: the incremental scorer finds new activity by arrival time; listings sort
	// and filter on the latest scores; snapshots are keyed by customer and date.
	"CREATE INDEX order_ingested_at IF NOT EXISTS FOR (n:Order) ON (n.ingestedAt)",
	"CREATE INDEX event_ingested_at IF NOT EXISTS FOR (n:Event) ON (n.ingestedAt)",
	"CREATE INDEX feedback_ingested_at IF NOT EXISTS FOR (n:Feedback) ON (n.ingestedAt)",
	"CREATE CONSTRAINT score_model_version IF NOT EXISTS FOR (n:ScoreModel) REQUIRE n.version IS UNIQUE",
	"CREATE INDEX score_model_computed_at IF NOT EXISTS FOR (n:ScoreModel) ON (n.computedAt)",
	"CREATE CONSTRAINT score_snapshot_key IF NOT EXISTS FOR (n:ScoreSnapshot) REQUIRE n.key IS UNIQUE",
	"CREATE INDEX customer_churn_risk IF NOT EXISTS FOR (n:Customer) ON (n.churnRisk)",
	"CREATE INDEX customer_churn_band IF NOT EXISTS FOR (n:Customer) ON (n.churnBand)",
	"CREATE INDEX customer_clv IF NOT EXISTS FOR (n:Customer) ON (n.clv)",
	"CREATE INDEX customer_p_alive IF NOT EXISTS FOR (n:Customer) ON (n.pAlive)",
	"CREATE INDEX customer_loyalty IF NOT EXISTS FOR (n:Customer) ON (n.loyalty)",
	"CREATE INDEX customer_revenue IF NOT EXISTS FOR (n:Customer) ON (n.revenue)",
	"CREATE INDEX customer_rfm IF NOT EXISTS FOR (n:Customer) ON (n.rfmR, n.rfmF)",
	"CREATE INDEX customer_rfm_segment IF NOT EXISTS FOR (n:Customer) ON (n.rfmSegment)",
	// Influence: ranking, clearing stale results, community membership.
	"CREATE INDEX customer_influence_score IF NOT EXISTS FOR (n:Customer) ON (n.influenceScore)",
	"CREATE INDEX customer_influence_at IF NOT EXISTS FOR (n:Customer) ON (n.influenceAt)",
	"CREATE INDEX customer_community IF NOT EXISTS FOR (n:Customer) ON (n.community)",
	"CREATE INDEX customer_referred_by IF NOT EXISTS FOR (n:Customer) ON (n.referredBy)",
	"CREATE CONSTRAINT suppression_hash IF NOT EXISTS FOR (n:Suppression) REQUIRE n.hash IS UNIQUE",
	"CREATE CONSTRAINT secret_name IF NOT EXISTS FOR (n:Secret) REQUIRE n.name IS UNIQUE",
	"CREATE INDEX segment_change_customer IF NOT EXISTS FOR (n:SegmentChange) ON (n.customerId)",
	"CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE",
	"CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.hash IS UNIQUE",
	"CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.id IS UNIQUE",
	"CREATE INDEX audit_entry_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at)",
	"CREATE CONSTRAINT action_id IF NOT EXISTS FOR (n:Action) REQUIRE n.id IS UNIQUE",
	"CREATE INDEX action_created_at IF NOT EXISTS FOR (n:Action) ON (n.createdAt)",
	"CREATE CONSTRAINT segment_id IF NOT EXISTS FOR (n:Segment) REQUIRE n.id IS UNIQUE",
	"CREATE INDEX segment_name IF NOT EXISTS FOR (n:Segment) ON (n.name)",
	"CREATE INDEX segment_change IF NOT EXISTS FOR (n:SegmentChange) ON (n.segmentId, n.at)",
	"CREATE CONSTRAINT influence_run_name IF NOT EXISTS FOR (n:InfluenceRun) REQUIRE n.name IS UNIQUE",
	"CREATE INDEX follows_ingested_at IF NOT EXISTS FOR ()-[t:FOLLOWS]-() ON (t.ingestedAt)",
	"CREATE INDEX referred_ingested_at IF NOT EXISTS FOR ()-[t:REFERRED]-() ON (t.ingestedAt)",
	"CREATE INDEX shared_ingested_at IF NOT EXISTS FOR ()-[t:SHARED]-() ON (t.ingestedAt)",
	"CREATE INDEX mentioned_ingested_at IF NOT EXISTS FOR ()-[t:MENTIONED]-() ON (t.ingestedAt)",
	// Derived values (the hops to a detractor): when they were computed, and writes since
	// that may have changed them.
	"CREATE CONSTRAINT derived_state_name IF NOT EXISTS FOR (n:DerivedState) REQUIRE n.name IS UNIQUE",
	"CREATE INDEX derived_change_name IF NOT EXISTS FOR (n:DerivedChange) ON (n.name)",
	// The aggregates over all customers read every value they add up from one index scan,
	// without touching the nodes (analytics.go).
	"CREATE INDEX customer_churn_aggregate IF NOT EXISTS FOR (n:Customer) ON (n.churnBand, n.churnRisk, n.revenue)",
	"CREATE INDEX customer_rfm_aggregate IF NOT EXISTS FOR (n:Customer) ON (n.rfmR, n.rfmF, n.rfmSegment, n.revenue)",
	"CREATE INDEX customer_clv_aggregate IF NOT EXISTS FOR (n:Customer) ON (n.clv, n.revenue)",
}

// Migrate applies the graph schema and waits until every index is online.
func (db *DB) Migrate(ctx context.Context) error {
	for _, stmt := range schemaStatements {
		if _, err := db.exec(ctx, stmt, nil); err != nil {
			return fmt.Errorf("migrate %q: %w", stmt, err)
		}
	}
	if _, err := db.exec(ctx, "CALL db.awaitIndexes(300)", nil); err != nil {
		return err
	}
	return db.migrateSuppressions(ctx)
}

// SchemaNames returns the names of the constraints and indexes in the database.
func (db *DB) SchemaNames(ctx context.Context) ([]string, error) {
	recs, err := db.read(ctx, "SHOW INDEXES YIELD name RETURN name ORDER BY name", nil)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(recs))
	for _, r := range recs {
		names = append(names, r.Values[0].(string))
	}
	return names, nil
}

// exec runs one auto-commit statement on the leader; schema commands cannot run in
// managed read/write transactions together with data changes.
func (db *DB) exec(ctx context.Context, query string, params map[string]any) (int, error) {
	session := db.driver.NewSession(ctx, sessionConfigWrite(db.database))
	defer session.Close(ctx)
	db.queries.Add(1)
	res, err := session.Run(ctx, query, params)
	if err != nil {
		return 0, db.wrap(err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return 0, db.wrap(err)
	}
	return len(recs), nil
}

// DeleteAllData removes every node and relationship, keeping the schema. It is for tests and
// for `cdpgraph demo --reset`; it deletes in batches so large graphs do not exhaust memory.
func (db *DB) DeleteAllData(ctx context.Context) error {
	_, err := db.exec(ctx, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil)
	db.aggregateWrites.Add(1) // the aggregates' version went with the data
	return err
}

// CountNodes returns the number of nodes with the given label. The label is checked
// against the known ones, never spliced from caller input.
func (db *DB) CountNodes(ctx context.Context, label string) (int, error) {
	q, ok := countQueries[label]
	if !ok {
		return 0, fmt.Errorf("neo4j: unknown label %q", label)
	}
	recs, err := db.read(ctx, q, nil)
	if err != nil {
		return 0, err
	}
	return int(recs[0].Values[0].(int64)), nil
}

// Labels lists every node label the stores write.
var Labels = []string{"SourceRecord", "Identifier", "Customer", "Order", "Product", "Event", "Feedback", "Consent", "IdentityEvent", "Household", "BlockKey", "MatchModel", "DatasetLoad",
	"ScoreModel", "ScoreSnapshot", "InfluenceRun", "Segment", "SegmentChange", "Action", "Suppression", "Secret", "ApiKey", "AuditEntry"}

var countQueries = func() map[string]string {
	m := map[string]string{}
	for _, l := range Labels {
		m[l] = "MATCH (n:" + l + ") RETURN count(n)"
	}
	return m
}()

// MarkLoaded records that a named dataset (the demo company) finished loading, so a
// restart does not load it again and an interrupted load is told apart from a finished one.
func (db *DB) MarkLoaded(ctx context.Context, name string, props map[string]any) error {
	_, err := db.exec(ctx, "MERGE (d:DatasetLoad {name: $name}) SET d += coalesce($props, {}), d.completedAt = $now",
		map[string]any{"name": name, "props": props, "now": db.Now().UTC()})
	return err
}

// Loaded reports whether a named dataset finished loading.
func (db *DB) Loaded(ctx context.Context, name string) (bool, error) {
	recs, err := db.read(ctx, "MATCH (d:DatasetLoad {name: $name}) RETURN count(d)", map[string]any{"name": name})
	if err != nil {
		return false, err
	}
	return recs[0].Values[0].(int64) > 0, nil
}
