package proxy

import (
	"mime"
	"strings"
	"testing"
)

// TestIsUTF16 checks the shortcut gives what parsing the header gives.
func TestIsUTF16(t *testing.T) {
	for _, ct := range []string{
		"text/html", "text/html; charset=utf-8", "text/html;charset=UTF-16", "text/html; charset=utf-16le",
		`text/html; charset="UTF-16BE"`, `text/html; charset="utf\-16"`, "text/html; charset*=utf-8''utf%2D16",
		"text/html; charset*=''UTF%2d16LE", "text/html; name=utf-16; charset=utf-8", "text/html; charset=utf-16; charset=utf-8",
		"TEXT/HTML; CHARSET=UTF-16", "text/html; charset=utf-1", "text/html; charset=", "text/html; ;;", "", "utf-16",
	} {
		_, params, err := mime.ParseMediaType(ct)
		want := err == nil && strings.HasPrefix(strings.ToLower(params["charset"]), "utf-16")
		if got := isUTF16(ct); got != want {
			t.Errorf("isUTF16(%q) = %v, parsing gives %v", ct, got, want)
		}
	}
	// Every HTML page asks: the usual header must cost no allocation.
	if n := testing.AllocsPerRun(100, func() { isUTF16("text/html; charset=utf-8") }); n != 0 {
		t.Errorf("isUTF16 allocates %.0f times for text/html; charset=utf-8", n)
	}
}

func FuzzIsUTF16(f *testing.F) {
	f.Add("text/html; charset=utf-16")
	f.Add(`text/html; charset*=''utf%2D16`)
	f.Fuzz(func(t *testing.T, ct string) {
		_, params, err := mime.ParseMediaType(ct)
		want := err == nil && strings.HasPrefix(strings.ToLower(params["charset"]), "utf-16")
		if got := isUTF16(ct); got != want {
			t.Fatalf("isUTF16(%q) = %v, parsing gives %v", ct, got, want)
		}
	})
}
