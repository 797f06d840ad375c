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
	for pw, ok := range map[string]bool{"": false, "elevenchars": false, "twelve chars": true, "ééééééééééé": false, "éééééééééééé": true} {
		if err := CheckNewPassword(pw); (err == nil) != ok {
			t.Errorf("CheckNewPassword(%q) = %v, want ok=%v", pw, err, ok)
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
