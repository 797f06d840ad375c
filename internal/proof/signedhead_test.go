package proof_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
)

// fixedKey is a key made from a known seed, so the signatures below are
// known values: Ed25519 is deterministic.
func fixedKey(b byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte(strings.Repeat(string([]byte{b}), ed25519.SeedSize)))
}

func fixedSigner(t *testing.T, b byte) *proof.Signer {
	t.Helper()
	s, err := proof.NewSigner(fixedKey(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var headHash = strings.Repeat("ab", 32)
var headTime = time.Date(2026, 11, 28, 9, 30, 0, 123456789, time.UTC)

// The canonical form is a published contract: an auditor rebuilds it with
// printf. Any change to it must be a new format, so it is pinned byte for
// byte, and so is a signature over it.
func TestCanonicalHeadIsPinned(t *testing.T) {
	s := fixedSigner(t, 7)
	// The key id is the first 16 bytes of the public key's SHA-256.
	if s.KeyID() != "fe812c12f3ab4ce6ac5db69ac352f906" {
		t.Fatalf("key id %q changed", s.KeyID())
	}
	h, err := s.Sign("demo", 13, headHash, headTime)
	if err != nil {
		t.Fatal(err)
	}
	want := "charte-proof-head-v1\nsite demo\nseq 13\nhash " + headHash +
		"\ntime 2026-11-28T09:30:00.123456Z\nkey " + s.KeyID() + "\n"
	got, err := proof.CanonicalHead(h.Site, h.Seq, h.Hash, h.Time, h.KeyID)
	if err != nil || string(got) != want {
		t.Fatalf("canonical head:\n%q\nwant\n%q (%v)", got, want, err)
	}
	if h.Seq != 13 || h.Count != 13 || h.Time != "2026-11-28T09:30:00.123456Z" || h.Format != proof.HeadFormatV1 {
		t.Errorf("signed head %+v", h)
	}
	sig, _ := base64.StdEncoding.DecodeString(h.Signature)
	if !ed25519.Verify(s.Public(), []byte(want), sig) {
		t.Error("the signature does not cover the documented text")
	}
	if h.Signature != pinnedSignature {
		t.Errorf("the signature of a fixed key over a fixed head changed:\n%s\nwant\n%s", h.Signature, pinnedSignature)
	}
	// An empty chain signs empty hash and time.
	e, err := s.Sign("demo", 0, "", time.Time{})
	if err != nil || e.Time != "" || proof.VerifyHead(s.Public(), e) != nil {
		t.Errorf("empty chain: %+v, %v", e, err)
	}
}

const pinnedSignature = "53Df6qtVBF/bI0109+Xk0yvt1/7wrfcerM3z3CpGxHMkZumTprWv14AdewtOGqe4Wh8Jp69BJEC6x6J+5B4hDw=="

func TestCanonicalHeadRefusesWhatCouldForgeALine(t *testing.T) {
	for _, tt := range []struct {
		site, hash, tm, key string
		seq                 int64
	}{
		{site: "demo\nseq 99", seq: 1},
		{site: "demo", hash: "ab\r", seq: 1},
		{site: "demo", tm: "2026\nkey x", seq: 1},
		{site: "demo", key: "k\n", seq: 1},
		{site: "demo", seq: -1},
	} {
		if b, err := proof.CanonicalHead(tt.site, tt.seq, tt.hash, tt.tm, tt.key); err == nil {
			t.Errorf("CanonicalHead(%q, %d, %q, %q, %q) = %q, want an error", tt.site, tt.seq, tt.hash, tt.tm, tt.key, b)
		}
	}
}

// Every field is covered by the signature, and every way a signature can be
// wrong is told apart: forged, from another key, of a format not known.
func TestVerifyHead(t *testing.T) {
	s, other := fixedSigner(t, 7), fixedSigner(t, 8)
	good, err := s.Sign("demo", 13, headHash, headTime)
	if err != nil {
		t.Fatal(err)
	}
	fromOther, _ := other.Sign("demo", 13, headHash, headTime)
	tests := []struct {
		name   string
		change func(h *proof.SignedHead)
		want   error
	}{
		{"intact", func(*proof.SignedHead) {}, nil},
		{"site changed", func(h *proof.SignedHead) { h.Site = "other" }, proof.ErrBadSignature},
		{"seq changed", func(h *proof.SignedHead) { h.Seq = 12 }, proof.ErrBadSignature},
		{"hash changed", func(h *proof.SignedHead) { h.Hash = strings.Repeat("cd", 32) }, proof.ErrBadSignature},
		{"time changed", func(h *proof.SignedHead) { h.Time = "2026-11-28T09:30:00.123457Z" }, proof.ErrBadSignature},
		{"time written another way", func(h *proof.SignedHead) { h.Time = "2026-11-28T09:30:00.123456+00:00" }, proof.ErrBadSignature},
		{"signature flipped", func(h *proof.SignedHead) {
			b, _ := base64.StdEncoding.DecodeString(h.Signature)
			b[10] ^= 1
			h.Signature = base64.StdEncoding.EncodeToString(b)
		}, proof.ErrBadSignature},
		{"signature truncated", func(h *proof.SignedHead) { h.Signature = h.Signature[:40] }, proof.ErrBadSignature},
		{"signature not base64", func(h *proof.SignedHead) { h.Signature = "!!" }, proof.ErrBadSignature},
		{"signature of another key", func(h *proof.SignedHead) { *h = fromOther }, proof.ErrOtherKey},
		{"another key claimed, same signature", func(h *proof.SignedHead) { h.KeyID = other.KeyID() }, proof.ErrOtherKey},
		{"unknown format", func(h *proof.SignedHead) { h.Format = "charte-proof-head-v9" }, proof.ErrUnknownFormat},
		{"unsigned", func(h *proof.SignedHead) { h.Format, h.KeyID, h.Signature = "", "", "" }, proof.ErrUnsigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := good
			tt.change(&h)
			err := proof.VerifyHead(s.Public(), h)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("VerifyHead: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNewSignerRefusesAShortKey(t *testing.T) {
	if _, err := proof.NewSigner(ed25519.PrivateKey(make([]byte, 10))); err == nil {
		t.Error("a 10-byte key was accepted")
	}
}

// The key is read in every form charte prints it, and nothing else.
func TestParsePublicKey(t *testing.T) {
	s := fixedSigner(t, 7)
	b64 := base64.StdEncoding.EncodeToString(s.Public())
	pem := proof.PublicKeyPEM(s.Public())
	good := map[string]string{
		"base64":             b64,
		"base64 and newline": b64 + "\n",
		"pem":                pem,
		"api json":           `{"algorithm":"ed25519","key_id":"` + s.KeyID() + `","public_key":"` + b64 + `"}`,
		"api json, pem only": `{"public_key":"` + strings.ReplaceAll(pem, "\n", `\n`) + `"}`,
	}
	for name, text := range good {
		pub, err := proof.ParsePublicKey(text)
		if err != nil || !pub.Equal(s.Public()) {
			t.Errorf("%s: %v", name, err)
		}
	}
	rsaPEM := "-----BEGIN RSA PUBLIC KEY-----\nMAo=\n-----END RSA PUBLIC KEY-----\n"
	for name, text := range map[string]string{
		"empty": "", "short base64": "AAAA", "not base64": "not a key", "json without key": `{"key_id":"x"}`,
		"other pem type": rsaPEM, "pem garbage": "-----BEGIN PUBLIC KEY-----\nMAo=\n-----END PUBLIC KEY-----\n",
		"private key bytes": base64.StdEncoding.EncodeToString(fixedKey(7)),
	} {
		if _, err := proof.ParsePublicKey(text); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
