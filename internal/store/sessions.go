package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/internal/auth"
)

func (d *db) CreateSession(ctx context.Context, s auth.Session) error {
	_, err := d.w.ExecContext(ctx, d.q("CreateSession"), s.IDHash, s.UserID, timeText(s.CreatedAt),
		timeText(s.ExpiresAt), s.IP, s.UserAgent)
	if err != nil {
		return fmt.Errorf("create session for user %d: %w", s.UserID, err)
	}
	return nil
}

// Session compares expiry in SQL, so an expired session is simply absent
// and no caller can forget the check.
func (d *db) Session(ctx context.Context, idHash string, now time.Time) (auth.Session, auth.User, error) {
	var (
		s                auth.User
		sess             auth.Session
		created, expires string
		userCreated      string
	)
	err := d.r.QueryRowContext(ctx, d.q("Session"), idHash, timeText(now)).Scan(&sess.IDHash, &sess.UserID,
		&created, &expires, &sess.IP, &sess.UserAgent, &s.ID, &s.Email, &s.PasswordHash, &s.Role, &userCreated)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Session{}, auth.User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err == nil {
		sess.CreatedAt, err = parseTime(created)
	}
	if err == nil {
		sess.ExpiresAt, err = parseTime(expires)
	}
	if err == nil {
		s.CreatedAt, err = parseTime(userCreated)
	}
	if err == nil {
		s.Sites, err = d.userSites(ctx, s.ID)
	}
	if err != nil {
		return auth.Session{}, auth.User{}, fmt.Errorf("session: %w", err)
	}
	return sess, s, nil
}

func (d *db) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := d.w.ExecContext(ctx, d.q("DeleteSession"), idHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func (d *db) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	if _, err := d.w.ExecContext(ctx, d.q("DeleteExpiredSessions"), timeText(now)); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}

// Login attempts live in the database rather than in memory so that every
// node behind a load balancer counts the same attempts.
//
// ReserveLogin counts and records in one transaction holding a lock every
// reservation takes (the table lock on PostgreSQL, the write lock SQLite's
// BEGIN IMMEDIATE takes anyway), so two attempts, on one node or two,
// cannot both see room for one more and both be recorded: no more than Max
// are ever allowed per key and window, however many run at once. A refused
// attempt records nothing, so a flood does not extend the lock it caused.
func (d *db) ReserveLogin(ctx context.Context, attempt string, limits []auth.LoginLimit, at, since time.Time) (bool, time.Time, error) {
	var blockedSince time.Time
	err := d.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, d.q("ReserveLogin-lock")); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, d.q("ReserveLogin-prune"), timeText(since)); err != nil {
			return err
		}
		for _, l := range limits {
			var (
				n      int
				oldest string
			)
			if err := tx.QueryRowContext(ctx, d.q("ReserveLogin-count"), l.Key, timeText(since)).Scan(&n, &oldest); err != nil {
				return err
			}
			if n < l.Max {
				continue
			}
			t, err := parseTime(oldest)
			if err != nil {
				return err
			}
			if blockedSince.IsZero() || t.After(blockedSince) {
				blockedSince = t
			}
		}
		if !blockedSince.IsZero() {
			return nil
		}
		for _, l := range limits {
			if _, err := tx.ExecContext(ctx, d.q("ReserveLogin-insert"), l.Key, timeText(at), attempt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, time.Time{}, fmt.Errorf("reserve login attempt: %w", err)
	}
	return blockedSince.IsZero(), blockedSince, nil
}

func (d *db) ReleaseLogin(ctx context.Context, attempt string) error {
	if _, err := d.w.ExecContext(ctx, d.q("ReleaseLogin"), attempt); err != nil {
		return fmt.Errorf("release login attempt: %w", err)
	}
	return nil
}

func (d *db) KnownLoginNetwork(ctx context.Context, account, network string, since time.Time) (bool, error) {
	var n int
	if err := d.r.QueryRowContext(ctx, d.q("KnownLoginNetwork"), account, network, timeText(since)).Scan(&n); err != nil {
		return false, fmt.Errorf("known login network: %w", err)
	}
	return n > 0, nil
}

func (d *db) RememberLoginNetwork(ctx context.Context, account, network string, at time.Time) error {
	if _, err := d.w.ExecContext(ctx, d.q("RememberLoginNetwork"), account, network, timeText(at)); err != nil {
		return fmt.Errorf("remember login network: %w", err)
	}
	return nil
}
