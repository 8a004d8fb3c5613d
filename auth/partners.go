package auth

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Contract is what one partner may receive: the customers who consented to sharing with it
// (see cdp.SharesWith), and of their personal data only Fields, as schema coordinates such
// as "Profile.email". Personal fields not listed are returned as null (or a mask).
type Contract struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Fields []string `json:"fields"`
}

// Partners are the contracts by partner id.
type Partners map[string]Contract

// Known reports whether partner has a contract.
func (p Partners) Known(partner string) bool { _, ok := p[partner]; return ok }

// Allows reports whether partner may receive the personal field at coordinate.
func (p Partners) Allows(partner, coordinate string) bool {
	c, ok := p[partner]
	return ok && slices.Contains(c.Fields, coordinate)
}

// LoadPartners reads {"partners": [{"id", "name", "fields": [...]}]}. valid checks a field
// coordinate (the API knows which fields hold personal data); nil accepts any.
func LoadPartners(r io.Reader, valid func(coordinate string) error) (Partners, error) {
	var doc struct {
		Partners []Contract `json:"partners"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("partners: %w", err)
	}
	out := Partners{}
	for i, c := range doc.Partners {
		at := fmt.Sprintf("partners[%d]", i)
		if !cdp.ValidPartnerID(c.ID) {
			return nil, fmt.Errorf("%s.id: %q: use lower-case letters, digits, '-' or '_', at most 40", at, c.ID)
		}
		if _, dup := out[c.ID]; dup {
			return nil, fmt.Errorf("%s.id: %q appears twice", at, c.ID)
		}
		for j, f := range c.Fields {
			if valid != nil {
				if err := valid(f); err != nil {
					return nil, fmt.Errorf("%s.fields[%d]: %q: %w", at, j, f, err)
				}
			}
		}
		out[c.ID] = c
	}
	return out, nil
}
