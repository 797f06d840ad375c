package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// startCheckpoints records the signed head of every site whose chain moved:
// once before it returns (a server restarted more often than the interval
// would otherwise never checkpoint), then every interval until stop is
// called; stop waits for a checkpoint under way, so the store can close
// right after. Several nodes on one database may all run it: a head is kept
// once.
func startCheckpoints(st store.Store, signer *proof.Signer, interval time.Duration, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	checkpoint := func() {
		n, err := store.CheckpointHeads(ctx, st, signer, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("proof checkpoint failed", "err", err)
		case n > 0:
			log.Info("proof checkpoint", "heads", n, "key_id", signer.KeyID())
		}
	}
	checkpoint()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				checkpoint()
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}
