package auth

import (
	"strings"
	"testing"
)

// cheap keeps the tests fast; the format and the checks are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not in the PHC argon2id format", h)
	}
	if h2, _ := HashPassword("correct horse battery", cheap); h2 == h {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name, encoded, pw string
		want              bool
	}{
		{"right password", h, "correct horse battery", true},
		{"wrong password", h, "correct horse battery!", false},
		{"empty password", h, "", false},
		{"unknown user", "", "correct horse battery", false},
		{"corrupt hash", strings.Replace(h, "argon2id", "argon2i", 1), "correct horse battery", false},
		{"truncated hash", h[:len(h)-10], "correct horse battery", false},
		{"not a hash", "plain", "plain", false},
	}
	for _, tc := range tests {
		if got := VerifyPassword(tc.encoded, tc.pw); got != tc.want {
			t.Errorf("%s: VerifyPassword = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckNewPassword(t *testing.T) {
	for pw, ok := range map[string]bool{"": false, "elevenchars": false, "twelve chars": true, "ééééééééééé": false, "éééééééééééé": true} {
		if err := CheckNewPassword(pw); (err == nil) != ok {
			t.Errorf("CheckNewPassword(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
}
