package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
)

// TokenPrefix starts every API token, so a token pasted where it should
// not be (a commit, a ticket) is recognisable, and secret scanners can
// look for it.
const TokenPrefix = "charte_"

// ErrBadToken answers a request whose bearer token is unknown, revoked or
// malformed. It is never the same as "no token": a script with a bad token
// must learn so rather than be treated as an anonymous visitor.
var ErrBadToken = errors.New("invalid or revoked API token")

// NewToken returns a new API token and the hash the store keeps. 32 random
// bytes cannot be guessed, so a plain SHA-256 is enough to keep a leaked
// database from yielding usable tokens: unlike a password, there is
// nothing to brute-force, and argon2id would only slow every API call.
func NewToken() (token, hash string) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token = TokenPrefix + hex.EncodeToString(raw)
	return token, HashToken(token)
}

// HashToken is what the store holds for token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokenUser is the account a token acts as: its role and sites, and a name
// that the audit log shows as "token:NAME".
func TokenUser(t Token) User {
	return User{Email: "token:" + t.Name, Role: t.Role, Sites: t.Sites}
}

// TokenStore is what Bearer needs of the store.
type TokenStore interface {
	// TokenByHash returns the token, not revoked, whose hash is given;
	// ErrNotFound otherwise.
	TokenByHash(ctx context.Context, hash string) (Token, error)
}

// Bearer authenticates "Authorization: Bearer <token>". A request with the
// header acts as the token whatever session cookie it also carries, so
// that what it may do never depends on a cookie (see CSRF.Protect, which
// exempts token requests); a bad token goes to fail with ErrBadToken.
func Bearer(st TokenStore, next http.Handler, fail func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		scheme, tok, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(tok, TokenPrefix) {
			fail(w, r, ErrBadToken)
			return
		}
		t, err := st.TokenByHash(r.Context(), HashToken(strings.TrimSpace(tok)))
		if errors.Is(err, ErrNotFound) {
			fail(w, r, ErrBadToken)
			return
		}
		if err != nil {
			fail(w, r, err)
			return
		}
		id := Identity{User: TokenUser(t), Token: &t}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, id)))
	})
}
