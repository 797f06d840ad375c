// Package auth is the security of charte's back office: argon2id passwords,
// server-side sessions (the sessionid cookie), Django-style CSRF protection
// (csrftoken), login throttling, roles and the language choice
// (django_language). Like package consent, it is HTTP middleware by nature,
// so it knows net/http; it knows nothing of pages or templates: failures are
// returned to the caller's renderer.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	// golang.org/x/crypto rather than a wrapper: it is maintained by the Go
	// team, already carries argon2, and the PHC encoding below is 40 lines.
	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. They are stored in every hash, so raising
// them later only affects new passwords and old hashes still verify.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams are OWASP's first recommended argon2id configuration
// (19 MiB, 2 passes, 1 lane): about 30 ms on one core. A server shared by a
// few operators has few logins at once, but an attacker can send many:
// hasher.go bounds how many run together.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// MinPasswordLength is the shortest password accepted: length is what
// makes a password hard to guess, more than character classes.
const MinPasswordLength = 12

// The reasons CheckNewPassword refuses a password.
var (
	ErrPasswordTooShort = fmt.Errorf("the password must be at least %d characters long", MinPasswordLength)
	ErrPasswordBlank    = errors.New("the password must not be only spaces")
	ErrPasswordCommon   = errors.New("this password is among the most common ones: choose another")
)

// commonPasswords are the 1,976 most common passwords of SecLists'
// Passwords/Common-Credentials/10k-most-common.txt (MIT licence), one a
// line: the first ones an attacker tries. Most are shorter than
// MinPasswordLength, which is why CheckNewPassword also refuses them
// padded with digits, punctuation or spaces, or repeated.
//
//go:embed common-passwords.txt
var commonPasswordFile string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordFile, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m[l] = true
		}
	}
	return m
})

// CheckNewPassword tells whether a password may be set: at least
// MinPasswordLength characters, not all whitespace, and not a common
// password (commonPassword).
func CheckNewPassword(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return ErrPasswordTooShort
	case strings.TrimSpace(pw) == "":
		return ErrPasswordBlank
	case commonPassword(pw):
		return ErrPasswordCommon
	}
	return nil
}

// commonPassword reports whether pw, ignoring case, is a listed password,
// or one padded at either end with digits, punctuation or spaces
// ("Monkey123456!"), or one repeated ("passwordpassword"): the variations
// guessing tools try first.
func commonPassword(pw string) bool {
	list := commonPasswords()
	s := strings.ToLower(pw)
	padding := func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	}
	// A listed password with only padding before or after it.
	for i := range len(s) + 1 {
		head, tail := s[:i], s[i:]
		if (list[head] && strings.TrimFunc(tail, padding) == "") || (list[tail] && strings.TrimFunc(head, padding) == "") {
			return true
		}
	}
	core := strings.TrimFunc(s, padding)
	for _, c := range []string{s, core} {
		if list[c] {
			return true
		}
		if r, _ := utf8.DecodeRuneInString(c); c != "" && strings.Trim(c, string(r)) == "" {
			return true // one character repeated
		}
		for n := 1; n <= len(c)/2; n++ {
			if len(c)%n == 0 && list[c[:n]] && strings.Repeat(c[:n], len(c)/n) == c {
				return true
			}
		}
	}
	return false
}

// CheckEmail tells whether email is one bare address as net/mail parses
// it ("nom@exemple.org"), not a name with an address, nor a list.
func CheckEmail(email string) error {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Name != "" || a.Address != email {
		return fmt.Errorf("%q is not an email address such as name@example.org", email)
	}
	return nil
}

const (
	saltLen = 16
	keyLen  = 32
)

// HashPassword returns pw hashed with argon2id in the PHC string format,
// $argon2id$v=19$m=…,t=…,p=…$salt$hash, as other tools write it. It waits
// for a hashing slot (hasher.go) and returns ErrBusy when none frees up.
func HashPassword(ctx context.Context, pw string, p Params) (string, error) {
	release, err := acquireHash(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashPassword(pw, p)
}

func hashPassword(pw string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("not an argon2id hash")

// VerifyPassword reports whether pw matches encoded, comparing in constant
// time. An empty encoded (no such user) is checked against a dummy hash of
// the same cost, so an unknown email takes as long as a wrong password and
// the answer time does not tell which accounts exist. Like HashPassword it
// waits for a hashing slot, and returns ErrBusy without hashing when none
// frees up in time.
func VerifyPassword(ctx context.Context, encoded, pw string) (bool, error) {
	release, err := acquireHash(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if encoded == "" {
		verify(dummyHash(), pw)
		return false, nil
	}
	ok, err := verify(encoded, pw)
	return ok && err == nil, nil
}

func verify(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Threads == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is computed once, on the first login attempt for an unknown
// email, with the default costs real accounts have. It runs inside the
// caller's hashing slot, hence the unbounded hashPassword.
var dummyHash = sync.OnceValue(func() string {
	h, err := hashPassword("charte: no such account", DefaultParams)
	if err != nil {
		panic("auth: cannot hash: " + err.Error())
	}
	return h
})
