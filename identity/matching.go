package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Probabilistic matching links records that share no trusted identifier but agree closely
// on name, birth date, address... The matcher (identity/match) fits Fellegi-Sunter weights
// on the data itself; pairs above the merge probability become matches, which clustering
// treats like any other link (below manual decisions and shared identifiers), and pairs in
// the review band go to an analyst.

// MatchRecord is a source record as the matcher sees it: external ids, compared with
// typos allowed; social handles, which may spell a name; exclusive identifiers (national
// id, passport, tax id), compared as personal ids, a different value evidence against; and the untrusted identifiers the
// rules know (devices, cookies) that are not blocked, evidence but not proof.
func (r Rules) MatchRecord(rec *cdp.SourceRecord) match.Record {
	m := profileMatchRecord(rec)
	for _, id := range rec.Identifiers {
		if !r.addPersonalEvidence(&m, id.Type, id.Value, r.Blocked(id)) &&
			r.Identifiers[id.Type] != nil && !r.Trusts(id.Type) && !r.Blocked(id) {
			m.WeakIDs = append(m.WeakIDs, id.Key())
		}
	}
	sortPersonalIDs(&m)
	return m
}

// matchRecordOfRow is a stored record as the matcher sees it: like MatchRecord, and a weak
// identifier held by more records than its type allows is no evidence either. External ids,
// handles and exclusive identifiers are compared their own way whatever the rules' trust.
func (r Rules) matchRecordOfRow(row MatchRow) match.Record {
	m := profileMatchRecord(row.Record)
	m.ID = row.Key
	for _, id := range row.Identifiers {
		if r.addPersonalEvidence(&m, cdp.IdentifierType(id.Type), id.Value, id.Blocked) {
			continue
		}
		rule := r.Identifiers[cdp.IdentifierType(id.Type)]
		if rule != nil && !rule.Trusted && !id.Blocked && id.Holders <= rule.MaxRecords {
			m.WeakIDs = append(m.WeakIDs, id.Key)
		}
	}
	sortPersonalIDs(&m)
	return m
}

func profileMatchRecord(r *cdp.SourceRecord) match.Record {
	p := r.Profile
	m := match.Record{
		ID: r.Key(), Source: r.Source, GivenName: p.GivenName, FamilyName: p.FamilyName, FullName: p.FullName,
		BirthDate: p.BirthDate, Gender: p.Gender, AddressLine1: p.AddressLine1, AddressLine2: p.AddressLine2,
		City: p.City, Region: p.Region, Postcode: p.Postcode, Country: p.Country, Email: p.Email, Phone: p.Phone,
	}
	// "12 Main St" carries the street number the matcher compares on its own.
	if num, rest, ok := strings.Cut(m.AddressLine1, " "); ok && num != "" && strings.Trim(num, "0123456789") == "" {
		m.StreetNumber, m.AddressLine1 = num, rest
	}
	return m
}

// blockKeys are a record's blocking keys with their fingerprint.
func blockKeys(m *match.Record) BlockKeys {
	keys := match.Keys(m)
	sum := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return BlockKeys{Key: m.ID, Keys: keys, Hash: hex.EncodeToString(sum[:8])}
}

// thresholds are the match and review probabilities the rules set, or the defaults.
func (r Rules) thresholds() (matchAt, reviewAt float64, maxBlock int) {
	o := r.Matching
	matchAt, reviewAt, maxBlock = o.MatchProbability, o.ReviewProbability, o.MaxBlockSize
	if matchAt <= 0 {
		matchAt = match.DefaultMatchProbability
	}
	if reviewAt <= 0 {
		reviewAt = match.DefaultReviewProbability
	}
	if maxBlock <= 0 {
		maxBlock = match.DefaultMaxBlockSize
	}
	return matchAt, reviewAt, maxBlock
}

