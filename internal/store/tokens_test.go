package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func TestTokens(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		tok, err := s.CreateToken(ctx, auth.Token{Name: "ci", Hash: "h1", Role: "viewer", Sites: []string{site.ID, site.ID}, CreatedBy: "cli"})
		if err != nil {
			t.Fatal(err)
		}
		if tok.ID == 0 || !slices.Equal(tok.Sites, []string{site.ID}) {
			t.Errorf("created %+v", tok)
		}
		got, err := s.TokenByHash(ctx, "h1")
		if err != nil || got.Name != "ci" || got.Role != "viewer" || !slices.Equal(got.Sites, []string{site.ID}) || got.CreatedBy != "cli" {
			t.Errorf("TokenByHash: %+v, %v", got, err)
		}
		if _, err := s.TokenByHash(ctx, "unknown"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown hash: %v, want ErrNotFound", err)
		}
		// An unknown site stores nothing.
		if _, err := s.CreateToken(ctx, auth.Token{Name: "bad", Hash: "h2", Role: "viewer", Sites: []string{"nope"}, CreatedBy: "cli"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown site: %v, want ErrNotFound", err)
		}
		if _, err := s.TokenByHash(ctx, "h2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a token with an unknown site was stored")
		}
		if err := s.RevokeToken(ctx, tok.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenByHash(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a revoked token still works: %v", err)
		}
		if err := s.RevokeToken(ctx, tok.ID, time.Now()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking twice: %v, want ErrNotFound", err)
		}
		list, err := s.ListTokens(ctx)
		if err != nil || len(list) != 1 || list[0].RevokedAt.IsZero() || list[0].Name != "ci" {
			t.Errorf("ListTokens: %+v, %v", list, err)
		}
	})
}
