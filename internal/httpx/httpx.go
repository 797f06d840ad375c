// Package httpx holds what every charte handler shares, public or back
// office: the route type of the server's one table, JSON answers, and the
// {error, field} body of every API error.
package httpx

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Handler is an http.Handler that returns its error to one renderer instead
// of writing error responses itself.
type Handler func(w http.ResponseWriter, r *http.Request) error

// IsAPI reports whether r is a JSON API request: everything under /api/.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// WriteJSON answers v with status, indented so a person reading the API with
// curl can follow it. v is encoded before anything is written, so a value
// that cannot be encoded is still a clean 500.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// ErrorBody is the body of every API error, as DESIGN.md has it:
// {"error": "...", "field": "..."}, with the registry's validation problems
// when a change fails them.
type ErrorBody struct {
	Error    string `json:"error"`
	Field    string `json:"field,omitempty"`
	Problems any    `json:"problems,omitempty"`
}

// WriteError answers an API error. Errors are never cached and never
// sniffed as anything but JSON.
func WriteError(w http.ResponseWriter, status int, body ErrorBody) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// The status is sent: a failed write means the client went away.
	_ = json.NewEncoder(w).Encode(body)
}
