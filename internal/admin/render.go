package admin

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// languages are those a site's texts are edited in, in the forms.
var languages = []string{"fr", "en"}

// officeLanguages are those the back office speaks: its catalogue's
// (internal/i18n/locales/admin).
var officeLanguages = i18n.AdminLanguages()

// httpError is an error the operator should read: a status and a message
// key, translated when rendered.
type httpError struct {
	status int
	key    string
	args   []any // pairs of argument name and value
	header http.Header
	// field names the input at fault, for {"error","field"} API answers.
	field string
	// problems are the registry's validation problems: an API answer lists
	// them (English messages, with their codes and arguments); the error's
	// own text words the first in the operator's language.
	problems registry.Problems
	// worded is the problem the message names as its {{.Problem}}, worded
	// in the language of the answer.
	worded *registry.Problem
}

func (e *httpError) Error() string { return e.text("en") }

// text is the error's message in lang.
func (e *httpError) text(lang string) string {
	args := e.args
	if e.worded != nil {
		args = append(slices.Clip(args), "Problem", problemText(lang, *e.worded))
	}
	return msg(lang, e.key, args...)
}

func errorf(status int, key string, args ...any) *httpError {
	return &httpError{status: status, key: key, args: args}
}

// lang is the language of a back-office response: django_language, then
// Accept-Language, among the back office's languages. Someone who asked
// for another (a Polish browser, Occitan chosen on a charter) reads
// English; a request that asks for nothing, French (charte's first
// audience).
func lang(r *http.Request) string {
	var explicit []string
	if c, err := r.Cookie(auth.LanguageCookie); err == nil && c.Value != "" {
		explicit = append(explicit, c.Value)
	}
	accept := r.Header.Get("Accept-Language")
	fallback := "fr"
	if len(explicit) > 0 || strings.TrimSpace(accept) != "" {
		fallback = "en"
	}
	return i18n.Negotiate(officeLanguages, fallback, explicit, accept)
}

// fail is the one renderer of errors: JSON under /api/, a page elsewhere.
// Errors not meant for the operator are logged and shown as a bare 500.
func (a *Admin) fail(w http.ResponseWriter, r *http.Request, err error) {
	l := lang(r)
	status, text := http.StatusInternalServerError, msg(l, "error.internal")
	var he *httpError
	var ce *auth.CSRFError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		status, text = he.status, he.text(l)
		for k, v := range he.header {
			w.Header()[k] = v
		}
	case errors.Is(err, auth.ErrBusy):
		// Every hashing slot is taken (auth/hasher.go): the client may retry
		// in a second, and this answer cost no hash.
		status, text = http.StatusServiceUnavailable, msg(l, "error.busy")
		w.Header().Set("Retry-After", "1")
	case errors.Is(err, auth.ErrBadToken):
		status, text = http.StatusUnauthorized, msg(l, "error.token")
	case errors.As(err, &ce):
		status, text = http.StatusForbidden, msg(l, "error.csrf")+" "+i18n.Admin(l, "csrf."+ce.Key, "Origin", ce.Arg, "Referer", ce.Arg)
		a.log.Warn("CSRF check failed", "path", r.URL.Path, "reason", ce.Error(), "ip", a.cfg.ClientAddr.From(r))
	case errors.Is(err, auth.ErrBadForm):
		status, text = http.StatusBadRequest, msg(l, "error.badform")
	case errors.As(err, &mb):
		status, text = http.StatusRequestEntityTooLarge, msg(l, "error.toolarge")
	case errors.Is(err, store.ErrNotFound):
		status, text = http.StatusNotFound, msg(l, "error.notfound")
	default:
		a.log.Error("back office request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		// RFC 9110: every 401 names the scheme that would be accepted.
		w.Header().Set("WWW-Authenticate", `Bearer realm="charte"`)
	}
	if httpx.IsAPI(r) {
		body := httpx.ErrorBody{Error: text}
		if he != nil {
			body.Field = he.field
			if len(he.problems) > 0 {
				body.Problems = he.problems
			}
		}
		httpx.WriteError(w, status, body)
		return
	}
	p := a.newPage(w, r, fmt.Sprintf("%d", status))
	p.Status, p.Message = status, text
	a.renderStatus(w, "error", status, p)
}

// page is what every template receives.
type page struct {
	Lang, Title string
	User        *auth.User
	CSRF        string
	Path        string // this page, for the language selector's next
	Status      int
	Message     string
	Flash       string
	SiteID      string
	Site        *registry.Site
	CanEdit     bool
	Problems    registry.Problems
	Data        any
}

func (a *Admin) newPage(w http.ResponseWriter, r *http.Request, titleKey string) *page {
	p := &page{Lang: lang(r), CSRF: a.csrf.Token(w, r), Path: r.URL.RequestURI(), SiteID: r.PathValue("site")}
	p.Title = msg(p.Lang, titleKey)
	if id, ok := auth.FromContext(r.Context()); ok {
		u := id.User
		p.User = &u
		p.CanEdit = p.SiteID != "" && auth.Can(u, auth.EditSite, p.SiteID)
	}
	if f := r.URL.Query().Get("done"); f != "" && strings.HasPrefix(f, "flash.") {
		p.Flash = msg(p.Lang, f)
	}
	return p
}

func (a *Admin) render(w http.ResponseWriter, name string, p *page) error {
	return a.renderStatus(w, name, http.StatusOK, p)
}

func (a *Admin) renderStatus(w http.ResponseWriter, name string, status int, p *page) error {
	t, ok := a.pages[name]
	if !ok {
		return fmt.Errorf("no template %s", name)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "page", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write([]byte(b.String()))
	return err
}

// parsePages gives each page its own template set: layout.html plus the
// page, so every page may define "content" and "title" freely.
func parsePages(assetURL func(string) string) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"t": func(lang, key string) string { return msg(lang, key) },
		// tf fills named arguments: tf $.Lang "delete.ask" "Name" .Name;
		// a "Count" argument picks a plural message's form.
		"tf":    msg,
		"asset": assetURL,
		"text":  func(t registry.Text, l string) string { return t[l] },
		// A lifetime in words, with the language's plurals.
		"lifetime": func(l registry.Lifetime, lang string) string { return l.Localize(i18n.Lifetimes(lang)) },
		"date":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") + " UTC" },
		"join":     strings.Join,
		"has": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
		"problems":  problemsAt,
		"problem":   problemText,
		"decisions": decisions,
		"detail":    detailText,
		"langs":     func() []string { return languages },
		// The back office's own languages, each named in itself.
		"officeLangs": func() []string { return officeLanguages },
		"langName":    i18n.AdminName,
		"mod":         func(a, b int) int { return a % b },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

func (a *Admin) Static(w http.ResponseWriter, r *http.Request) error {
	if !a.assets.Serve(w, r, r.PathValue("file")) {
		return errorf(http.StatusNotFound, "error.notfound")
	}
	return nil
}
