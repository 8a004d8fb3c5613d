package auth

import (
	"context"
	"net/http"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Authenticator turns a request's credential into its caller.
type Authenticator struct {
	Keys *Keys
	JWT  *JWT // nil: no tokens are trusted
}

// ErrNoCredentials is returned when a request carries no credential.
var ErrNoCredentials = cdp.Errorf(cdp.EUNAUTHORIZED, "credentials required: send 'Authorization: Bearer <API key or JWT>'")

// Credential returns the bearer credential of r ("Authorization: Bearer ..." or "X-API-Key").
func Credential(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, rest, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(rest)
		}
		return ""
	}
	return strings.TrimSpace(r.Header.Get("X-API-Key"))
}

// Authenticate returns the caller a credential (an API key or a JWT) belongs to. A partner
// caller needs a partner contract, however it authenticated: a token naming a partner
// without one, or a key whose partner's contract was removed, is refused.
func (a *Authenticator) Authenticate(ctx context.Context, credential string) (*cdp.Principal, error) {
	credential = strings.TrimPrefix(strings.TrimPrefix(credential, "Bearer "), "bearer ")
	var p *cdp.Principal
	var err error
	switch {
	case credential == "":
		return nil, ErrNoCredentials
	case strings.HasPrefix(credential, keyPrefix):
		p, err = a.Keys.Authenticate(ctx, credential)
	case strings.Count(credential, ".") == 2 && a.JWT != nil:
		p, err = a.JWT.Authenticate(credential)
	default:
		return nil, errInvalid
	}
	if err != nil {
		return nil, err
	}
	if p.Role == cdp.RolePartner && (a.Keys == nil || !a.Keys.Partners.Known(p.Partner)) {
		if p.Via == "jwt" {
			return nil, cdp.Errorf(cdp.EUNAUTHORIZED, "invalid token: the partner claim %q names no partner contract (CDP_PARTNERS)", p.Partner)
		}
		return nil, cdp.Errorf(cdp.EUNAUTHORIZED, "this key's partner %q has no partner contract any more (CDP_PARTNERS)", p.Partner)
	}
	return p, nil
}
