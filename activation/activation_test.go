package activation

import (
	"errors"
	"testing"
	"time"
)

func TestSignMatchesReferenceVector(t *testing.T) {
	// Reference computed with: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test_secret_123
	got := Sign("whsec_test_secret_123", time.Unix(1700000000, 0), []byte(`{"a":1}`))
	want := "t=1700000000,v1=e89dcbfdce3392fb275033fb083d8c81e095a63bf687d9a2cd50e7d5f55e21f6"
	if got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	at := time.Unix(1700000000, 0)
	body := []byte(`{"a":1}`)
	h := Sign("whsec_test_secret_123", at, body)
	if err := Verify("whsec_test_secret_123", h, body, at.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("valid signature: %v", err)
	}
	cases := map[string]struct {
		secret, header string
		body           []byte
		now            time.Time
		want           error
	}{
		"other body":     {"whsec_test_secret_123", h, []byte(`{"a":2}`), at, ErrSignatureMismatch},
		"other secret":   {"whsec_other_secret_12", h, body, at, ErrSignatureMismatch},
		"too old":        {"whsec_test_secret_123", h, body, at.Add(6 * time.Minute), ErrSignatureExpired},
		"no v1":          {"whsec_test_secret_123", "t=1700000000", body, at, ErrBadSignatureHeader},
		"garbage":        {"whsec_test_secret_123", "nonsense", body, at, ErrBadSignatureHeader},
		"rotated secret": {"whsec_test_secret_123", h + ",v1=00ff", body, at, nil},
	}
	for name, c := range cases {
		if err := Verify(c.secret, c.header, c.body, c.now, 5*time.Minute); !errors.Is(err, c.want) {
			t.Errorf("%s: Verify = %v, want %v", name, err, c.want)
		}
	}
}

func TestRetryPolicy(t *testing.T) {
	p := RetryPolicy{Base: time.Second, Max: 10 * time.Second, MaxAttempts: 4}
	for attempts, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 9: 10 * time.Second} {
		if got := p.Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
	now := time.Unix(0, 0)
	if next, dead := p.Next(now, 3, false, 0.5); dead || next.Sub(now) != 2*time.Second {
		t.Errorf("Next after 3 = %v dead %v, want +2s alive", next.Sub(now), dead)
	}
	if _, dead := p.Next(now, 4, false, 0.5); !dead {
		t.Error("4th failed attempt of 4 is not dead")
	}
	if _, dead := p.Next(now, 1, true, 0.5); !dead {
		t.Error("permanent failure is not dead")
	}
	if !Permanent(400) || Permanent(429) || Permanent(408) || Permanent(503) {
		t.Error("Permanent misclassifies statuses")
	}
}

func TestConsentAndFieldFiltering(t *testing.T) {
	d := &Destination{Name: "crm", Kind: KindWebhook, URL: "https://x", Secret: "0123456789abcdef",
		Events: []string{SegmentEntered, CustomerErased}, Segments: []string{"s1"}, ConsentPurpose: "marketing", Fields: []string{"email"}}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	entered := Event{ID: "e1", Kind: SegmentEntered, CustomerID: "c1", SegmentID: "s1", Fields: map[string]any{"email": "a@b", "phone": "1"}}
	if d.Receives(entered, nil) {
		t.Error("marketing event sent without consent")
	}
	if !d.Receives(entered, map[string]bool{"marketing": true}) {
		t.Error("marketing event with consent not sent")
	}
	other := entered
	other.SegmentID = "s2"
	if d.Receives(other, map[string]bool{"marketing": true}) {
		t.Error("event of another segment sent")
	}
	erased := Event{ID: "e2", Kind: CustomerErased, CustomerID: "c1", Fields: map[string]any{"email": "a@b"}}
	if !d.Receives(erased, nil) {
		t.Error("erasure not sent without consent")
	}
	if d.Receives(Event{Kind: ConsentWithdrawn}, nil) {
		t.Error("kind the destination does not subscribe to was sent")
	}
	p := d.Payload(entered)
	if f := p["fields"].(map[string]any); len(f) != 1 || f["email"] != "a@b" {
		t.Errorf("payload fields = %v, want only email", f)
	}
	if _, ok := d.Payload(erased)["fields"]; ok {
		t.Error("erasure payload carries fields")
	}
	bad := *d
	bad.Events = []string{"nope"}
	if err := bad.Validate(); err == nil || err.Error() != `cdpgraph: invalid: events[0]: unknown event kind "nope"` {
		t.Errorf("Validate = %v", err)
	}
}
