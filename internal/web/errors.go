package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/store"
)

// Error is an error a handler wants the visitor to see, with its status and,
// for the JSON API, the request field it is about.
type Error struct {
	Status  int
	Message string
	Field   string
	// Header is added to the response (Retry-After, Allow…).
	Header http.Header
}

func (e *Error) Error() string { return e.Message }

// errorf builds an Error.
func errorf(status int, field, format string, args ...any) *Error {
	return &Error{Status: status, Field: field, Message: fmt.Sprintf(format, args...)}
}

// handler is the shape of every handler: it returns its error to one
// renderer instead of writing error responses itself.
type handler = httpx.Handler

// fail renders err: JSON under /api/, an HTML page elsewhere. Errors that are
// not *Error are logged and shown as a bare 500, never with their text, which
// may hold internals.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	switch {
	case errors.As(err, &e):
	case errors.Is(err, store.ErrNotFound):
		e = &Error{Status: http.StatusNotFound, Message: err.Error()}
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = &Error{Status: http.StatusInternalServerError, Message: "internal error"}
	}
	for k, v := range e.Header {
		w.Header()[k] = v
	}
	if httpx.IsAPI(r) {
		httpx.WriteError(w, e.Status, httpx.ErrorBody{Error: e.Message, Field: e.Field})
		return
	}
	lang := s.lang(r, nil)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.Status)
	if err := s.pages.ExecuteTemplate(w, "error.html", map[string]any{
		"Lang": lang, "Status": e.Status, "Title": statusTitle(lang, e.Status), "Message": e.Message,
	}); err != nil {
		slog.Debug("error page", "err", err)
	}
}

// statusTitle names an error status in lang: the catalogue has the
// statuses charte's public pages answer with; others keep Go's English.
func statusTitle(lang string, status int) string {
	id := "web.status." + strconv.Itoa(status)
	if t := i18n.T(lang, id); t != id {
		return t
	}
	return http.StatusText(status)
}

// serve adapts a handler to net/http, sending its error to the renderer.
func (s *Server) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}
