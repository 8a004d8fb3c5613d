package config

import (
	"flag"
	"io"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
)

// parse registers the server's settings from the current environment and parses args.
func parse(t *testing.T, args ...string) *Config {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.Register(fs)
	c.RegisterServer(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &c
}

func TestRateDefaultsByRole(t *testing.T) {
	rates := parse(t).Access.Rates()
	for role, want := range map[cdp.Role]Rate{
		cdp.RoleFrontend: {2000, 4000}, cdp.RolePartner: {500, 1000}, cdp.RoleAdmin: {100, 200}, cdp.RoleAnalyst: {20, 60},
	} {
		if rates[role] != want {
			t.Errorf("%s: %+v, want %+v", role, rates[role], want)
		}
	}
	// One key serves all of an app's users: frontends and partners get far more than people.
	if rates[cdp.RoleFrontend].PerSecond <= rates[cdp.RoleAdmin].PerSecond || rates[cdp.RolePartner].PerSecond <= rates[cdp.RoleAnalyst].PerSecond {
		t.Errorf("rates %+v", rates)
	}
	if len(rates) != len(cdp.Roles) {
		t.Errorf("rates for %d roles, want %d", len(rates), len(cdp.Roles))
	}
}

func TestRatesFromEnvironmentAndFlags(t *testing.T) {
	// Every role's setting replaces the defaults; a role's own setting wins over it.
	t.Setenv("CDP_RATE_LIMIT", "30")
	t.Setenv("CDP_RATE_BURST_PARTNER", "7")
	t.Setenv("CDP_RATE_LIMIT_FRONTEND", "5000")
	rates := parse(t).Access.Rates()
	for role, want := range map[cdp.Role]Rate{
		cdp.RoleFrontend: {5000, 4000}, cdp.RolePartner: {30, 7}, cdp.RoleAdmin: {30, 200}, cdp.RoleAnalyst: {30, 60},
	} {
		if rates[role] != want {
			t.Errorf("environment: %s: %+v, want %+v", role, rates[role], want)
		}
	}
	// Flags win over the environment.
	rates = parse(t, "-rate-limit-frontend=0", "-rate-burst=9").Access.Rates()
	if got := rates[cdp.RoleFrontend]; got != (Rate{0, 9}) {
		t.Errorf("flags: frontend %+v", got)
	}
	if got := rates[cdp.RolePartner]; got != (Rate{30, 7}) {
		t.Errorf("flags: partner %+v", got)
	}
}

func TestRateLimitZeroTurnsEveryRoleOff(t *testing.T) {
	t.Setenv("CDP_RATE_LIMIT", "0")
	for role, r := range parse(t).Access.Rates() {
		if r.PerSecond != 0 {
			t.Errorf("%s: %+v, want unlimited", role, r)
		}
	}
}
