package http_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// What access control costs per request: the same reads as admin (no masking), analyst
// (every personal value pseudonymized) and partner (consent scope checked, contract fields
// returned, the read written to the audit log). cpu-µs/op is this process's CPU time (the
// handler and the driver; Neo4j runs in its own). Figures in docs/benchmarks.md.
func BenchmarkAccessByRole(b *testing.B) {
	f := newAccessFixture(b, options())
	f.a.seed(b, 60) // more customers for the page; C0..C3 keep their consents
	keys := map[string]string{
		"admin":   f.a.key,
		"analyst": f.a.newKey(b, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}),
		"partner": f.a.newKey(b, auth.KeySpec{Name: "acme", Role: cdp.RolePartner, Partner: "acme"}),
	}
	const one = `query($id: ID!) { customer(id: $id) { customerId profile { givenName familyName email phone city } identifiers { type value } consents { purpose granted } } }`
	const page = `{ customers(first: 50) { nodes { customerId profile { givenName familyName email phone city } identifiers { type value } } } }`
	for _, role := range []string{"admin", "analyst", "partner"} {
		c := f.a.client(keys[role])
		b.Run("customer/"+role, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				var out map[string]any
				if err := c.Post(one, &out, client.Var("id", f.ids["C0"])); err != nil {
					b.Fatal(err)
				}
			}
		})
		if role == "partner" {
			continue // partners may not list customers
		}
		b.Run("page50/"+role, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				var out map[string]any
				if err := c.Post(page, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU starts counting the process's CPU time; the function it returns reports it per
// iteration.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() { b.ReportMetric(float64((processCPU()-start).Microseconds())/float64(b.N), "cpu-µs/op") }
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
