package store

import (
	"context"
	"errors"
	"time"

	"github.com/charte/charte/internal/auth"
)

// ErrExists is returned when creating something whose key is taken, such as
// a user with an email already registered.
var ErrExists = errors.New("already exists")

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
	CreateUser(ctx context.Context, u auth.User) (auth.User, error)
	UserByEmail(ctx context.Context, email string) (auth.User, error)
	UserByID(ctx context.Context, id int64) (auth.User, error)
	ListUsers(ctx context.Context) ([]auth.User, error)
	// CountUsers lets serve tell an operator how to create the first owner.
	CountUsers(ctx context.Context) (int, error)
	// SetUserRole replaces a user's role and assigned sites.
	SetUserRole(ctx context.Context, id int64, role string, sites []string) error
	// SetPassword replaces the hash and, in the same transaction, ends
	// every session of the user: whoever knew the old password is out.
	SetPassword(ctx context.Context, id int64, hash string) error
	DeleteUser(ctx context.Context, id int64) error

	CreateSession(ctx context.Context, s auth.Session) error
	// Session returns a session not expired at now, with its user;
	// ErrNotFound otherwise.
	Session(ctx context.Context, idHash string, now time.Time) (auth.Session, auth.User, error)
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteExpiredSessions removes sessions expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) error

	// ReserveLogin atomically counts each limit's key's attempts since
	// since (forgetting older ones) and, when every key has fewer than its
	// Max, records attempt under each key at at and returns true: the rows
	// stay, as failures, until ReleaseLogin (a success) or they age.
	// Otherwise it records nothing and returns false with the oldest attempt
	// of the most recently full key: the caller may retry once that one has
	// left the window. However many run at once, on however many nodes, at
	// most Max attempts per key are allowed in a window.
	ReserveLogin(ctx context.Context, attempt string, limits []auth.LoginLimit, at, since time.Time) (bool, time.Time, error)
	// ReleaseLogin forgets an attempt's rows.
	ReleaseLogin(ctx context.Context, attempt string) error
	// RememberLoginNetwork records that account signed in from network
	// at at; KnownLoginNetwork tells whether it did since since.
	RememberLoginNetwork(ctx context.Context, account, network string, at time.Time) error
	KnownLoginNetwork(ctx context.Context, account, network string, since time.Time) (bool, error)

	AppendAudit(ctx context.Context, e auth.AuditEntry) error
	Audit(ctx context.Context, q AuditQuery) ([]auth.AuditEntry, error)

	Operators // operators.go: statistics, consent log pages, API tokens
}
