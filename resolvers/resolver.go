// Package resolvers answers GraphQL fields by calling the domain services; each resolver
// is a line or two. Parent→child reads go through the request's loaders.
package resolvers

import (
	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/actions"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/events"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/privacy"
	"github.com/cdpgraph/cdpgraph/recommend"
	"github.com/cdpgraph/cdpgraph/segment"
)

// Resolver holds the services the API uses.
type Resolver struct {
	CustomerReader cdp.CustomerReader
	Identity       cdp.IdentityService
	Ingest         *ingest.Service
	Analytics      cdp.AnalyticsService
	Social         cdp.SocialReader
	SegmentService *segment.Service
	Actions        *actions.Service
	Recommender    *recommend.Service
	Events         *events.Broker
	Privacy        *privacy.Service
	Keys           *auth.Keys
	Audit          cdp.AuditStore
	// Cursors seals page cursors; nil uses a random key for the life of the process.
	Cursors *auth.CursorSealer
}
