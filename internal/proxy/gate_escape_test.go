package proxy

import (
	"html"
	"testing"
)

// FuzzAppendAttr checks a rewritten tag's attribute values are escaped as
// html.EscapeString escapes them, whatever the bytes.
func FuzzAppendAttr(f *testing.F) {
	for _, v := range []string{"", "https://www.facebook.com/tr?id=1&ev=PageView", `a"b'c<d>e&f`, "&&&", "é<\x00>"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, val string) {
		want := ` data-src="` + html.EscapeString(val) + `"`
		if got := string(appendAttr(nil, "DATA-SRC", val)); got != want {
			t.Fatalf("appendAttr(%q) = %s, want %s", val, got, want)
		}
		if got := string(appendAttr(nil, []byte("data-src"), []byte(val))); got != want {
			t.Fatalf("appendAttr(%q) in bytes = %s, want %s", val, got, want)
		}
	})
}
