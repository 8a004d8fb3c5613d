package cdpgraph

import (
	"testing"
	"time"
)

// A withdrawal of partner sharing ends it whatever the order of the history the caller
// passes (the store reads it newest first).
func TestSharesWithFollowsTheLatestDecision(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	c := func(purpose string, granted bool, d int) Consent {
		return Consent{Purpose: purpose, Granted: granted, OccurredAt: day(d)}
	}
	for _, tc := range []struct {
		name    string
		history []Consent
		want    bool
	}{
		{"granted", []Consent{c("partner_sharing", true, 1)}, true},
		{"withdrawn, newest first", []Consent{c("partner_sharing", false, 2), c("partner_sharing", true, 1)}, false},
		{"withdrawn, oldest first", []Consent{c("partner_sharing", true, 1), c("partner_sharing", false, 2)}, false},
		{"granted again", []Consent{c("partner_sharing", true, 3), c("partner_sharing", false, 2), c("partner_sharing", true, 1)}, true},
		{"same instant", []Consent{c("partner_sharing", true, 1), c("partner_sharing", false, 1)}, false},
		{"specific refusal beats general grant", []Consent{c("partner_sharing", true, 5), c("partner_sharing:acme", false, 1)}, false},
		{"specific grant beats general refusal", []Consent{c("partner_sharing", false, 5), c("partner_sharing:acme", true, 1)}, true},
		{"another partner's grant", []Consent{c("partner_sharing:other", true, 1)}, false},
		{"nothing", nil, false},
	} {
		if got := SharesWith(tc.history, "acme"); got != tc.want {
			t.Errorf("%s: SharesWith = %v, want %v", tc.name, got, tc.want)
		}
	}
}
