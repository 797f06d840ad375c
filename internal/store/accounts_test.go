package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

func TestUsers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		sites := demoSites(t)
		for _, site := range sites {
			if err := s.SaveSite(ctx, registry.MustCheck(site)); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("CountUsers on a new database = %d, %v; want 0", n, err)
		}
		owner, err := s.CreateUser(ctx, auth.User{Email: " Owner@Example.ORG ", PasswordHash: "h1", Role: "owner"})
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if owner.ID == 0 || owner.Email != "owner@example.org" || owner.CreatedAt.IsZero() || owner.Sites != nil {
			t.Errorf("created owner = %+v, want an id, the email lower-cased, a date and no site", owner)
		}
		editor, err := s.CreateUser(ctx, auth.User{Email: "ed@example.org", PasswordHash: "h2", Role: "editor",
			Sites: []string{sites[1].ID, sites[0].ID, sites[1].ID}})
		if err != nil {
			t.Fatalf("CreateUser editor: %v", err)
		}
		want := []string{sites[0].ID, sites[1].ID}
		if !reflect.DeepEqual(editor.Sites, sortedCopy(want)) {
			t.Errorf("editor sites = %v, want %v", editor.Sites, sortedCopy(want))
		}

		refused := []struct {
			name string
			u    auth.User
			want error
		}{
			{"taken email, other case", auth.User{Email: "OWNER@example.org", PasswordHash: "x", Role: "admin"}, store.ErrExists},
			{"unknown site", auth.User{Email: "v@example.org", PasswordHash: "x", Role: "viewer", Sites: []string{sites[0].ID, "nope"}}, store.ErrNotFound},
		}
		for _, tc := range refused {
			if _, err := s.CreateUser(ctx, tc.u); !errors.Is(err, tc.want) {
				t.Errorf("%s: CreateUser err = %v, want %v", tc.name, err, tc.want)
			}
		}
		// The refused viewer left nothing behind, not even a partial grant.
		if _, err := s.UserByEmail(ctx, "v@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("refused user was stored: err = %v", err)
		}
		if n, _ := s.CountUsers(ctx); n != 2 {
			t.Errorf("CountUsers = %d, want 2", n)
		}

		got, err := s.UserByEmail(ctx, "ED@example.org")
		if err != nil || !reflect.DeepEqual(got, editor) {
			t.Errorf("UserByEmail = %+v, %v; want %+v", got, err, editor)
		}
		if err := s.SetUserRole(ctx, editor.ID, "viewer", []string{sites[0].ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserRole(ctx, editor.ID, "admin", []string{"nope"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetUserRole with an unknown site: err = %v, want ErrNotFound", err)
		}
		list, err := s.ListUsers(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("ListUsers = %+v, %v", list, err)
		}
		if list[0].Email != "ed@example.org" || list[0].Role != "viewer" || !reflect.DeepEqual(list[0].Sites, []string{sites[0].ID}) {
			t.Errorf("ListUsers[0] = %+v, want the viewer of %s only (a failed change changes nothing)", list[0], sites[0].ID)
		}
		if err := s.DeleteUser(ctx, editor.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, editor.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting twice: err = %v, want ErrNotFound", err)
		}
	})
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestSessions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, auth.User{Email: "a@example.org", PasswordHash: "old", Role: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		for _, h := range []string{"live-1", "live-2"} {
			if err := s.CreateSession(ctx, auth.Session{IDHash: h, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour), IP: "192.0.2.1", UserAgent: "test"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateSession(ctx, auth.Session{IDHash: "old", UserID: u.ID, CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			hash  string
			at    time.Time
			found bool
		}{
			{"live-1", now, true},
			{"live-1", now.Add(time.Hour), false}, // expiry is exclusive
			{"old", now, false},
			{"unknown", now, false},
		}
		for _, tc := range tests {
			sess, user, err := s.Session(ctx, tc.hash, tc.at)
			if tc.found && (err != nil || sess.UserID != u.ID || user.Email != u.Email || sess.IP != "192.0.2.1") {
				t.Errorf("Session(%s, %v) = %+v, %+v, %v; want the session of %s", tc.hash, tc.at, sess, user, err, u.Email)
			}
			if !tc.found && !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Session(%s, %v) err = %v, want ErrNotFound", tc.hash, tc.at, err)
			}
		}
		if err := s.DeleteSession(ctx, "live-1"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Session(ctx, "live-1", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted session still found: %v", err)
		}
		// A new password ends every session of the user.
		if err := s.SetPassword(ctx, u.ID, "new"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Session(ctx, "live-2", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session survived a password change: %v", err)
		}
		if got, _ := s.UserByID(ctx, u.ID); got.PasswordHash != "new" {
			t.Errorf("password hash = %q, want new", got.PasswordHash)
		}
		if err := s.DeleteExpiredSessions(ctx, now); err != nil {
			t.Fatal(err)
		}
	})
}

func TestReserveLogin(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		window := 15 * time.Minute
		limits := []auth.LoginLimit{{Key: "acct:a", Max: 3}, {Key: "net:192.0.2.0/24", Max: 4}}
		steps := []struct {
			at      time.Duration
			attempt string
			limits  []auth.LoginLimit
			ok      bool
			oldest  time.Duration // when refused: the oldest attempt of the full key
		}{
			{0, "a1", limits, true, 0},
			{time.Minute, "a2", limits, true, 0},
			{2 * time.Minute, "a3", limits, true, 0},
			// acct:a is full (3): refused, and its rows do not count.
			{3 * time.Minute, "a4", limits, false, 0},
			{4 * time.Minute, "a5", limits, false, 0},
			// Another account on the network: the fourth network attempt.
			{5 * time.Minute, "b1", []auth.LoginLimit{{Key: "acct:b", Max: 3}, limits[1]}, true, 0},
			// Now the network is full too, for any account.
			{6 * time.Minute, "c1", []auth.LoginLimit{{Key: "acct:c", Max: 3}, limits[1]}, false, 0},
			// a1 left the window: acct:a has room again, the network still
			// has a2, a3, b1 and the new one.
			{15*time.Minute + time.Second, "a6", limits, true, 0},
			{15*time.Minute + 2*time.Second, "a7", limits, false, time.Minute},
		}
		for _, st := range steps {
			at := t0.Add(st.at)
			ok, oldest, err := s.ReserveLogin(ctx, st.attempt, st.limits, at, at.Add(-window))
			if err != nil {
				t.Fatal(err)
			}
			if ok != st.ok || (!ok && st.oldest != 0 && !oldest.Equal(t0.Add(st.oldest))) {
				t.Errorf("attempt %s at +%v: ok %v, oldest %v; want ok %v, oldest +%v", st.attempt, st.at, ok, oldest.Sub(t0), st.ok, st.oldest)
			}
			if !ok && oldest.IsZero() {
				t.Errorf("attempt %s refused without the oldest attempt to wait for", st.attempt)
			}
		}
		// A success releases its own attempt only: the network's other
		// attempts stay counted.
		at := t0.Add(15*time.Minute + 3*time.Second)
		if err := s.ReleaseLogin(ctx, "a6"); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := s.ReserveLogin(ctx, "a8", limits, at, at.Add(-window)); !ok {
			t.Errorf("after releasing a6, a8 is refused")
		}
		if ok, _, _ := s.ReserveLogin(ctx, "a9", limits, at, at.Add(-window)); ok {
			t.Errorf("a9 allowed beyond the limits: releasing one attempt released others")
		}
	})
}

// TestReserveLoginConcurrent: 100 attempts at once for one key, on two
// stores sharing a database (two nodes), never get more than Max allowed.
func TestReserveLoginConcurrent(t *testing.T) {
	storetest.EmptyEngines(t, func(t *testing.T, dsn string) {
		if strings.HasPrefix(dsn, "sqlite:") {
			dsn = "sqlite:" + filepath.Join(t.TempDir(), "two-nodes.db")
		}
		ctx := context.Background()
		var nodes [2]store.Store
		for i := range nodes {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if i == 0 {
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			nodes[i] = s
		}
		const max = 5
		now := time.Now()
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, _, err := nodes[i%2].ReserveLogin(ctx, fmt.Sprint("attempt-", i),
					[]auth.LoginLimit{{Key: "acct:victim", Max: max}}, now, now.Add(-time.Hour))
				if err != nil {
					t.Error(err)
				}
				if ok {
					allowed.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := allowed.Load(); n != max {
			t.Errorf("%d of 100 concurrent attempts allowed; want %d", n, max)
		}
	})
}

func TestAudit(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		entries := []auth.AuditEntry{
			{Time: at, Email: "a@example.org", SiteID: "demo", Action: "publish", Detail: map[string]any{"revision": "abc"}, IP: "192.0.2.1"},
			{Time: at, Email: "a@example.org", Action: "user.create", IP: "192.0.2.1"},
			{Time: at, Email: "b@example.org", SiteID: "opendata-pau", Action: "cookie.update", IP: "192.0.2.2"},
			{Time: at, Email: "b@example.org", SiteID: "demo", Action: "settings.update", IP: "192.0.2.2"},
		}
		for _, e := range entries {
			if err := s.AppendAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		actions := func(es []auth.AuditEntry) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.Action)
			}
			return out
		}
		all, err := s.Audit(ctx, store.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			q    store.AuditQuery
			want []string
		}{
			{"all, newest first", store.AuditQuery{}, []string{"settings.update", "cookie.update", "user.create", "publish"}},
			{"one site", store.AuditQuery{SiteID: "demo"}, []string{"settings.update", "publish"}},
			{"a page", store.AuditQuery{Limit: 2}, []string{"settings.update", "cookie.update"}},
			{"the next page", store.AuditQuery{Limit: 2, Before: all[1].ID}, []string{"user.create", "publish"}},
		}
		for _, tc := range tests {
			got, err := s.Audit(ctx, tc.q)
			if err != nil || !reflect.DeepEqual(actions(got), tc.want) {
				t.Errorf("%s: Audit = %v, %v; want %v", tc.name, actions(got), err, tc.want)
			}
		}
		last := all[len(all)-1]
		if last.Detail["revision"] != "abc" || !last.Time.Equal(at) || last.IP != "192.0.2.1" || last.Email != "a@example.org" {
			t.Errorf("stored entry = %+v, want the publish entry as given", last)
		}
	})
}
