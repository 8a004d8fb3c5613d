package http

import (
	"testing"
	"time"
)

// A 429's Retry-After is whole seconds rounded up, never 0 (which asks for an immediate
// retry): waits under a millisecond gave 0 with int(seconds+0.999).
func TestRetryAfterNeverBelowOneSecond(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "1", time.Nanosecond: "1", 400 * time.Microsecond: "1", time.Millisecond: "1",
		999 * time.Millisecond: "1", time.Second: "1", 1001 * time.Millisecond: "2", 59 * time.Second: "59"} {
		if got := retryAfter(d); got != want {
			t.Errorf("retryAfter(%v) = %s, want %s", d, got, want)
		}
	}
}
