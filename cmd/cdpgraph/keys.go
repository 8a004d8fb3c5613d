package main

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

// runKeys manages API keys: create (the secret is printed once, on stdout), list, revoke.
// Creating and revoking are written to the audit log as the operating-system user.
func runKeys(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "revoke") {
		return groupHelp("keys", args)
	}
	var a app
	fs := newFlags("keys "+args[0], &a.cfg)
	role := fs.String("role", "", "admin, analyst, frontend or partner (create)")
	name := fs.String("name", "", "what the key is for, e.g. 'BI dashboard' (create)")
	partner := fs.String("partner", "", "partner id of a contract in CDP_PARTNERS (partner keys)")
	sources := fs.String("sources", "", "comma-separated source systems of a frontend app, e.g. web,app (frontend keys)")
	pii := fs.Bool("pii", false, "analyst keys: read personal data unmasked")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if args[0] == "create" {
		if err := required(fs, "role", "name"); err != nil {
			return err
		}
	}
	if args[0] == "revoke" && fs.NArg() != 1 {
		return usageErrorf(fs, "name one KEY_ID ('cdpgraph keys list' shows them)")
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	keys, err := a.keys()
	if err != nil {
		return err
	}
	actor := "cli:" + osUser()
	switch args[0] {
	case "create":
		var srcs []string
		if *sources != "" {
			srcs = strings.Split(*sources, ",")
		}
		secret, key, err := keys.Create(ctx, auth.KeySpec{Name: *name, Role: cdp.Role(*role), Partner: *partner, Sources: srcs, PII: *pii}, actor)
		if err != nil {
			return err
		}
		a.audit(ctx, actor, "createApiKey", "id="+key.ID+"; role="+string(key.Role))
		fmt.Fprintf(os.Stderr, "created %s (%s, %s); the secret below is shown once:\n", key.ID, key.Role, key.Name)
		fmt.Println(secret)
	case "list":
		list, err := keys.List(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tROLE\tPARTNER\tSOURCES\tPII\tCREATED\tREVOKED")
		for _, k := range list {
			revoked := ""
			if k.RevokedAt != nil {
				revoked = k.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%v\t%s\t%s\n", k.ID, k.Name, k.Role, k.Partner, strings.Join(k.Sources, ","), k.PII, k.CreatedAt.Format(time.RFC3339), revoked)
		}
		return w.Flush()
	case "revoke":
		key, err := keys.Revoke(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		a.audit(ctx, actor, "revokeApiKey", "id="+key.ID)
		fmt.Fprintf(os.Stderr, "revoked %s (%s) at %s\n", key.ID, key.Name, key.RevokedAt.Format(time.RFC3339))
	}
	return nil
}

// keys returns the key service with the configured partner contracts.
func (a *app) keys() (*auth.Keys, error) {
	partners, err := a.partners()
	if err != nil {
		return nil, err
	}
	return auth.NewKeys(neo4j.NewAccessStore(a.db), partners), nil
}

// audit records a command-line administrative action; a failure is reported, not fatal,
// since the action itself is done.
func (a *app) audit(ctx context.Context, actor, action, detail string) {
	err := neo4j.NewAccessStore(a.db).WriteAudit(ctx, []cdp.AuditEntry{{ID: cdp.NewAuditID(),
		At: time.Now().UTC(), Actor: actor, Role: cdp.RoleAdmin, Action: action, Detail: detail + " ok"}})
	if err != nil {
		a.log.Error("audit log write failed", "action", action, "err", err)
	}
}

func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}
