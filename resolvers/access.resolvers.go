package resolvers

import (
	"context"
	"strings"

	"github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/graph"
	"github.com/cdpgraph/cdpgraph/graph/model"
)

func (r *apiKeyResolver) Role(ctx context.Context, obj *cdpgraph.APIKey) (model.Role, error) {
	return roleOf(obj.Role), nil
}

func (r *auditEntryResolver) Role(ctx context.Context, obj *cdpgraph.AuditEntry) (model.Role, error) {
	return roleOf(obj.Role), nil
}

func (r *mutationResolver) CreateAPIKey(ctx context.Context, input model.APIKeyInput) (*model.CreatedAPIKey, error) {
	secret, key, err := r.Keys.Create(ctx, auth.KeySpec{Name: input.Name, Role: cdpgraph.Role(strings.ToLower(string(input.Role))),
		Partner: deref(input.Partner), Sources: input.Sources, PII: input.Pii}, cdpgraph.PrincipalFrom(ctx).Subject)
	if err != nil {
		return nil, err
	}
	return &model.CreatedAPIKey{Secret: secret, Key: key}, nil
}

func (r *mutationResolver) RevokeAPIKey(ctx context.Context, id string) (*cdpgraph.APIKey, error) {
	return r.Keys.Revoke(ctx, id)
}

func (r *queryResolver) Viewer(ctx context.Context) (*model.Viewer, error) {
	p := cdpgraph.PrincipalFrom(ctx)
	return &model.Viewer{Role: roleOf(p.Role), Subject: p.Subject, Partner: optional(p.Partner), Sources: nonNil(p.Sources),
		RawPersonalData: p.RawPII()}, nil
}

func (r *queryResolver) APIKeys(ctx context.Context) ([]*cdpgraph.APIKey, error) {
	return r.Keys.List(ctx)
}

func (r *queryResolver) AuditLog(ctx context.Context, filter *cdpgraph.AuditFilter, first int, after *string) (*model.AuditEntryConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Audit.AuditLog(ctx, deref(filter), page)
	if err != nil {
		return nil, err
	}
	c := &model.AuditEntryConnection{}
	c.Edges, c.Nodes, c.PageInfo, c.TotalCount = connection(p, func(cur string, n *cdpgraph.AuditEntry) *model.AuditEntryEdge {
		return &model.AuditEntryEdge{Cursor: cur, Node: n}
	})
	return c, nil
}

func (r *Resolver) ApiKey() graph.ApiKeyResolver { return &apiKeyResolver{r} }

func (r *Resolver) AuditEntry() graph.AuditEntryResolver { return &auditEntryResolver{r} }

type (
	apiKeyResolver     struct{ *Resolver }
	auditEntryResolver struct{ *Resolver }
)
