// Package hostile holds the strings tests send where the server expects
// text: each one broke, or could break, a request that stores or looks up
// text (PostgreSQL refuses NUL and invalid UTF-8 with an error that became a
// 500). Tests feed every one of them to every text field they cover.
package hostile

import (
	"fmt"
	"strings"
)

// Case is a hostile string and what it tries.
type Case struct {
	Name  string
	Value string
}

// Texts are strings no text field may accept: control characters and byte
// sequences that are not UTF-8. Each is embedded in otherwise ordinary text,
// so a check on the first or last byte only does not pass them.
var Texts = []Case{
	{"NUL", "a\x00b"},
	{"NUL alone", "\x00"},
	{"NUL at the end", "abc\x00"},
	{"SOH", "a\x01b"},
	{"BEL", "a\x07b"},
	{"backspace", "a\bb"},
	{"escape", "a\x1b[31mb"},
	{"unit separator", "a\x1fb"},
	{"DEL", "a\x7fb"},
	{"C1 NEL", "a\u0085b"},
	{"C1 CSI", "a\u009bb"},
	{"invalid byte", "a\xffb"},
	{"lone continuation byte", "a\x80b"},
	{"truncated sequence", "a\xc3"},
	{"overlong slash", "a\xc0\xafb"},
	{"overlong NUL", "a\xc0\x80b"},
	{"overlong three bytes", "a\xe0\x80\xafb"},
	{"surrogate half", "a\xed\xa0\x80b"},
	{"beyond U+10FFFF", "a\xf4\x90\x80\x80b"},
}

// Lines are the control characters multiline text may hold: a field that
// takes one line must refuse them, a multiline one accept them.
var Lines = []Case{
	{"line feed", "a\nb"},
	{"carriage return", "a\r\nb"},
	{"tab", "a\tb"},
}

// Fine are unusual strings every text field must accept: refusing them
// would be a check too broad.
var Fine = []Case{
	{"accents", "Cookies nécessaires"},
	{"emoji", "ok 🍪"},
	{"right-to-left", "ملفات تعريف الارتباط"},
	{"replacement character", "a\ufffdb"},
	{"non-breaking space", "a\u00a0b"},
}

// JSON writes s as a JSON string, escaping what JSON requires but leaving
// bytes that are not UTF-8 as they are: encoding/json would turn them into
// U+FFFD, and the point is to send them.
func JSON(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, "\\u%04x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
