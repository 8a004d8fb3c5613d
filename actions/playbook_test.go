package actions

import (
	"errors"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/segment"
)

func TestDefaultPlaybookIsValidAndCompiles(t *testing.T) {
	p := DefaultPlaybook()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Rules {
		if _, err := segment.Compile(r.When, time.Now()); err != nil {
			t.Errorf("%s: %v", r.Action, err)
		}
	}
}

func TestLoadPlaybookNamesTheRuleAndField(t *testing.T) {
	cases := map[string]string{
		`{"rules":[{"action":"x","reason":"r","channel":"fax","when":{"churnBands":["high"]}}]}`:                    "playbook.rules[0].channel",
		`{"rules":[{"action":"","reason":"r","channel":"email","when":{"churnBands":["high"]}}]}`:                   "playbook.rules[0].action",
		`{"rules":[{"action":"x","reason":"","channel":"email","when":{"churnBands":["high"]}}]}`:                   "playbook.rules[0].reason",
		`{"rules":[{"action":"x","reason":"r","channel":"email","when":{"purchased":{"category":"a","sku":"b"}}}]}`: "playbook.rules[0].when.purchased",
		`{"rules":[{"action":"x","reason":"r","channel":"email","when":{}, "extra": 1}]}`:                           "playbook",
	}
	for in, field := range cases {
		_, err := LoadPlaybook(strings.NewReader(in))
		var e *cdp.Error
		if !errors.As(err, &e) || !strings.HasPrefix(e.Field, field) {
			t.Errorf("%s: error %v, want field %s", in, err, field)
		}
	}
	p, err := LoadPlaybook(strings.NewReader(`{"maxPerWeek":1,"rules":[{"action":"vip","reason":"top","channel":"app","capDays":7,"when":{"rfmSegments":["Champions"]}}]}`))
	if err != nil || len(p.Rules) != 1 || p.MaxPerWeek != 1 {
		t.Fatalf("valid playbook: %+v, %v", p, err)
	}
}
