package segment

import (
	"context"
	"slices"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/churn"
	"github.com/cdpgraph/cdpgraph/analytics/rfm"
)

// Vocabulary is the values a definition (and the customers filter) accepts, each list in
// the spelling Validate takes, so that a client offers them instead of having them typed
// blind. The fixed lists come from the code that checks them; Categories, EventTypes,
// Sources and ConsentPurposes are what the data holds, sorted by name.
type Vocabulary struct {
	RFMSegments     []string
	ChurnBands      []string
	ScoreFields     []string
	ProfileFields   []string
	ProfileOps      []string
	IdentifierTypes []string
	Categories      []string
	EventTypes      []string
	Sources         []string
	ConsentPurposes []string
	TieTypes        []string
	Actions         []string
}

// VocabularyReader reads what the data holds: product categories, and the event types,
// source systems and consent purposes of stored records. Event types and consent purposes
// are looked up among cdp.EventTypes and cdp.ConsentPurposes, the only ones ingest keeps.
type VocabularyReader interface {
	DataVocabulary(ctx context.Context) (categories, eventTypes, sources, consentPurposes []string, err error)
}

// Vocabulary returns the values definitions accept: the fixed lists, the configured RFM
// segment names and playbook actions, and what the data holds (one read).
func (s *Service) Vocabulary(ctx context.Context) (*Vocabulary, error) {
	v := &Vocabulary{
		RFMSegments:   s.RFMSegments,
		ChurnBands:    slices.Clone(churn.BandNames),
		ScoreFields:   ScoreFields(),
		ProfileFields: ProfileFields(),
		ProfileOps:    slices.Clone(ProfileOps),
		TieTypes:      slices.Clone(cdp.SocialTieTypes),
		Actions:       nonNil(s.Actions),
	}
	if v.RFMSegments == nil {
		v.RFMSegments = rfm.DefaultSegmentMap().Names()
	}
	for _, t := range cdp.IdentifierTypes {
		v.IdentifierTypes = append(v.IdentifierTypes, string(t))
	}
	if s.Values == nil {
		return nil, &cdp.Error{Code: cdp.EUNAVAILABLE, Message: "the data's vocabulary cannot be read"}
	}
	var err error
	if v.Categories, v.EventTypes, v.Sources, v.ConsentPurposes, err = s.Values.DataVocabulary(ctx); err != nil {
		return nil, err
	}
	for _, list := range []*[]string{&v.Categories, &v.EventTypes, &v.Sources, &v.ConsentPurposes} {
		*list = nonNil(*list)
		slices.Sort(*list)
		*list = slices.Compact(*list)
	}
	return v, nil
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return slices.Clone(xs)
}
