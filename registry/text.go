package registry

import (
	"fmt"
	"unicode/utf8"
)

// CheckText says why s cannot be stored and shown as text, or returns nil.
// PostgreSQL refuses NUL bytes and invalid UTF-8 in text columns (SQLite
// stores them), so text that reaches either engine is checked here first,
// where the error can still name the field instead of becoming a 500; the
// other control characters are refused because no registry text, email or
// page path legitimately holds one and they garble logs and exports.
// Multiline text (descriptions, purposes written as YAML blocks) may hold
// line feeds and tabs, and carriage returns from files edited on Windows.
func CheckText(s string, multiline bool) error {
	if d := checkText(s, multiline); d != nil {
		return d
	}
	return nil
}

// checkText is CheckText's reason as a description, for Validate to report
// with its code.
func checkText(s string, multiline bool) *description {
	if !utf8.ValidString(s) {
		return described(CodeTextInvalidUTF, "is not valid UTF-8 text", nil)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		// C0 controls (NUL included), DEL and the C1 controls.
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return described(CodeTextControl, "contains the control character %s", []any{"Char", fmt.Sprintf("U+%04X", r)})
		}
	}
	return nil
}
