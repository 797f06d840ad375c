package admin

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// readJSON decodes the body into v, refusing unknown fields and trailing
// data, so a misspelt field is an error rather than silently ignored.
func readJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &httpError{status: http.StatusUnsupportedMediaType, key: "error.json", args: []any{"Content-Type must be application/json"}}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		he := &httpError{status: http.StatusBadRequest, key: "error.json", args: []any{err.Error()}}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			he.field = te.Field
		}
		return he
	}
	if _, err := dec.Token(); err != io.EOF {
		return &httpError{status: http.StatusBadRequest, key: "error.json", args: []any{"data after the JSON value"}}
	}
	return nil
}
