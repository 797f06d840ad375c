package main

import (
	"strings"
	"testing"
)

// TestUserAddChecksAccounts: charte user refuses what the back office
// refuses, saying why, and stores nothing.
func TestUserAddChecksAccounts(t *testing.T) {
	db := tempDB(t)
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	tests := []struct {
		name, email, stdin string
		code               int
		want               string
	}{
		{"not an email", "not an email", "a password long enough\n", 2, "not an email address"},
		{"a display name", "Owner <owner@example.org>", "a password long enough\n", 2, "not an email address"},
		{"two addresses", "a@example.org, b@example.org", "a password long enough\n", 2, "not an email address"},
		{"12 spaces", "owner@example.org", "            \n", 1, "only spaces"},
		{"too short", "owner@example.org", "short\n", 1, "at least 12"},
		{"common", "owner@example.org", "password1234\n", 1, "most common"},
		{"common, repeated", "owner@example.org", "monkeymonkey\n", 1, "most common"},
		{"good", "owner@example.org", "a password long enough\n", 0, "created owner owner@example.org"},
	}
	for _, tc := range tests {
		code, out, errOut := charte(t, tc.stdin, nil, "user", "add", "--db", db, "--email", tc.email, "--role", "owner")
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%s: exit %d, %q; want exit %d with %q", tc.name, code, out+errOut, tc.code, tc.want)
		}
	}
	if _, out, _ := charte(t, "", nil, "user", "list", "--db", db); strings.Count(out, "@") != 1 {
		t.Errorf("accounts stored: %q; want only the good one", out)
	}
	if code, _, errOut := charte(t, "            \n", nil, "user", "passwd", "--db", db, "--email", "owner@example.org"); code != 1 || !strings.Contains(errOut, "only spaces") {
		t.Errorf("passwd with 12 spaces: exit %d, %q", code, errOut)
	}
}