// MatchIncrementally scores the changed records against their blocking candidates with the
// model the last full resolve fitted, and replaces their matches and review pairs. Without
// a usable model it only keeps the blocking keys current.
func (r *Resolver) MatchIncrementally(g Graph, changed []*cdp.SourceRecord, now time.Time) error {
	rows := make([]BlockKeys, 0, len(changed))
	keys := make([]string, 0, len(changed))
	for _, rec := range changed {
		m := r.Rules.MatchRecord(rec)
		rows = append(rows, blockKeys(&m))
		keys = append(keys, rec.Key())
	}
	if err := g.WriteBlockKeys(rows); err != nil {
		return err
	}
	stored, err := g.MatchModel()
	if err != nil || stored == nil {
		return err
	}
	model, err := decodeModel(stored)
	if err != nil || model.Version != match.ModelVersion {
		return nil // an unreadable or outdated model is as good as none; the next resolve refits it
	}
	matchAt, reviewAt, maxBlock := r.Rules.thresholds()
	pairs, err := g.BlockCandidates(keys, maxBlock)
	if err != nil {
		return err
	}
	need := map[string]bool{}
	for k, os := range pairs {
		need[k] = true
		for _, o := range os {
			need[o] = true
		}
	}
	if err := g.ClearRecordMatches(keys); err != nil {
		return err
	}
	if len(pairs) == 0 {
		return nil
	}
	loaded, err := g.MatchRecords(sortedKeys(need))
	if err != nil {
		return err
	}
	records := make([]match.Record, 0, len(loaded))
	index := map[string]int{}
	for _, row := range loaded {
		m := r.Rules.matchRecordOfRow(row)
		index[m.ID] = len(records)
		records = append(records, m)
	}
	var todo [][2]int
	seen := map[[2]string]bool{}
	for _, k := range sortedKeys(pairs) {
		a, okA := index[k]
		for _, o := range pairs[k] {
			b, okB := index[o]
			id := [2]string{min(k, o), max(k, o)}
			if !okA || !okB || seen[id] {
				continue
			}
			seen[id] = true
			todo = append(todo, [2]int{a, b})
		}
	}
	var matched, review []match.Pair
	for _, p := range model.ScorePairs(records, todo, reviewAt) {
		switch {
		case p.Probability >= matchAt:
			matched = append(matched, p)
		case p.Probability >= reviewAt:
			review = append(review, p)
		}
	}
	if len(matched) == 0 && len(review) == 0 {
		return nil
	}
	return g.WriteMatches(matched, review, now)
}

// relinkRecords reads every record as the matcher sees it and brings stored blocking keys
// up to date: after an upgrade that adds keys (or reads names differently) a full resolve
// rewrites them, and otherwise it writes nothing.
func (s *Service) relinkRecords(ctxRecords []MatchRow) ([]match.Record, []BlockKeys) {
	records := make([]match.Record, 0, len(ctxRecords))
	var stale []BlockKeys
	for _, row := range ctxRecords {
		m := s.resolver.Rules.matchRecordOfRow(row)
		if bk := blockKeys(&m); bk.Hash != row.BlockKeysHash {
			stale = append(stale, bk)
		}
		records = append(records, m)
	}
	return records, stale
}

// fitMatches fits the matcher on every record, the labelled pairs fixing their posterior;
// with fewer than two records there is nothing to fit.
func (s *Service) fitMatches(records []match.Record, labels []match.LabelledPair) (*match.Result, error) {
	if len(records) < 2 {
		return nil, nil
	}
	res, err := match.LinkLabelled(records, s.resolver.Rules.Matching, labels)
	if errors.Is(err, match.ErrNoCandidates) {
		return &match.Result{}, nil // nobody to compare: no matches, but old ones still go
	}
	return res, err
}

func decodeModel(st *StoredModel) (*match.Model, error) {
	var m match.Model
	if err := json.Unmarshal([]byte(st.Report), &m); err != nil {
		return nil, fmt.Errorf("stored match model: %w", err)
	}
	return &m, nil
}

// matchModelView is the stored matcher as analysts read it.
func matchModelView(st *StoredModel, m *match.Model) *cdp.MatchModel {
	out := &cdp.MatchModel{FittedAt: st.FittedAt, CandidatePairs: m.Candidates, PriorAcross: m.Lambda, PriorWithin: m.LambdaSameSource,
		MatchProbability: m.Options.MatchProbability, ReviewProbability: m.Options.ReviewProbability, BlockingKeys: m.Blocking}
	if out.PriorWithin == 0 {
		out.PriorWithin = out.PriorAcross // a model fitted before sources were told apart
	}
	for _, f := range m.Fields {
		if !f.Active {
			continue
		}
		mf := cdp.MatchField{Field: f.Field, Method: f.Method}
		for _, l := range f.Levels {
			mf.Levels = append(mf.Levels, cdp.MatchLevel{Level: l.Level, M: l.M, U: l.U, Weight: l.Weight, Pairs: l.Pairs})
		}
		out.Fields = append(out.Fields, mf)
	}
	return out
}
