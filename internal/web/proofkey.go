package web

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"net/http"
	"sync"

	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/proof"
)

// proofKeyStore gives the installation's signing key (created on first
// use).
type proofKeyStore interface {
	ProofKey(ctx context.Context) (ed25519.PrivateKey, error)
}

// signerCache loads the installation's signing key once, on first need
// (charte serve hands it over at start; tests let the first request load it).
// A failed load is retried by the next request rather than remembered.
type signerCache struct {
	mu     sync.Mutex
	st     proofKeyStore
	signer *proof.Signer
}

func (c *signerCache) get(ctx context.Context) (*proof.Signer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.signer != nil {
		return c.signer, nil
	}
	priv, err := c.st.ProofKey(ctx)
	if err != nil {
		return nil, err
	}
	if c.signer, err = proof.NewSigner(priv); err != nil {
		return nil, err
	}
	return c.signer, nil
}

// proofKey publishes the public key that verifies the signed heads, so an
// auditor can save it beside the heads they collect (docs/proof.md).
func (s *Server) proofKey(w http.ResponseWriter, r *http.Request) error {
	signer, err := s.signer.get(r.Context())
	if err != nil {
		return err
	}
	pub := signer.Public()
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "no-cache")
	return httpx.WriteJSON(w, http.StatusOK, struct {
		Algorithm string `json:"algorithm"`
		KeyID     string `json:"key_id"`
		PublicKey string `json:"public_key"`
		PEM       string `json:"pem"`
		Format    string `json:"signature_format"`
	}{"ed25519", signer.KeyID(), base64.StdEncoding.EncodeToString(pub), proof.PublicKeyPEM(pub), proof.HeadFormatV1})
}
