package neo4j

import (
	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
)

// Cluster quality is kept on the customer whenever resolution recomputes its records, so
// that sorting by it (clusterDoubt, indexed with the id) reads an index in order instead of
// measuring every customer per request.

// qualityProps are the customer properties that keep a cluster's quality, written with the
// golden record (resolveWriteGolden); a customer of one record has no doubt (null), so it
// sorts with the customers that have no key.
func qualityProps(q identity.Quality) map[string]any {
	row := map[string]any{"clusterLinks": int64(q.Links), "clusterDoubt": nil, "weakestLinkProbability": nil,
		"weakestFrom": nil, "weakestTo": nil, "weakestKind": nil,
		"articulationCount": int64(len(q.Articulation)), "articulation": toAny(q.Articulation[:min(len(q.Articulation), cdp.MaxQualityItems)]),
		"bridgeCount": int64(len(q.Bridges))}
	if w := q.WeakestLink; w != nil {
		p := q.WeakestProbability()
		row["clusterDoubt"], row["weakestLinkProbability"] = 1-p, p
		row["weakestFrom"], row["weakestTo"], row["weakestKind"] = w.A, w.B, recordLinkKind(w.Kind)
	}
	from, to, kind, prob := []any{}, []any{}, []any{}, []any{}
	for _, b := range q.Bridges[:min(len(q.Bridges), cdp.MaxQualityItems)] {
		from, to, kind = append(from, b.A), append(to, b.B), append(kind, recordLinkKind(b.Kind))
		prob = append(prob, identity.LinkProbability(b))
	}
	row["bridgeFrom"], row["bridgeTo"], row["bridgeKind"], row["bridgeProbability"] = from, to, kind, prob
	return row
}

// recordLinkKind names a clustering link as RecordLink names it.
func recordLinkKind(kind string) string {
	switch kind {
	case identity.LinkMatch:
		return cdp.LinkMatched
	case identity.LinkManual:
		return cdp.LinkSamePerson
	}
	return kind // shared_identifier
}

// qualityFromProps reads the quality a resolution kept on a customer; nil before one did.
func qualityFromProps(p map[string]any) *cdp.ClusterQuality {
	links, ok := p["clusterLinks"].(int64)
	if !ok {
		return nil
	}
	q := &cdp.ClusterQuality{Links: int(links), ArticulationRecords: toStrings(p["articulation"])}
	if n, ok := p["recordCount"].(int64); ok {
		q.Records = int(n)
	}
	if n, ok := p["articulationCount"].(int64); ok {
		q.ArticulationCount = int(n)
	}
	if n, ok := p["bridgeCount"].(int64); ok {
		q.BridgeCount = int(n)
	}
	if w, ok := p["weakestLinkProbability"].(float64); ok {
		q.WeakestLinkProbability = &w
		q.WeakestLink = qualityLink(str(p["weakestFrom"]), str(p["weakestTo"]), str(p["weakestKind"]), w)
	}
	from, to, kind := toStrings(p["bridgeFrom"]), toStrings(p["bridgeTo"]), toStrings(p["bridgeKind"])
	prob, _ := p["bridgeProbability"].([]any)
	for i := range from {
		if i >= len(to) || i >= len(kind) || i >= len(prob) {
			break
		}
		pr, _ := prob[i].(float64)
		q.BridgeLinks = append(q.BridgeLinks, *qualityLink(from[i], to[i], kind[i], pr))
	}
	return q
}

func qualityLink(from, to, kind string, p float64) *cdp.RecordLink {
	l := &cdp.RecordLink{From: from, To: to, Kind: kind}
	if kind == cdp.LinkMatched {
		l.Probability = &p
	}
	return l
}
