package admin

import (
	"errors"
	"net/http"
	"strings"

	"github.com/charte/charte/internal/httpx"
)

// readJSON decodes the body into v, refusing unknown fields and trailing
// data, so a misspelt field is an error rather than silently ignored; its
// errors name the field, never a Go type (httpx.DecodeJSON). The body is already
// bounded by the back office's MaxBytesReader, whose 413 this keeps.
func readJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &httpError{status: http.StatusUnsupportedMediaType, key: "error.json", args: []any{"Reason", "Content-Type must be application/json"}}
	}
	if err := httpx.DecodeJSON(r.Body, maxJSONBody, v); err != nil {
		var e *httpx.JSONError
		if errors.As(err, &e) && e.Status == http.StatusRequestEntityTooLarge {
			return &httpError{status: e.Status, key: "error.toolarge"}
		} else if errors.As(err, &e) {
			return &httpError{status: e.Status, key: "error.json", args: []any{"Reason", e.Message}, field: e.Field}
		}
		return err
	}
	return nil
}

// maxJSONBody is the back office's body limit (admin.go), for bodies read
// without it (tests calling handlers directly).
const maxJSONBody = 4 << 20
