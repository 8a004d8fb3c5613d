package auth

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"

	cdp "github.com/cdpgraph/cdpgraph"
)

// JWTConfig says which tokens to trust. HS256 needs Secret; RS256 needs a JWKS file of the
// issuer's public keys. Issuer and Audience, when set, must match the token's.
type JWTConfig struct {
	Secret   string
	JWKSFile string
	Issuer   string
	Audience string
}

// JWT verifies bearer tokens. A token must be signed with HS256 or RS256 (never "none" or
// another algorithm), must expire, and carries the caller in its claims.
type JWT struct {
	secret []byte
	keys   map[string]*rsa.PublicKey
	parser *jwt.Parser
}

// Claims are what cdpgraph reads from a token.
type Claims struct {
	jwt.RegisteredClaims
	Role    string   `json:"role"`
	Partner string   `json:"partner,omitempty"`
	Sources []string `json:"sources,omitempty"`
	PII     bool     `json:"pii,omitempty"`
}

// NewJWT returns a verifier, or nil when cfg trusts no tokens.
func NewJWT(cfg JWTConfig) (*JWT, error) {
	if cfg.Secret == "" && cfg.JWKSFile == "" {
		return nil, nil
	}
	if cfg.Secret != "" && len(cfg.Secret) < 32 {
		return nil, errors.New("jwt: the HS256 secret must be at least 32 bytes")
	}
	j := &JWT{secret: []byte(cfg.Secret)}
	methods := []string{}
	if cfg.Secret != "" {
		methods = append(methods, "HS256")
	}
	if cfg.JWKSFile != "" {
		keys, err := LoadJWKS(cfg.JWKSFile)
		if err != nil {
			return nil, err
		}
		j.keys = keys
		methods = append(methods, "RS256")
	}
	opts := []jwt.ParserOption{jwt.WithValidMethods(methods), jwt.WithExpirationRequired(), jwt.WithLeeway(30 * time.Second)}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	j.parser = jwt.NewParser(opts...)
	return j, nil
}

// Authenticate verifies token and returns its caller.
func (j *JWT) Authenticate(token string) (*cdp.Principal, error) {
	var c Claims
	if _, err := j.parser.ParseWithClaims(token, &c, j.key); err != nil {
		return nil, cdp.Errorf(cdp.EUNAUTHORIZED, "invalid token: %s", tokenProblem(err))
	}
	p := &cdp.Principal{Role: cdp.Role(c.Role), Subject: "jwt:" + c.Subject, Via: "jwt", Partner: c.Partner, Sources: sourceNames(c.Sources), PII: c.PII}
	switch {
	case c.Subject == "":
		return nil, cdp.Errorf(cdp.EUNAUTHORIZED, "invalid token: no subject (sub)")
	case !p.Role.Valid():
		return nil, cdp.Errorf(cdp.EUNAUTHORIZED, "invalid token: role %q is not admin, analyst, frontend or partner", c.Role)
	case p.Role == cdp.RolePartner && !cdp.ValidPartnerID(p.Partner):
		return nil, cdp.Errorf(cdp.EUNAUTHORIZED, "invalid token: a partner token needs a partner claim")
	case p.Role == cdp.RoleFrontend && len(p.Sources) == 0:
		return nil, cdp.Errorf(cdp.EUNAUTHORIZED, "invalid token: a frontend token needs a sources claim")
	}
	p.PII = p.PII && p.Role == cdp.RoleAnalyst
	return p, nil
}

func (j *JWT) key(t *jwt.Token) (any, error) {
	switch t.Method.Alg() {
	case "HS256":
		return j.secret, nil
	case "RS256":
		kid, _ := t.Header["kid"].(string)
		if k, ok := j.keys[kid]; ok {
			return k, nil
		}
		if len(j.keys) == 1 && kid == "" {
			for _, k := range j.keys {
				return k, nil
			}
		}
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	return nil, fmt.Errorf("algorithm %s is not accepted", t.Method.Alg())
}

// tokenProblem says what is wrong without echoing the token.
func tokenProblem(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "expired"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "no expiry (exp)"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "not valid yet"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "wrong issuer"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "wrong audience"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "bad signature or unknown key"
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed"
	}
	return "rejected"
}

// LoadJWKS reads the RSA public keys of a JSON Web Key Set file, by key id.
func LoadJWKS(path string) (map[string]*rsa.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	var set struct {
		Keys []struct {
			Kty string `json:"kty"`
			Kid string `json:"kid"`
			Use string `json:"use"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("jwks %s: %w", path, err)
	}
	keys := map[string]*rsa.PublicKey{}
	for i, k := range set.Keys {
		if k.Kty != "RSA" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil || len(n) < 256 || len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("jwks %s: keys[%d]: not a usable RSA key (n, e base64url; at least 2048 bits)", path, i)
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("jwks %s: no RSA signing keys", path)
	}
	return keys, nil
}
