package store_test

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// sharedDatabase opens n stores on one migrated database of each engine, as
// n charte nodes would, and a raw handle on it for tampering.
func sharedDatabase(t *testing.T, n int, test func(t *testing.T, nodes []store.Store, raw *sql.DB)) {
	engines := []struct {
		name string
		dsn  func(t *testing.T) (string, string, string)
	}{
		{"sqlite", func(t *testing.T) (string, string, string) {
			path := filepath.Join(t.TempDir(), "charte.db")
			return "sqlite:" + path, "sqlite", path
		}},
		{"postgres", func(t *testing.T) (string, string, string) {
			dsn := storetest.PostgresDSN(t)
			return dsn, "pgx", dsn
		}},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn, driver, rawDSN := e.dsn(t)
			ctx := context.Background()
			var nodes []store.Store
			for i := range n {
				st, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				if i == 0 {
					if _, err := st.Migrate(ctx); err != nil {
						t.Fatal(err)
					}
				}
				nodes = append(nodes, st)
			}
			raw, err := sql.Open(driver, rawDSN)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			test(t, nodes, raw)
		})
	}
}

// Nodes starting at once on one database all end up with the same key, and
// keep it; a key row edited by hand is refused rather than used.
func TestProofKeyOneKeyPerInstallation(t *testing.T) {
	sharedDatabase(t, 4, func(t *testing.T, nodes []store.Store, raw *sql.DB) {
		ctx := context.Background()
		keys := make([]ed25519.PrivateKey, len(nodes))
		errs := make([]error, len(nodes))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, st := range nodes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				keys[i], errs[i] = st.ProofKey(ctx)
			}()
		}
		close(start)
		wg.Wait()
		for i := range nodes {
			if errs[i] != nil {
				t.Fatalf("node %d: %v", i, errs[i])
			}
			if !keys[i].Equal(keys[0]) {
				t.Fatalf("node %d got another key than node 0", i)
			}
		}
		var rows int
		if err := raw.QueryRow("SELECT count(*) FROM proof_keys").Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("proof_keys holds %d rows (%v), want 1", rows, err)
		}
		again, err := nodes[1].ProofKey(ctx)
		if err != nil || !again.Equal(keys[0]) {
			t.Fatalf("the key changed on a second call: %v", err)
		}
		// The row's public key replaced by another key's: refused.
		other, _ := proof.NewSigner(ed25519.NewKeyFromSeed(make([]byte, 32)))
		if _, err := raw.Exec("UPDATE proof_keys SET key_id = $1", other.KeyID()); err != nil {
			t.Fatal(err)
		}
		if _, err := nodes[2].ProofKey(ctx); err == nil {
			t.Error("a key row whose key id is not its key's was used")
		}
		if _, err := raw.Exec("UPDATE proof_keys SET private_key = 'not base64'"); err != nil {
			t.Fatal(err)
		}
		if _, err := nodes[2].ProofKey(ctx); err == nil {
			t.Error("a key row with a broken private key was used")
		}
	})
}

