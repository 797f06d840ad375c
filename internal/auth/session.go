package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/charte/charte/internal/clientaddr"
)

const (
	SessionCookie = "sessionid"
	// SessionAge is Django's default: two weeks, then sign in again.
	SessionAge = 14 * 24 * time.Hour
)

// SessionStore is what sessions need of the store.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	// Session returns a session not expired at now, with its user;
	// ErrNotFound otherwise.
	Session(ctx context.Context, idHash string, now time.Time) (Session, User, error)
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteExpiredSessions removes sessions expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) error
}

// Sessions keeps signed-in browsers in the database, so that logging out,
// or changing a password, really ends a session on every node.
type Sessions struct {
	st     SessionStore
	secure bool
	addr   clientaddr.Policy // the address a session records
	now    func() time.Time
}

// NewSessions makes Secure cookies when secure (the base URL is HTTPS) and
// records each session's client address as addr tells it.
func NewSessions(st SessionStore, secure bool, addr clientaddr.Policy) *Sessions {
	return &Sessions{st: st, secure: secure, addr: addr, now: time.Now}
}

type identityKey struct{}

// Identity is the signed-in user of a request and their session, or the
// API token the request carries (then Session is zero).
type Identity struct {
	User    User
	Session Session
	Token   *Token
}

// FromContext returns the request's identity, if signed in.
func FromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// hashID is what the database holds instead of the session id.
func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// Load attaches the identity of a valid sessionid cookie to the request.
// An unknown or expired cookie is ignored: the request is anonymous.
func (m *Sessions) Load(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			sess, user, err := m.st.Session(r.Context(), hashID(c.Value), m.now())
			if err == nil {
				r = r.WithContext(context.WithValue(r.Context(), identityKey{}, Identity{User: user, Session: sess}))
			} else if !errors.Is(err, ErrNotFound) {
				http.Error(w, "session store unavailable", http.StatusServiceUnavailable)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Login ends the browser's current session, if any, and starts a new one
// under a new id: an id planted before login (session fixation) is never
// promoted to a signed-in session.
func (m *Sessions) Login(w http.ResponseWriter, r *http.Request, u User) (Session, error) {
	ctx := r.Context()
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := m.st.DeleteSession(ctx, hashID(c.Value)); err != nil {
			return Session{}, err
		}
	}
	now := m.now().UTC()
	// Pruning here keeps the table small without a background job.
	if err := m.st.DeleteExpiredSessions(ctx, now); err != nil {
		return Session{}, err
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	id := hex.EncodeToString(raw)
	ua := r.UserAgent()
	if len(ua) > 500 {
		ua = ua[:500]
	}
	sess := Session{IDHash: hashID(id), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(SessionAge), IP: m.addr.From(r), UserAgent: ua}
	if err := m.st.CreateSession(ctx, sess); err != nil {
		return Session{}, err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: id, Path: "/", MaxAge: int(SessionAge / time.Second),
		HttpOnly: true, Secure: m.secure, SameSite: http.SameSiteLaxMode,
	})
	return sess, nil
}

// Logout deletes the session server-side, so the cookie is worthless even
// if a copy of it survives, and tells the browser to drop it.
func (m *Sessions) Logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := m.st.DeleteSession(r.Context(), hashID(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: m.secure, SameSite: http.SameSiteLaxMode,
	})
	return nil
}
