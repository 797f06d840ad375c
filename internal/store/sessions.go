package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (d *db) CreateSession(ctx context.Context, s Session) error {
	_, err := d.w.ExecContext(ctx, d.q("CreateSession"), s.IDHash, s.UserID, timeText(s.CreatedAt),
		timeText(s.ExpiresAt), s.IP, s.UserAgent)
	if err != nil {
		return fmt.Errorf("create session for user %d: %w", s.UserID, err)
	}
	return nil
}

// Session compares expiry in SQL, so an expired session is simply absent
// and no caller can forget the check.
func (d *db) Session(ctx context.Context, idHash string, now time.Time) (Session, User, error) {
	var (
		s                User
		sess             Session
		created, expires string
		userCreated      string
	)
	err := d.r.QueryRowContext(ctx, d.q("Session"), idHash, timeText(now)).Scan(&sess.IDHash, &sess.UserID,
		&created, &expires, &sess.IP, &sess.UserAgent, &s.ID, &s.Email, &s.PasswordHash, &s.Role, &userCreated)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, fmt.Errorf("session: %w", ErrNotFound)
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
		return Session{}, User{}, fmt.Errorf("session: %w", err)
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

// Login failures live in the database rather than in memory so that every
// node behind a load balancer counts the same attempts.
func (d *db) AddLoginFailure(ctx context.Context, keys []string, at, prune time.Time) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, d.q("AddLoginFailure-prune"), timeText(prune)); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, d.q("AddLoginFailure"), k, timeText(at)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return nil
}

func (d *db) LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var (
		n      int
		oldest string
	)
	if err := d.r.QueryRowContext(ctx, d.q("LoginFailures"), key, timeText(since)).Scan(&n, &oldest); err != nil {
		return 0, time.Time{}, fmt.Errorf("login failures: %w", err)
	}
	t, err := parseTime(oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("login failures: %w", err)
	}
	return n, t, nil
}

func (d *db) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := d.w.ExecContext(ctx, d.q("ClearLoginFailures"), key); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}
