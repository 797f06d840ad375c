package auth

import (
	"errors"
	"time"
)

// The types below are the back office's accounts as auth gives them
// meaning; the store keeps them (it implements the small interfaces auth
// declares beside each use: SessionStore, LoginStore, TokenStore).

// ErrNotFound is what a store returns for a session, token, user — or
// anything else — that does not exist; the store's ErrNotFound is this one.
var ErrNotFound = errors.New("not found")

// User is a back-office account. Role is one of owner, admin, editor or
// viewer (internal/auth gives them meaning); Sites lists the sites an editor
// or viewer is assigned, sorted.
type User struct {
	ID           int64
	Email        string
	PasswordHash string
	Role         string
	Sites        []string
	CreatedAt    time.Time
}

// Session is a signed-in browser. IDHash is a hash of the sessionid cookie
// value: the value itself is never stored.
type Session struct {
	IDHash    string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	IP        string
	UserAgent string
}

// AuditEntry is one operator action: who did what, on which site ("" when
// the action is about no site), when and from where. Detail is a JSON object.
type AuditEntry struct {
	ID     int64
	Time   time.Time
	Email  string
	SiteID string
	Action string
	Detail map[string]any
	IP     string
}

// LoginLimit allows Max attempts under Key in ReserveLogin's window.
type LoginLimit struct {
	Key string
	Max int
}

// Token is an API token: scripts send it as "Authorization: Bearer …" and
// act with its Role on its Sites (editors and viewers), as an account
// would. Hash is a SHA-256 of the token; the token itself is never stored.
type Token struct {
	ID        int64
	Name      string
	Hash      string
	Role      string
	Sites     []string
	CreatedBy string // email of who created it, or "cli"
	CreatedAt time.Time
	RevokedAt time.Time // zero while the token works
}
