package registry

import (
	"maps"
	"slices"
	"testing"
)

// A problem's arguments are the values of its English message, named, each
// written as the message writes it: what a translation fills in.
func TestProblemArgs(t *testing.T) {
	for _, tt := range []struct {
		name    string
		p       Problem
		message string
		args    map[string]string
	}{
		{"quoted and plain", NewProblem(Error, "cookies[0].name", CodeCookieDuplicate,
			"cookie %q on domain %q is already declared as %s", "Name", "_ga", "Domain", "", "Declared", "cookies[0]"),
			`cookie "_ga" on domain "" is already declared as cookies[0]`,
			map[string]string{"Name": `"_ga"`, "Domain": `""`, "Declared": "cookies[0]"}},
		{"a hostile value stays escaped", NewProblem(Error, "id", CodeSiteID, "%q is not a site id", "ID", "a\x00<b>"),
			`"a\x00<b>" is not a site id`, map[string]string{"ID": `"a\x00<b>"`}},
		{"numbers and a literal percent", NewProblem(Error, "cookies", CodeCookiesTooMany, "%d cookies (100%%), more than %d", "Count", 1001, "Max", 1000),
			"1001 cookies (100%), more than 1000", map[string]string{"Count": "1001", "Max": "1000"}},
		{"no argument", NewProblem(Warning, "blocking", CodeBlockingNoService, "nothing is blocked"), "nothing is blocked", nil},
		{"from CheckText", checkText("x\x01", false).problem(Error, "name"), "contains the control character U+0001",
			map[string]string{"Char": "U+0001"}},
		{"from Lifetime.Parse", func() Problem { _, _, d := Lifetime("3 fortnights").parse(); return d.problem(Error, "lifetime") }(),
			`lifetime "3 fortnights": unknown unit "fortnights" (use minutes, hours, days, weeks, months or years)`,
			map[string]string{"Lifetime": `"3 fortnights"`, "Unit": `"fortnights"`}},
	} {
		if tt.p.Message != tt.message || !maps.Equal(tt.p.Args, tt.args) {
			t.Errorf("%s: %q %v, want %q %v", tt.name, tt.p.Message, tt.p.Args, tt.message, tt.args)
		}
	}
}

// The errors CheckText and Lifetime.Parse return keep their English text.
func TestCodedErrorsReadAsBefore(t *testing.T) {
	if err := CheckText("\xff", false); err == nil || err.Error() != "is not valid UTF-8 text" {
		t.Errorf("CheckText: %v", err)
	}
	if err := CheckText("ok\n", true); err != nil {
		t.Errorf("CheckText of a valid text: %v", err)
	}
	if _, _, err := Lifetime("forever").Parse(); err == nil || err.Error() != `lifetime "forever": want "session" or a count and a unit, such as "6 months"` {
		t.Errorf("Parse: %v", err)
	}
}

func TestVerbsOf(t *testing.T) {
	for format, want := range map[string][]string{
		"%q is %d":         {"%q", "%d"},
		"U+%04X, 100%% %s": {"%04X", "%s"},
		"plain":            nil,
		"%-8v|%+.2f":       {"%-8v", "%+.2f"},
	} {
		if got := verbsOf(format); !slices.Equal(got, want) {
			t.Errorf("verbsOf(%q) = %q, want %q", format, got, want)
		}
	}
}
