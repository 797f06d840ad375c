package proof

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HeadFormatV1 names the signed form of a head, and is its first line: a
// verifier reads the format before anything else, so a later version can
// sign more fields without old signatures changing meaning.
const HeadFormatV1 = "charte-proof-head-v1"

// SignedHead is the end of a site's chain as the server published it: what
// GET /api/v1/sites/{site}/proof/head answers, what the checkpoint log keeps,
// and what an auditor saves as a witness. Its JSON is the wire form.
type SignedHead struct {
	Site string `json:"site"`
	// Seq is the position of the chain's last record (0: empty chain).
	Seq int64 `json:"seq"`
	// Count repeats Seq under the name /proof/head always used: the seq of
	// the last record, which is also the number of records ever appended.
	Count int64  `json:"count"`
	Hash  string `json:"hash"`
	// Time is the last record's time in TimeFormat, "" for an empty chain:
	// kept as the text that was signed so it verifies byte for byte.
	Time string `json:"time,omitempty"`
	// Format, KeyID and Signature are empty on a head saved before charte
	// signed its heads: such a head is still checked against the chain.
	Format    string `json:"signature_format,omitempty"`
	KeyID     string `json:"key_id,omitempty"`
	Signature string `json:"signature,omitempty"` // base64 (standard, padded) of the Ed25519 signature
}

// Signed reports whether h carries a signature.
func (h SignedHead) Signed() bool { return h.Format != "" || h.KeyID != "" || h.Signature != "" }

// CanonicalHead is the exact text an Ed25519 signature of format
// HeadFormatV1 covers: six lines, each "name value" and a newline,
//
//	charte-proof-head-v1
//	site demo
//	seq 13
//	hash 3f1c…(64 hex digits, empty when seq is 0)
//	time 2026-11-28T09:30:00.123456Z (TimeFormat, empty when seq is 0)
//	key 9a0b…(the key id)
//
// Plain text rather than JSON so an auditor can rebuild it with printf and
// check it with openssl, without agreeing on a JSON escaping. A value that
// holds a line break could forge a line, so it is refused.
func CanonicalHead(site string, seq int64, hash, tm, keyID string) ([]byte, error) {
	for name, v := range map[string]string{"site": site, "hash": hash, "time": tm, "key": keyID} {
		if strings.ContainsAny(v, "\r\n") {
			return nil, fmt.Errorf("signed head: %s holds a line break", name)
		}
	}
	if seq < 0 {
		return nil, fmt.Errorf("signed head: negative seq %d", seq)
	}
	var b strings.Builder
	b.WriteString(HeadFormatV1 + "\n")
	b.WriteString("site " + site + "\n")
	b.WriteString("seq " + strconv.FormatInt(seq, 10) + "\n")
	b.WriteString("hash " + hash + "\n")
	b.WriteString("time " + tm + "\n")
	b.WriteString("key " + keyID + "\n")
	return []byte(b.String()), nil
}

// KeyID names a public key: the first 16 bytes of its SHA-256, in hex.
// Short enough to read aloud, long enough that no second key shares it.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:16])
}

// Signer signs heads with an installation's key.
type Signer struct {
	priv ed25519.PrivateKey
	id   string
}

// NewSigner signs with priv.
func NewSigner(priv ed25519.PrivateKey) (*Signer, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("signing key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	return &Signer{priv: priv, id: KeyID(priv.Public().(ed25519.PublicKey))}, nil
}

// Public is the key that verifies this signer's heads.
func (s *Signer) Public() ed25519.PublicKey { return s.priv.Public().(ed25519.PublicKey) }

// KeyID is Public's key id.
func (s *Signer) KeyID() string { return s.id }

// Sign returns the signed head of a chain ending at record seq with hash,
// written at tm (zero for an empty chain).
func (s *Signer) Sign(site string, seq int64, hash string, tm time.Time) (SignedHead, error) {
	h := SignedHead{Site: site, Seq: seq, Count: seq, Hash: hash, Format: HeadFormatV1, KeyID: s.id}
	if !tm.IsZero() {
		h.Time = tm.UTC().Format(TimeFormat)
	}
	msg, err := CanonicalHead(h.Site, h.Seq, h.Hash, h.Time, h.KeyID)
	if err != nil {
		return SignedHead{}, err
	}
	h.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(s.priv, msg))
	return h, nil
}

// Errors of VerifyHead, so callers can tell a forgery from another key.
var (
	ErrUnsigned      = errors.New("the head is not signed")
	ErrOtherKey      = errors.New("signed by another key")
	ErrBadSignature  = errors.New("the signature does not verify: the head was altered or the signature forged")
	ErrUnknownFormat = errors.New("unknown signature format")
)

// VerifyHead checks h's signature against pub.
func VerifyHead(pub ed25519.PublicKey, h SignedHead) error {
	switch {
	case !h.Signed():
		return ErrUnsigned
	case h.Format != HeadFormatV1:
		return fmt.Errorf("%w %q (this charte knows %s): upgrade charte", ErrUnknownFormat, h.Format, HeadFormatV1)
	case h.KeyID != KeyID(pub):
		return fmt.Errorf("%w: key id %s, the key given is %s", ErrOtherKey, h.KeyID, KeyID(pub))
	}
	sig, err := base64.StdEncoding.DecodeString(h.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("%w (the signature is not %d bytes of base64)", ErrBadSignature, ed25519.SignatureSize)
	}
	msg, err := CanonicalHead(h.Site, h.Seq, h.Hash, h.Time, h.KeyID)
	if err != nil || !ed25519.Verify(pub, msg, sig) {
		return ErrBadSignature
	}
	return nil
}

// PublicKeyPEM is pub as a PEM "PUBLIC KEY" block (PKIX, RFC 8410), the form
// openssl reads.
func PublicKeyPEM(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic("proof: an Ed25519 key always marshals: " + err.Error())
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// ParsePublicKey reads a public key in any form charte prints it: the
// base64 of its 32 bytes (`charte proof key`), a PEM block (`--format pem`),
// or the JSON of GET /api/v1/proof/key (its "public_key").
func ParsePublicKey(text string) (ed25519.PublicKey, error) {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "{") {
		var doc struct {
			PublicKey string `json:"public_key"`
		}
		if err := json.Unmarshal([]byte(text), &doc); err != nil || doc.PublicKey == "" {
			return nil, errors.New("public key: a JSON document without a \"public_key\"")
		}
		text = doc.PublicKey
	}
	if block, _ := pem.Decode([]byte(text)); block != nil {
		if block.Type != "PUBLIC KEY" {
			return nil, fmt.Errorf("public key: a PEM %q block, want PUBLIC KEY", block.Type)
		}
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("public key: %w", err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("public key: a %T, want Ed25519", k)
		}
		return pub, nil
	}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key: want the base64 of %d bytes, a PEM PUBLIC KEY block or the JSON of /api/v1/proof/key", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}
