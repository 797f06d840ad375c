package auth

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

const (
	LanguageCookie = "django_language"
	// LanguageCookieAge is Django's one year.
	LanguageCookieAge = 365 * 24 * time.Hour
)

// SetLanguage is Django's set_language view: a POST (behind CSRF
// protection) with fields language and next sets django_language and
// redirects to next. Nothing is set for a language charte does not speak.
// The cookie is Secure when charte is served over HTTPS (secure).
func SetLanguage(languages []string, secure bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if lang := r.PostFormValue("language"); slices.Contains(languages, lang) {
			http.SetCookie(w, &http.Cookie{
				Name: LanguageCookie, Value: lang, Path: "/", Secure: secure,
				MaxAge: int(LanguageCookieAge / time.Second), SameSite: http.SameSiteLaxMode,
			})
		}
		next := r.PostFormValue("next")
		if !LocalPath(next) {
			next = "/"
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

// LocalPath reports whether a redirect target stays on this site: an
// absolute path, and not one a browser would read as another host
// ("//evil", "/\evil", or with a tab or newline that browsers strip).
func LocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f {
			return false
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}
