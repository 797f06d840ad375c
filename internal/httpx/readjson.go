// ReadJSON and DecodeJSON read the JSON body of an API request the one way
// every handler of charte does: bounded, one object, no unknown fields, and errors
// a client can act on, naming the field. encoding/json's own messages name
// Go types ("cannot unmarshal array into Go value of type
// web.consentRequest"): internals that mean nothing to the client, never
// shown.
package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSONError is a body the client must fix: Status is 400 (not JSON, wrong
// types, unknown fields), 413 (too large) or 422 (text that is not UTF-8);
// Field is the path of the offending field ("decisions.marketing"), empty
// when the body as a whole is at fault.
type JSONError struct {
	Status  int
	Field   string
	Message string
}

func (e *JSONError) Error() string { return e.Message }

func failJSON(status int, field, format string, args ...any) *JSONError {
	return &JSONError{Status: status, Field: field, Message: fmt.Sprintf(format, args...)}
}

// DecodeJSON reads body, at most limit bytes, into v, which points to a struct.
// The error is always an *JSONError.
func DecodeJSON(body io.Reader, limit int64, v any) error {
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || int64(len(data)) > limit:
		return failJSON(http.StatusRequestEntityTooLarge, "", "the body is larger than %d bytes", limit)
	case err != nil:
		return failJSON(http.StatusBadRequest, "", "could not read the body")
	}
	return UnmarshalJSON(data, v)
}

// UnmarshalJSON is DecodeJSON of a body already read.
func UnmarshalJSON(data []byte, v any) error {
	// encoding/json silently turns invalid UTF-8 into U+FFFD: the text
	// would be stored altered. JSON is UTF-8 (RFC 8259), so it is refused,
	// naming the field the bad bytes are in.
	if !utf8.Valid(data) {
		field := fieldAt(data, invalidAt(data))
		return failJSON(http.StatusUnprocessableEntity, field, "%s is not valid UTF-8 text", orBody(field))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describe(err, v)
	}
	if _, err := dec.Token(); err != io.EOF {
		return failJSON(http.StatusBadRequest, "", "unexpected data after the JSON object")
	}
	return nil
}

func orBody(field string) string {
	if field == "" {
		return "the body"
	}
	return field
}

// describe turns a decoding error into words about the request, not Go.
func describe(err error, v any) *JSONError {
	var (
		te   *json.UnmarshalTypeError
		se   *json.SyntaxError
		want = "a JSON object"
	)
	if t := reflect.TypeOf(v); t != nil && t.Kind() == reflect.Pointer {
		want = kind(t.Elem())
	}
	switch {
	case errors.As(err, &te) && te.Field != "":
		// The decoder names the map or array, not the entry in it.
		if ft := fieldType(reflect.TypeOf(v), te.Field); ft != nil && ft != te.Type &&
			(ft.Kind() == reflect.Map || ft.Kind() == reflect.Slice) {
			return failJSON(http.StatusBadRequest, te.Field, "each entry of %s must be %s, not %s", te.Field, kind(te.Type), te.Value)
		}
		return failJSON(http.StatusBadRequest, te.Field, "%s must be %s, not %s", te.Field, kind(te.Type), te.Value)
	case errors.As(err, &te):
		return failJSON(http.StatusBadRequest, "", "the body must be %s, not %s", want, te.Value)
	case errors.As(err, &se):
		return failJSON(http.StatusBadRequest, "", "the body is not valid JSON (at byte %d)", se.Offset)
	case errors.Is(err, io.EOF):
		return failJSON(http.StatusBadRequest, "", "the body is empty: send %s", want)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return failJSON(http.StatusBadRequest, "", "the body ends in the middle of the JSON value")
	}
	// The decoder's remaining errors carry no type: unknown fields, and
	// strings for ",string" fields.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if f, uerr := strconv.Unquote(name); uerr == nil {
			return failJSON(http.StatusBadRequest, f, "unknown field %q", f)
		}
	}
	return failJSON(http.StatusBadRequest, "", "the body is not %s", want)
}

// fieldType follows a dotted JSON path through t's struct fields.
func fieldType(t reflect.Type, path string) reflect.Type {
	for name := range strings.SplitSeq(path, ".") {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			t = t.Elem()
		}
		if t == nil || t.Kind() != reflect.Struct {
			return nil
		}
		var next reflect.Type
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == name || tag == "" && strings.EqualFold(f.Name, name) {
				next = f.Type
				break
			}
		}
		t = next
	}
	return t
}

// kind names what a Go type holds as JSON does.
func kind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return kind(t.Elem())
	default: // structs, maps, interfaces
		return "a JSON object"
	}
}

// invalidAt is the offset of the first byte of data that is not UTF-8.
func invalidAt(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// fieldAt is the path of the value (or key) covering offset off of a JSON
// document, "" when off is outside any field or the document does not
// parse up to there.
func fieldAt(data []byte, off int) string {
	type frame struct {
		object bool
		key    string
		index  int
		// wantKey: in an object, the next string is a key.
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var parts []string
		for _, f := range stack {
			if f.object {
				parts = append(parts, f.key)
			} else {
				parts = append(parts, strconv.Itoa(f.index))
			}
		}
		return strings.Join(parts, ".")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		end := int(dec.InputOffset())
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].wantKey = true
			}
			continue
		}
		if top != nil && top.object && top.wantKey {
			top.key, _ = tok.(string)
			top.wantKey = false
			if end > off {
				return path() // the bad bytes are in the key itself
			}
			continue
		}
		if top != nil && !top.object {
			top.index++ // a new element of the array begins
		}
		if end > off && top != nil {
			return path()
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{index: -1})
			continue
		}
		if top != nil && top.object {
			top.wantKey = true
		}
	}
}
