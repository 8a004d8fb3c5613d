package neo4j

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cdp "github.com/cdpgraph/cdpgraph"
)

// AccessStore keeps API keys (by the hash of their secret) and the audit log.
type AccessStore struct{ db *DB }

// NewAccessStore returns the store of keys and audit entries.
func NewAccessStore(db *DB) *AccessStore { return &AccessStore{db: db} }

// CreateAPIKey stores a new key.
func (s *AccessStore) CreateAPIKey(ctx context.Context, k *cdp.APIKey, hash string) error {
	return s.db.write(ctx, func(tx *tx) error {
		_, err := tx.run(`
CREATE (:ApiKey {id: $id, hash: $hash, name: $name, role: $role, partner: $partner, sources: $sources, pii: $pii,
  createdAt: $createdAt, createdBy: $createdBy})`, map[string]any{"id": k.ID, "hash": hash, "name": k.Name, "role": string(k.Role),
			"partner": k.Partner, "sources": toAny(k.Sources), "pii": k.PII, "createdAt": k.CreatedAt.UTC(), "createdBy": k.CreatedBy})
		return err
	})
}

// APIKeyByHash returns the key with this secret hash, or nil.
func (s *AccessStore) APIKeyByHash(ctx context.Context, hash string) (*cdp.APIKey, error) {
	recs, err := s.db.read(ctx, "MATCH (k:ApiKey {hash: $hash}) RETURN properties(k)", map[string]any{"hash": hash})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return apiKeyFromProps(recs[0].Values[0].(map[string]any)), nil
}

// RevokeAPIKey marks a key revoked, keeping the first revocation time.
func (s *AccessStore) RevokeAPIKey(ctx context.Context, id string, at time.Time) (*cdp.APIKey, error) {
	var key *cdp.APIKey
	err := s.db.write(ctx, func(tx *tx) error {
		recs, err := tx.run(`
MATCH (k:ApiKey {id: $id})
SET k.revokedAt = coalesce(k.revokedAt, $at)
RETURN properties(k)`, map[string]any{"id": id, "at": at.UTC()})
		if err == nil && len(recs) == 1 {
			key = apiKeyFromProps(recs[0].Values[0].(map[string]any))
		}
		return err
	})
	if err == nil && key == nil {
		return nil, cdp.Errorf(cdp.ENOTFOUND, "no API key %s", id)
	}
	return key, err
}

// APIKeys returns every key, newest first.
func (s *AccessStore) APIKeys(ctx context.Context) ([]*cdp.APIKey, error) {
	recs, err := s.db.read(ctx, "MATCH (k:ApiKey) RETURN properties(k) ORDER BY k.createdAt DESC, k.id", nil)
	if err != nil {
		return nil, err
	}
	out := make([]*cdp.APIKey, 0, len(recs))
	for _, r := range recs {
		out = append(out, apiKeyFromProps(r.Values[0].(map[string]any)))
	}
	return out, nil
}

func apiKeyFromProps(p map[string]any) *cdp.APIKey {
	k := &cdp.APIKey{ID: str(p["id"]), Name: str(p["name"]), Role: cdp.Role(str(p["role"])), Partner: str(p["partner"]),
		Sources: toStrings(p["sources"]), CreatedBy: str(p["createdBy"])}
	k.PII, _ = p["pii"].(bool)
	k.CreatedAt, _ = p["createdAt"].(time.Time)
	if t, ok := p["revokedAt"].(time.Time); ok {
		k.RevokedAt = &t
	}
	return k
}

// WriteAudit appends entries to the audit log in one statement.
func (s *AccessStore) WriteAudit(ctx context.Context, entries []cdp.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	rows := make([]any, len(entries))
	for i, e := range entries {
		rows[i] = map[string]any{"id": e.ID, "at": e.At.UTC(), "actor": e.Actor, "role": string(e.Role), "partner": e.Partner,
			"action": e.Action, "customers": toAny(e.Customers), "detail": e.Detail}
	}
	return s.db.write(ctx, func(tx *tx) error {
		_, err := tx.run(`
UNWIND $rows AS r
MERGE (a:AuditEntry {id: r.id})
ON CREATE SET a += r`, map[string]any{"rows": rows})
		return err
	})
}

// auditFilter is the audit log's filter, shared by the count and the page; every value
// is a parameter.
const auditFilter = `($since IS NULL OR a.at >= $since) AND ($actor IS NULL OR a.actor = $actor)
    AND ($action IS NULL OR a.action = $action) AND ($customer IS NULL OR $customer IN a.customers)`

// AuditLog returns audit entries newest first.
func (s *AccessStore) AuditLog(ctx context.Context, f cdp.AuditFilter, page cdp.PageArgs) (*cdp.Page[*cdp.AuditEntry], error) {
	at, key, err := afterTime(page.After)
	if err != nil {
		return nil, err
	}
	params := map[string]any{"actor": nilIfEmpty(f.Actor), "action": nilIfEmpty(f.Action), "customer": nilIfEmpty(f.Customer),
		"since": nil, "afterAt": at, "afterId": key, "limit": page.First + 1}
	if !f.Since.IsZero() {
		params["since"] = f.Since.UTC()
	}
	recs, err := s.db.read(ctx, `
CALL () {
  MATCH (a:AuditEntry) WHERE `+auditFilter+`
  RETURN count(a) AS total
}
MATCH (a:AuditEntry) WHERE `+auditFilter+`
  AND ($afterAt IS NULL OR a.at < $afterAt OR (a.at = $afterAt AND a.id > $afterId))
RETURN properties(a), total ORDER BY a.at DESC, a.id LIMIT $limit`, params)
	if err != nil {
		return nil, err
	}
	out := &cdp.Page[*cdp.AuditEntry]{HasPreviousPage: page.After != "", TotalCount: totalAt(recs, 1)}
	return firstPage(out, recs, page.First, nil, func(r *neo4j.Record) (*cdp.AuditEntry, string) {
		p := r.Values[0].(map[string]any)
		e := &cdp.AuditEntry{ID: str(p["id"]), Actor: str(p["actor"]), Role: cdp.Role(str(p["role"])), Partner: str(p["partner"]),
			Action: str(p["action"]), Customers: toStrings(p["customers"]), Detail: str(p["detail"])}
		e.At, _ = p["at"].(time.Time)
		return e, timeCursor(e.At, e.ID)
	}), nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
