package auth

import (
	"context"
	"errors"
	"runtime"
	"time"
)

// ErrBusy is returned instead of hashing when every hashing slot stayed
// taken for HashWait: the caller answers 503 with Retry-After rather than
// queue, so a flood of logins costs a few goroutines, not 19 MiB each.
var ErrBusy = errors.New("too many password checks at once; retry in a second")

// HashWait is how long a password check waits for a free slot: long enough
// to absorb a few operators signing in at once, short enough that a flood
// is answered quickly instead of piling up blocked requests.
const HashWait = 250 * time.Millisecond

// hashBudget is the memory argon2id may hold at once, across all slots.
// With the default 19 MiB per hash it allows 6: the server stays well
// under the 300 MB it is meant to run in, whatever the number of logins.
const hashBudget = 128 << 20

// hashSlots bounds the argon2id computations running at once. Every hash
// and every verification in charte goes through it (HashPassword,
// VerifyPassword), so no caller can forget. Its size is the machine's
// cores, since argon2id is CPU-bound and more at once only adds memory, and
// at most what hashBudget allows for the default costs.
var hashSlots = make(chan struct{}, slotCount(runtime.GOMAXPROCS(0), DefaultParams))

func slotCount(cpus int, p Params) int {
	perHash := int(p.Memory) << 10
	return max(1, min(cpus, hashBudget/max(perHash, 1)))
}

// acquireHash takes a slot, waiting at most HashWait; the returned
// function gives it back.
func acquireHash(ctx context.Context) (func(), error) {
	select {
	case hashSlots <- struct{}{}:
		return func() { <-hashSlots }, nil
	default:
	}
	t := time.NewTimer(HashWait)
	defer t.Stop()
	select {
	case hashSlots <- struct{}{}:
		return func() { <-hashSlots }, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
