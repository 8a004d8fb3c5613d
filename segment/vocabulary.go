package segment

import (
	"context"
	"slices"
	"sync"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
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
		RFMSegments:   nonNilOrNil(s.RFMSegments),
		ChurnBands:    ChurnBandNames(),
		ScoreFields:   ScoreFields(),
		ProfileFields: ProfileFields(),
		ProfileOps:    slices.Clone(ProfileOps),
		TieTypes:      slices.Clone(cdp.SocialTieTypes),
		Actions:       nonNil(s.Actions),
	}
	if v.RFMSegments == nil {
		v.RFMSegments = slices.Clone(s.rfmNames())
	}
	for _, t := range cdp.IdentifierTypes {
		v.IdentifierTypes = append(v.IdentifierTypes, string(t))
	}
	if s.Values == nil {
		return nil, &cdp.Error{Code: cdp.EUNAVAILABLE, Message: "the data's vocabulary cannot be read"}
	}
	held, err := s.heldValues(ctx)
	if err != nil {
		return nil, err
	}
	v.Categories, v.EventTypes, v.Sources, v.ConsentPurposes = nonNil(held[0]), nonNil(held[1]), nonNil(held[2]), nonNil(held[3])
	return v, nil
}

// heldValuesTTL bounds how stale the data-held lists may be. Reading them scans the
// categories and sources indexes (about a second on a few hundred thousand records), and
// they change only when a new source or category arrives; they only say what to offer,
// never what validation accepts. So an older answer is served at once while one caller's
// request reads them again in the background.
const heldValuesTTL = time.Minute

type heldValues struct {
	mu         sync.Mutex
	at         time.Time
	values     [4][]string // categories, event types, sources, consent purposes
	refreshing bool
}

func (s *Service) heldValues(ctx context.Context) ([4][]string, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	s.held.mu.Lock()
	if !s.held.at.IsZero() {
		v := s.held.values
		if now().Sub(s.held.at) >= heldValuesTTL && !s.held.refreshing {
			s.held.refreshing = true
			go func() {
				// Detached from the request: the answer outlives it.
				ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
				defer cancel()
				fresh, err := s.readHeldValues(ctx)
				s.held.mu.Lock()
				defer s.held.mu.Unlock()
				s.held.refreshing = false
				if err == nil {
					s.held.values, s.held.at = fresh, now()
				}
			}()
		}
		s.held.mu.Unlock()
		return v, nil
	}
	s.held.mu.Unlock()
	v, err := s.readHeldValues(ctx)
	if err != nil {
		return v, err
	}
	s.held.mu.Lock()
	s.held.values, s.held.at = v, now()
	s.held.mu.Unlock()
	return v, nil
}

func (s *Service) readHeldValues(ctx context.Context) ([4][]string, error) {
	var v [4][]string
	var err error
	if v[0], v[1], v[2], v[3], err = s.Values.DataVocabulary(ctx); err != nil {
		return v, err
	}
	for i := range v {
		v[i] = nonNil(v[i])
		slices.Sort(v[i])
		v[i] = slices.Compact(v[i])
	}
	return v, nil
}

func nonNilOrNil(xs []string) []string {
	if xs == nil {
		return nil
	}
	return slices.Clone(xs)
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return slices.Clone(xs)
}
