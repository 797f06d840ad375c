package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// cheap keeps the tests fast; the format and the checks are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

func TestPasswords(t *testing.T) {
	h, err := HashPassword(context.Background(), "correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not in the PHC argon2id format", h)
	}
	if h2, _ := HashPassword(context.Background(), "correct horse battery", cheap); h2 == h {
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
		if got, err := VerifyPassword(context.Background(), tc.encoded, tc.pw); got != tc.want || err != nil {
			t.Errorf("%s: VerifyPassword = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestCheckNewPassword(t *testing.T) {
	tests := []struct {
		pw   string
		want error
	}{
		{"", ErrPasswordTooShort},
		{"elevenchars", ErrPasswordTooShort},
		{"ééééééééééé", ErrPasswordTooShort},
		{"twelve chars", nil},
		{"a password long enough", nil},
		{"correct horse battery staple", nil},
		{"éèêëéèêëéèêë", nil},
		{"            ", ErrPasswordBlank},
		{"\t\n  \u00a0        ", ErrPasswordBlank},
		{"éééééééééééé", ErrPasswordCommon}, // one character repeated
		{"aaaaaaaaaaaa", ErrPasswordCommon},
		{"123456789012", ErrPasswordCommon}, // not listed, but a listed one padded with digits
		{"1234567890", ErrPasswordTooShort},
		{"passwordpassword", ErrPasswordCommon},
		{"Password1234", ErrPasswordCommon},
		{"monkey123456!", ErrPasswordCommon},
		{"!!!Sunshine2024", ErrPasswordCommon},
		{"  iloveyou    ", ErrPasswordCommon},
		{"qwertyqwertyqwerty", ErrPasswordCommon},
		{"monkey horse battery", nil},
	}
	for _, tc := range tests {
		if err := CheckNewPassword(tc.pw); err != tc.want {
			t.Errorf("CheckNewPassword(%q) = %v, want %v", tc.pw, err, tc.want)
		}
	}
	if n := len(commonPasswords()); n < 1900 {
		t.Errorf("%d common passwords embedded, want the list of about 2,000", n)
	}
}

func TestCheckEmail(t *testing.T) {
	for email, ok := range map[string]bool{
		"owner@example.org":            true,
		"first.last+tag@example.org":   true,
		"not an email":                 false,
		"":                             false,
		"@example.org":                 false,
		"owner@":                       false,
		"Owner <owner@example.org>":    false,
		"<owner@example.org>":          false,
		"a@example.org, b@example.org": false,
		"owner@example.org (comment)":  false,
		" owner@example.org":           false,
		"own\x00er@example.org":        false,
	} {
		if err := CheckEmail(email); (err == nil) != ok {
			t.Errorf("CheckEmail(%q) = %v, want ok=%v", email, err, ok)
		}
	}
}

// TestHashSlots: with every slot taken, hashing and verifying give up
// after HashWait with ErrBusy, without waiting for a slot to free; once one
// frees, they work again.
func TestHashSlots(t *testing.T) {
	h, err := HashPassword(context.Background(), "correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"verify", func() error { _, err := VerifyPassword(context.Background(), h, "correct horse battery"); return err }},
		{"verify unknown user", func() error { _, err := VerifyPassword(context.Background(), "", "x"); return err }},
		{"hash", func() error { _, err := HashPassword(context.Background(), "correct horse battery", cheap); return err }},
	}
	for _, c := range calls {
		start := time.Now()
		err := c.call()
		if took := time.Since(start); !errors.Is(err, ErrBusy) || took < HashWait || took > 4*HashWait {
			t.Errorf("%s with every slot taken: %v after %v; want ErrBusy after about %v", c.name, err, took, HashWait)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := VerifyPassword(ctx, h, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("verify with a cancelled context and no slot: %v, want context.Canceled", err)
	}
	<-hashSlots
	if ok, err := VerifyPassword(context.Background(), h, "correct horse battery"); !ok || err != nil {
		t.Errorf("verify with a slot free: %v, %v", ok, err)
	}
	for range cap(hashSlots) - 1 {
		<-hashSlots
	}
}

func TestSlotCount(t *testing.T) {
	for _, tc := range []struct {
		cpus int
		p    Params
		want int
	}{
		{1, DefaultParams, 1},
		{2, DefaultParams, 2},
		{64, DefaultParams, 6}, // 6 × 19 MiB fits the 128 MiB budget, 7 would not
		{64, Params{Memory: 1 << 20}, 1},
		{4, cheap, 4},
	} {
		if got := slotCount(tc.cpus, tc.p); got != tc.want {
			t.Errorf("slotCount(%d, %d KiB) = %d, want %d", tc.cpus, tc.p.Memory, got, tc.want)
		}
	}
}
