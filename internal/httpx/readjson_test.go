package httpx_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/charte/charte/internal/httpx"
)

type inner struct {
	Tags []string `json:"tags"`
}

type body struct {
	Name      string          `json:"name"`
	Count     int             `json:"count"`
	On        bool            `json:"on"`
	Decisions map[string]bool `json:"decisions"`
	Inner     inner           `json:"inner"`
	List      []inner         `json:"list"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		status int
		field  string
		msg    string
	}{
		{"ok", `{"name":"a","count":2,"on":true,"decisions":{"x":false}}`, 0, "", ""},
		{"ok with a trailing newline", "{\"name\":\"é\"}\n", 0, "", ""},
		{"string for a bool", `{"on":"yes"}`, 400, "on", "on must be true or false, not string"},
		{"number for a string", `{"name":12}`, 400, "name", "name must be a string, not number"},
		{"string for an integer", `{"count":"2"}`, 400, "count", "count must be an integer"},
		{"fraction for an integer", `{"count":2.5}`, 400, "count", "count must be an integer"},
		{"string in a map of bools", `{"decisions":{"x":"true"}}`, 400, "decisions", "each entry of decisions must be true or false, not string"},
		{"string in an array of strings", `{"inner":{"tags":["a",2]}}`, 400, "inner.tags", "each entry of inner.tags must be a string, not number"},
		{"array for an object", `{"inner":[]}`, 400, "inner", "inner must be a JSON object, not array"},
		{"nested type error", `{"list":[{"tags":[1]}]}`, 400, "list.tags", "must be a string"},
		{"array body", `[]`, 400, "", "the body must be a JSON object, not array"},
		{"string body", `"x"`, 400, "", "the body must be a JSON object, not string"},
		{"unknown field", `{"nmae":"a"}`, 400, "nmae", `unknown field "nmae"`},
		{"syntax", `{"name":}`, 400, "", "not valid JSON"},
		{"empty", ``, 400, "", "empty"},
		{"cut", `{"name":"a"`, 400, "", "ends in the middle"},
		{"trailing data", `{"name":"a"} {}`, 400, "", "after the JSON object"},
		{"too large", `{"name":"` + strings.Repeat("a", 100) + `"}`, 413, "", "larger than 64 bytes"},
		{"invalid UTF-8 in a value", "{\"name\":\"a\xffb\"}", 422, "name", "name is not valid UTF-8"},
		{"overlong in a map value key", "{\"decisions\":{\"a\xc0\xafb\":true}}", 422, "decisions.a\ufffd\ufffdb", "not valid UTF-8"},
		{"invalid UTF-8 in an array", "{\"list\":[{},{\"tags\":[\"ok\",\"\xed\xa0\x80\"]}]}", 422, "list.1.tags.1", "not valid UTF-8"},
		{"invalid UTF-8 in a key", "{\"n\xffame\":1}", 422, "n\ufffdame", "not valid UTF-8"},
		{"invalid UTF-8 outside any field", "\xff{}", 422, "", "the body is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v body
			err := httpx.DecodeJSON(strings.NewReader(tt.body), 64, &v)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("Decode = %v, want nil", err)
				}
				return
			}
			var e *httpx.JSONError
			if !errors.As(err, &e) {
				t.Fatalf("Decode = %v, want a *httpx.JSONError", err)
			}
			if e.Status != tt.status || e.Field != tt.field || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("Decode = %d %q %q, want %d %q containing %q", e.Status, e.Field, e.Message, tt.status, tt.field, tt.msg)
			}
			// What the client reads never names a Go type or package.
			for _, internal := range []string{"httpx", "Go value", "Go struct", "main.", "map[", "json:"} {
				if strings.Contains(e.Message, internal) {
					t.Errorf("message %q names internals (%s)", e.Message, internal)
				}
			}
		})
	}
}

// A body cut short by http.MaxBytesReader is a 413 like one over the limit.
func TestDecodeMaxBytesReader(t *testing.T) {
	r := http.MaxBytesReader(nil, nopCloser{strings.NewReader(`{"name":"abcdef"}`)}, 5)
	var v body
	var e *httpx.JSONError
	if err := httpx.DecodeJSON(r, 1000, &v); !errors.As(err, &e) || e.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("Decode = %v, want 413", err)
	}
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// FuzzDecode: whatever the body, Decode returns nil or an *Error with a
// client status, never a message naming Go internals, and never panics
// (fieldAt walks arbitrary bytes).
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"name":"a"}`, `{"decisions":{"x":true}}`, "{\"list\":[{\"tags\":[\"\xff\"]}]}",
		`[1,2]`, `{"on":"x"}`, "\xc0\xaf", `{"a":`, `{"inner":{"tags":[[[]]]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v body
		err := httpx.UnmarshalJSON(data, &v)
		if err == nil {
			return
		}
		var e *httpx.JSONError
		if !errors.As(err, &e) {
			t.Fatalf("Unmarshal(%q) = %T %v", data, err, err)
		}
		if e.Status < 400 || e.Status > 499 {
			t.Fatalf("Unmarshal(%q) status %d", data, e.Status)
		}
		if strings.Contains(e.Message, "Go ") || strings.Contains(e.Message, "httpx") {
			t.Fatalf("Unmarshal(%q) message %q names internals", data, e.Message)
		}
	})
}
