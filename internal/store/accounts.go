package store

import (
	"context"
	"errors"
	"time"
)

// ErrExists is returned when creating something whose key is taken, such as
// a user with an email already registered.
var ErrExists = errors.New("already exists")

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

// AuditQuery selects audit entries, newest first: of one site when SiteID
// is set, older than the entry Before when it is set (keyset pagination).
type AuditQuery struct {
	SiteID string
	Before int64
	Limit  int
}

// Accounts keeps who may sign in to the back office and what they did.
type Accounts interface {
	// CreateUser stores u (Email lower-cased, Sites assigned) and returns it
	// with its ID: ErrExists for a taken email, ErrNotFound naming an
	// unknown site, and nothing stored in either case.
	CreateUser(ctx context.Context, u User) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
	// CountUsers lets serve tell an operator how to create the first owner.
	CountUsers(ctx context.Context) (int, error)
	// SetUserRole replaces a user's role and assigned sites.
	SetUserRole(ctx context.Context, id int64, role string, sites []string) error
	// SetPassword replaces the hash and, in the same transaction, ends
	// every session of the user: whoever knew the old password is out.
	SetPassword(ctx context.Context, id int64, hash string) error
	DeleteUser(ctx context.Context, id int64) error

	CreateSession(ctx context.Context, s Session) error
	// Session returns a session not expired at now, with its user;
	// ErrNotFound otherwise.
	Session(ctx context.Context, idHash string, now time.Time) (Session, User, error)
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteExpiredSessions removes sessions expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) error

	// AddLoginFailure records a failed login under each key ("email:…",
	// "ip:…"), and forgets failures older than prune.
	AddLoginFailure(ctx context.Context, keys []string, at, prune time.Time) error
	// LoginFailures counts the failures of key since a time, and returns the
	// oldest of them (zero when none).
	LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error)
	ClearLoginFailures(ctx context.Context, key string) error

	AppendAudit(ctx context.Context, e AuditEntry) error
	Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)

	Operators // operators.go: statistics, consent log pages, API tokens
}
