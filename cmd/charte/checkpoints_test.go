package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// The job checkpoints before it returns, so a server restarted more often
// than the interval still leaves heads, and stop returns once it is done.
func TestStartCheckpoints(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		storetest.Seed(t, st)
		rev, _ := st.Published(ctx, "demo")
		if _, err := st.AppendConsents(ctx, []proof.Record{choiceAt(rev.ID, 1, time.Now()), choiceAt(rev.ID, 2, time.Now())}); err != nil {
			t.Fatal(err)
		}
		priv, err := st.ProofKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		signer, _ := proof.NewSigner(priv)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		for range 2 { // a second start (a restart, another node) adds nothing
			stop := startCheckpoints(st, signer, time.Hour, log)
			stop()
		}
		var seqs []int64
		st.Checkpoints(ctx, "demo", func(c store.Checkpoint) error { seqs = append(seqs, c.Seq); return nil })
		if len(seqs) != 1 || seqs[0] != 2 {
			t.Errorf("checkpoints at %v, want one at record 2", seqs)
		}
	})
}

func TestServeRefusesANegativeCheckpointInterval(t *testing.T) {
	code, _, errOut := charte(t, "", nil, "serve", "--db", tempDB(t), "--listen", "127.0.0.1:0", "--checkpoint-interval", "-1h")
	if code != 2 || !strings.Contains(errOut, "--checkpoint-interval") {
		t.Errorf("exit %d, %s", code, errOut)
	}
}
