package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/internal/proof"
)

// SignedHeads keeps the installation's signing key and the checkpoint log of
// signed heads (docs/proof.md).
type SignedHeads interface {
	// ProofKey returns the installation's head-signing key, creating it on
	// first need. Two nodes asking at once on one database get the same
	// key: the first insert wins and both read it back.
	ProofKey(ctx context.Context) (ed25519.PrivateKey, error)
	// SaveCheckpoint stores a signed head unless the site already has one
	// at that seq (then it changes nothing and returns false). ErrNotFound
	// when the site does not exist.
	SaveCheckpoint(ctx context.Context, h proof.SignedHead, at time.Time) (bool, error)
	// Checkpoints streams a site's checkpoints by seq, stopping early when
	// fn returns an error, which it returns as is.
	Checkpoints(ctx context.Context, siteID string, fn func(Checkpoint) error) error
}

// Checkpoint is a signed head as the checkpoint log keeps it.
type Checkpoint struct {
	proof.SignedHead
	At time.Time `json:"checkpointed_at"` // when it was checkpointed
}

// proofKeyPurpose is the proof_keys row that signs heads.
const proofKeyPurpose = "proof-head"

func (d *db) ProofKey(ctx context.Context) (ed25519.PrivateKey, error) {
	key, err := d.readProofKey(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		// Insert a fresh key if none is there, then read back whichever
		// won: ours, or one another node inserted a moment before.
		pub, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, fmt.Errorf("proof key: %w", gerr)
		}
		err = d.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, d.q("ProofKey-insert"), proofKeyPurpose, proof.KeyID(pub),
				base64.StdEncoding.EncodeToString(pub), base64.StdEncoding.EncodeToString(priv.Seed()),
				timeText(time.Now()))
			return err
		})
		if err == nil {
			key, err = d.readProofKey(ctx)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("proof key: %w", err)
	}
	return key, nil
}

// readProofKey reads the key on the writer pool: right after an insert, a
// SQLite reader connection could still see the database before it.
func (d *db) readProofKey(ctx context.Context) (ed25519.PrivateKey, error) {
	var id, pub, seed, at string
	if err := d.w.QueryRowContext(ctx, d.q("ProofKey"), proofKeyPurpose).Scan(&id, &pub, &seed, &at); err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(seed)
	if err != nil || len(raw) != ed25519.SeedSize {
		return nil, errors.New("the stored private key is not the base64 of a 32-byte seed")
	}
	priv := ed25519.NewKeyFromSeed(raw)
	// The row's public key and id must be the private key's: a row edited
	// by hand would otherwise publish one key and sign with another.
	if got := priv.Public().(ed25519.PublicKey); base64.StdEncoding.EncodeToString(got) != pub || proof.KeyID(got) != id {
		return nil, errors.New("the stored public key or key id does not belong to the stored private key")
	}
	return priv, nil
}

func (d *db) SaveCheckpoint(ctx context.Context, h proof.SignedHead, at time.Time) (bool, error) {
	stored := false
	err := d.write(ctx, func(tx *sql.Tx) error {
		var known int
		if err := tx.QueryRowContext(ctx, d.q("AppendConsents-site"), h.Site).Scan(&known); err != nil {
			return err
		}
		if known == 0 {
			return ErrNotFound
		}
		res, err := tx.ExecContext(ctx, d.q("SaveCheckpoint"), h.Site, h.Seq, h.Hash, h.Time, h.Format, h.KeyID, h.Signature, timeText(at))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		stored = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("checkpoint of site %q at record %d: %w", h.Site, h.Seq, err)
	}
	return stored, nil
}

func (d *db) Checkpoints(ctx context.Context, siteID string, fn func(Checkpoint) error) error {
	rows, err := d.r.QueryContext(ctx, d.q("Checkpoints"), siteID)
	if err != nil {
		return fmt.Errorf("checkpoints of site %q: %w", siteID, err)
	}
	defer rows.Close()
	for rows.Next() {
		c := Checkpoint{SignedHead: proof.SignedHead{Site: siteID}}
		var at string
		if err := rows.Scan(&c.Seq, &c.Hash, &c.Time, &c.Format, &c.KeyID, &c.Signature, &at); err != nil {
			return fmt.Errorf("checkpoints of site %q: %w", siteID, err)
		}
		c.Count = c.Seq
		if c.At, err = parseTime(at); err != nil {
			return fmt.Errorf("checkpoints of site %q: %w", siteID, err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("checkpoints of site %q: %w", siteID, err)
	}
	return nil
}
