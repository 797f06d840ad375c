package proxy

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The error page speaks the visitor's language first, then French (or
// English for a French reader), each section marked with its language and,
// right to left, its direction.
func TestErrorPageLanguages(t *testing.T) {
	for _, tt := range []struct {
		accept string
		want   []string
	}{
		{"de-DE,de;q=0.9", []string{`<html lang="de">`, `<section lang="de">`, "Website vorübergehend nicht erreichbar", "(Fehler 502)", `<section lang="fr">`, "(erreur 502)"}},
		{"fr", []string{`<html lang="fr">`, `<section lang="en">`, "(error 502)"}},
		{"ar", []string{`<html lang="ar" dir="rtl">`, `<section lang="ar" dir="rtl">`, "الموقع غير متاح مؤقتًا", `<section lang="fr">`}},
		{"pl, ja;q=0.5", []string{`<html lang="pl">`, "(błąd 502)", `<section lang="fr">`}},
	} {
		t.Run(tt.accept, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Language", tt.accept)
			writeErrorPage(w, r, http.StatusBadGateway)
			body := w.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("missing %s", s)
				}
			}
			if n := strings.Count(body, "<section"); n != 2 {
				t.Errorf("%d sections, want 2", n)
			}
		})
	}
}
