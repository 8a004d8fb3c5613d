package segment

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/churn"
	"github.com/cdpgraph/cdpgraph/analytics/rfm"
)

// One vocabulary: a definition, the customers filter and Vocabulary spell values the same
// way, and a value no customer can have is an error naming the field and the valid values,
// never a silent count of 0. Names are matched in any case, so definitions saved in an
// older spelling ("high", "champions", "Tea") keep working; they are rewritten in the
// canonical one when next refreshed.

// ChurnBandNames are the churn bands as the API spells them (the ChurnBand enum), lowest
// risk first. The store keeps them in lower case (churn.BandNames).
func ChurnBandNames() []string {
	out := make([]string, len(churn.BandNames))
	for i, b := range churn.BandNames {
		out[i] = strings.ToUpper(b)
	}
	return out
}

// rfmNames are the configured RFM segment names, best first.
func (s *Service) rfmNames() []string {
	if s.RFMSegments != nil {
		return s.RFMSegments
	}
	return rfm.DefaultSegmentMap().Names()
}

// RFMSegmentName returns the configured spelling of an RFM segment name given in any case;
// field names the argument in the error.
func (s *Service) RFMSegmentName(name, field string) (string, error) {
	names := s.rfmNames()
	if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, strings.TrimSpace(name)) }); i >= 0 {
		return names[i], nil
	}
	return "", invalid(field, "unknown RFM segment %q; use one of %s", name, strings.Join(names, ", "))
}

// canonical validates d and rewrites its values in the canonical spelling: RFM segment
// names as configured, churn bands as the ChurnBand enum, categories in lower case as
// ingest keeps them. It reads nothing, and rewrites a deep copy: the caller's lists and
// nodes are left alone.
func (s *Service) canonical(d *Definition) error {
	if err := d.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	*d = Definition{}
	if err := json.Unmarshal(b, d); err != nil {
		return err
	}
	walk(d, "definition", func(n *Definition, path string) {
		switch {
		case err != nil:
		case n.RFMSegments != nil:
			for i, v := range n.RFMSegments {
				if n.RFMSegments[i], err = s.RFMSegmentName(v, path+".rfmSegments["+strconv.Itoa(i)+"]"); err != nil {
					return
				}
			}
		case n.ChurnBands != nil:
			for i, v := range n.ChurnBands {
				n.ChurnBands[i] = strings.ToUpper(strings.TrimSpace(v)) // Validate checked the band
			}
		case n.Purchased != nil && n.Purchased.Category != "":
			n.Purchased.Category = foldCategory(n.Purchased.Category)
		}
	})
	return err
}

// foldCategory is a category as ingest stores it.
func foldCategory(c string) string { return strings.ToLower(strings.TrimSpace(c)) }

// checkHeld refuses a purchased category no product has: the data-held values are read
// again once before refusing, since the cached list may predate the category.
func (s *Service) checkHeld(ctx context.Context, d *Definition) error {
	if s.Values == nil {
		return nil
	}
	var missing []struct{ path, category string }
	walk(d, "definition", func(n *Definition, path string) {
		if n.Purchased != nil && n.Purchased.Category != "" {
			missing = append(missing, struct{ path, category string }{path + ".purchased.category", n.Purchased.Category})
		}
	})
	if len(missing) == 0 {
		return nil
	}
	held, err := s.heldValues(ctx)
	if err != nil {
		return err
	}
	fresh := false
	for _, m := range missing {
		if slices.Contains(held[0], m.category) {
			continue
		}
		if !fresh {
			if held, err = s.readHeldValues(ctx); err != nil {
				return err
			}
			fresh = true
			s.held.mu.Lock()
			s.held.values = held
			s.held.mu.Unlock()
			if slices.Contains(held[0], m.category) {
				continue
			}
		}
		return invalid(m.path, "no product has category %q; the catalogue's categories are %s (vocabulary.categories)", m.category, listSome(held[0], 20))
	}
	return nil
}

// listSome joins the first most values, saying how many more there are.
func listSome(values []string, most int) string {
	if len(values) == 0 {
		return "none yet"
	}
	if len(values) <= most {
		return strings.Join(values, ", ")
	}
	return strings.Join(values[:most], ", ") + " and " + strconv.Itoa(len(values)-most) + " more"
}

// walk calls f on every node of d, depth first, with its path.
func walk(d *Definition, path string, f func(*Definition, string)) {
	f(d, path)
	for i := range d.And {
		walk(&d.And[i], path+".and["+strconv.Itoa(i)+"]", f)
	}
	for i := range d.Or {
		walk(&d.Or[i], path+".or["+strconv.Itoa(i)+"]", f)
	}
	if d.Not != nil {
		walk(d.Not, path+".not", f)
	}
}

// prepare is what a definition from a caller goes through: validated, checked against the
// vocabulary and the data, in the canonical spelling.
func (s *Service) prepare(ctx context.Context, d *Definition) error {
	if err := s.canonical(d); err != nil {
		return err
	}
	return s.checkHeld(ctx, d)
}

// migrate brings a stored definition to the canonical spelling. A value that is no longer
// valid (an RFM segment renamed in the configuration) is left as it is, matching nobody,
// and logged: the saved segment still refreshes.
func (s *Service) migrate(ctx context.Context, seg *cdp.Segment, d *Definition) {
	c := *d // canonical rewrites a deep copy of c, leaving d as stored on error
	if err := s.canonical(&c); err != nil {
		s.Log.Warn("saved segment has a value no customer can have", "segment", seg.Name, "error", err.Error())
		return
	}
	*d = c
	canon, _ := json.Marshal(c)
	if string(canon) == seg.Definition {
		return
	}
	old := seg.Definition
	seg.Definition = string(canon)
	if err := s.Store.UpdateSegment(ctx, seg); err != nil {
		seg.Definition = old
		s.Log.Warn("saved segment's definition not rewritten in the canonical spelling", "segment", seg.Name, "error", err.Error())
		return
	}
	s.Log.Info("saved segment's definition rewritten in the canonical spelling", "segment", seg.Name)
}
