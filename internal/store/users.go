package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charte/charte/internal/auth"
)

// normalEmail is how an email is stored and looked up: one account per
// address, whatever case it is typed in.
func normalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func (d *db) CreateUser(ctx context.Context, u auth.User) (auth.User, error) {
	u.Email = normalEmail(u.Email)
	u.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	err := d.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, d.q("UserByEmail"), u.Email).Scan(&n, new(string), new(string), new(string), new(string)); err == nil {
			return ErrExists
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.QueryRowContext(ctx, d.q("CreateUser"), u.Email, u.PasswordHash, u.Role, timeText(u.CreatedAt)).Scan(&u.ID); err != nil {
			return err
		}
		return d.assignSites(ctx, tx, u.ID, u.Sites)
	})
	if err != nil {
		return auth.User{}, fmt.Errorf("create user %s: %w", u.Email, err)
	}
	return d.UserByID(ctx, u.ID)
}

// assignSites grants sites to a user inside tx; an unknown site fails the
// whole transaction.
func (d *db) assignSites(ctx context.Context, tx *sql.Tx, id int64, sites []string) error {
	seen := map[string]bool{}
	for _, site := range sites {
		if seen[site] {
			continue
		}
		seen[site] = true
		res, err := tx.ExecContext(ctx, d.q("SetUserRole-site"), id, site)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, fmt.Errorf("site %q: %w", site, ErrNotFound))
		}
	}
	return nil
}

func (d *db) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	return d.user(ctx, d.q("UserByEmail"), normalEmail(email))
}

func (d *db) UserByID(ctx context.Context, id int64) (auth.User, error) {
	return d.user(ctx, d.q("UserByID"), id)
}

// user runs query, one of the UserBy queries, with key. Callers pass the
// query text (d.q with a literal name) so the pair test sees every name.
func (d *db) user(ctx context.Context, query string, key any) (auth.User, error) {
	u, err := scanUser(d.r.QueryRowContext(ctx, query, key))
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, fmt.Errorf("user %v: %w", key, ErrNotFound)
	}
	if err == nil {
		u.Sites, err = d.userSites(ctx, u.ID)
	}
	if err != nil {
		return auth.User{}, fmt.Errorf("user %v: %w", key, err)
	}
	return u, nil
}

func (d *db) userSites(ctx context.Context, id int64) ([]string, error) {
	rows, err := d.r.QueryContext(ctx, d.q("UserSites"), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var sites []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		sites = append(sites, s)
	}
	return sites, rows.Err()
}

func scanUser(row scanner) (auth.User, error) {
	var u auth.User
	var created string
	if err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Role, &created); err != nil {
		return u, err
	}
	var err error
	u.CreatedAt, err = parseTime(created)
	return u, err
}

func (d *db) ListUsers(ctx context.Context) ([]auth.User, error) {
	rows, err := d.r.QueryContext(ctx, d.q("ListUsers"))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []auth.User
	index := map[int64]int{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		index[u.ID] = len(users)
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	// One query for every grant rather than one per user.
	grants, err := d.r.QueryContext(ctx, d.q("ListUsers-sites"))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer grants.Close()
	for grants.Next() {
		var id int64
		var site string
		if err := grants.Scan(&id, &site); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		if i, ok := index[id]; ok {
			users[i].Sites = append(users[i].Sites, site)
		}
	}
	if err := grants.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

func (d *db) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := d.r.QueryRowContext(ctx, d.q("CountUsers")).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

func (d *db) SetUserRole(ctx context.Context, id int64, role string, sites []string) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, d.q("SetUserRole"), id, role)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, d.q("SetUserRole-clear"), id); err != nil {
			return err
		}
		return d.assignSites(ctx, tx, id, sites)
	})
	if err != nil {
		return fmt.Errorf("set role of user %d: %w", id, err)
	}
	return nil
}

func (d *db) SetPassword(ctx context.Context, id int64, hash string) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, d.q("SetPassword"), id, hash)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, d.q("SetPassword-sessions"), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	return nil
}

func (d *db) DeleteUser(ctx context.Context, id int64) error {
	if err := mustAffect(d.w.ExecContext(ctx, d.q("DeleteUser"), id)); err != nil {
		return fmt.Errorf("delete user %d: %w", id, err)
	}
	return nil
}

// mustAffect turns an update or delete that matched no row into ErrNotFound.
func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
