package admin

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/store/storetest"
)

// No hashing slot cannot be made to happen on demand through HTTP (the
// slots are the process's), so the answer to auth.ErrBusy is tested here:
// a quick 503 the client may retry in a second, in its language, as a page
// or as JSON.
func TestFailBusy(t *testing.T) {
	a, err := New(Config{}, storetest.New(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, lang, says string
	}{
		{"/admin/login", "fr", "Trop de connexions en cours"},
		{"/admin/login", "en", "Too many sign-ins at once"},
		{"/admin/password", "en", "Too many sign-ins at once"},
		{"/api/v1/sites", "en", `"error":"Too many sign-ins at once`},
	}
	for _, tc := range tests {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", tc.path, nil)
		r.Header.Set("Accept-Language", tc.lang)
		a.fail(w, r, fmt.Errorf("verify: %w", auth.ErrBusy))
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" || !strings.Contains(w.Body.String(), tc.says) {
			t.Errorf("%s (%s): %d, Retry-After %q, body %.200q; want 503, 1, %q", tc.path, tc.lang, w.Code, w.Header().Get("Retry-After"), w.Body.String(), tc.says)
		}
	}
}

// The back office speaks its five languages; one it lacks gets English,
// no preference at all French.
func TestLang(t *testing.T) {
	for _, tt := range []struct{ cookie, accept, want string }{
		{"", "", "fr"},
		{"", "de-DE,de;q=0.9", "de"},
		{"", "es-MX", "es"},
		{"", "it", "it"},
		{"", "pl-PL,pl;q=0.9", "en"},
		{"", "en-GB", "en"},
		{"it", "de", "it"},
		{"pl", "", "en"},
		{"oc", "fr-FR", "fr"},
		{"ar", "pl", "en"},
	} {
		r := httptest.NewRequest("GET", "/admin/", nil)
		if tt.cookie != "" {
			r.AddCookie(&http.Cookie{Name: auth.LanguageCookie, Value: tt.cookie})
		}
		if tt.accept != "" {
			r.Header.Set("Accept-Language", tt.accept)
		}
		if got := lang(r); got != tt.want {
			t.Errorf("django_language %q, Accept-Language %q: %s, want %s", tt.cookie, tt.accept, got, tt.want)
		}
	}
}