// Several nodes checkpointing at once write one row per head, and a chain
// that did not move gets no new row.
func TestCheckpointHeads(t *testing.T) {
	sharedDatabase(t, 3, func(t *testing.T, nodes []store.Store, raw *sql.DB) {
		ctx := context.Background()
		site := savedSite(t, nodes[0])
		priv, err := nodes[0].ProofKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		signer, _ := proof.NewSigner(priv)
		checkpointAll := func() int {
			var wg sync.WaitGroup
			written := make([]int, len(nodes))
			for i, st := range nodes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := store.CheckpointHeads(ctx, st, signer, time.Now())
					if err != nil {
						t.Error(err)
					}
					written[i] = n
				}()
			}
			wg.Wait()
			total := 0
			for _, n := range written {
				total += n
			}
			return total
		}
		if n := checkpointAll(); n != 0 {
			t.Errorf("empty chains: %d checkpoints written", n)
		}
		steps := []struct {
			records int // appended before checkpointing
			written int
		}{{3, 1}, {0, 0}, {2, 1}, {0, 0}, {1, 1}}
		next := 1
		for i, s := range steps {
			if s.records > 0 {
				if _, err := nodes[i%len(nodes)].AppendConsents(ctx, records(site.ID, next, next+s.records-1)); err != nil {
					t.Fatal(err)
				}
				next += s.records
			}
			if n := checkpointAll(); n != s.written {
				t.Errorf("step %d: %d checkpoints written by the nodes together, want %d", i, n, s.written)
			}
		}
		var seqs []int64
		err = nodes[1].Checkpoints(ctx, site.ID, func(c store.Checkpoint) error {
			seqs = append(seqs, c.Seq)
			if err := proof.VerifyHead(signer.Public(), c.SignedHead); err != nil {
				t.Errorf("checkpoint %d: %v", c.Seq, err)
			}
			if c.At.IsZero() || c.Count != c.Seq {
				t.Errorf("checkpoint %+v", c)
			}
			return nil
		})
		if err != nil || len(seqs) != 3 || seqs[0] != 3 || seqs[1] != 5 || seqs[2] != 6 {
			t.Errorf("checkpoints at %v (%v), want 3, 5, 6", seqs, err)
		}
		// A signed head of a site that does not exist is not stored.
		h, _ := signer.Sign("no-such-site", 1, seqHash, time.Now())
		if _, err := nodes[0].SaveCheckpoint(ctx, h, time.Now()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("checkpoint of an unknown site: %v", err)
		}
		// The log goes with its site.
		if _, err := raw.Exec("DELETE FROM consents"); err != nil {
			t.Fatal(err)
		}
		if err := nodes[0].DeleteSite(ctx, site.ID); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := raw.QueryRow("SELECT count(*) FROM proof_checkpoints").Scan(&left); err != nil || left != 0 {
			t.Errorf("%d checkpoints left after the site was deleted (%v)", left, err)
		}
	})
}

var seqHash = strings.Repeat("ab", 32)

// A purge moves the anchor: witnesses taken before it stay checkable at or
// after the new anchor, and those before it are reported, not failed.
func TestCheckWitnessesAcrossAPurge(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		site := savedSite(t, st)
		priv, err := st.ProofKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		signer, _ := proof.NewSigner(priv)
		var ws []proof.Witness
		prev := 0
		for _, upTo := range []int{3, 6, 8, 10} {
			if _, err := st.AppendConsents(ctx, records(site.ID, prev+1, upTo)); err != nil {
				t.Fatal(err)
			}
			prev = upTo
			h, err := store.SignHead(ctx, st, signer, site.ID)
			if err != nil {
				t.Fatal(err)
			}
			ws = append(ws, proof.Witness{Source: "heads:" + h.Hash[:4], Head: h})
		}
		check := func() []proof.WitnessStatus {
			vs, err := store.CheckWitnesses(ctx, st, site.ID, signer.Public(), ws)
			if err != nil {
				t.Fatal(err)
			}
			var out []proof.WitnessStatus
			for _, v := range vs {
				out = append(out, v.Status)
			}
			return out
		}
		holds, before := proof.WitnessHolds, proof.WitnessBeforeAnchor
		if got := check(); !equalStatus(got, holds, holds, holds, holds) {
			t.Errorf("before the purge: %v", got)
		}
		// Records 1 to 6 go: the anchor is record 6.
		res, err := st.PurgeConsents(ctx, site.ID, t0.Add(6*time.Minute+time.Second))
		if err != nil || res.Anchor.Seq != 6 {
			t.Fatalf("purge: %+v, %v", res, err)
		}
		if got := check(); !equalStatus(got, before, holds, holds, holds) {
			t.Errorf("after the purge: %v, want the witness of record 3 before the anchor and the others holding", got)
		}
		// Everything purged: the anchor is the head, and still checks.
		if _, err := st.PurgeConsents(ctx, site.ID, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := check(); !equalStatus(got, before, before, before, holds) {
			t.Errorf("after purging everything: %v", got)
		}
	})
}

func equalStatus(got []proof.WitnessStatus, want ...proof.WitnessStatus) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
