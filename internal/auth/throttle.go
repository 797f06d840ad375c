package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/charte/charte/internal/clientaddr"
)

// Throttle limits password guessing. Each attempt is counted under three
// keys before its password is checked (reserve, then evaluate: see
// store.ReserveLogin), so no more than the limits below are ever evaluated
// in Window, however many attempts arrive at once:
//
//   - PerAccountNetwork for one account from one network (the /24 or /64 of
//     the client address, clientaddr.Network): one attacker on one account;
//   - PerNetwork from one network, whatever the accounts: one attacker
//     trying many accounts;
//   - PerAccount for one account from anywhere: a distributed attack on one
//     person. It does not apply on a network the account signed in from
//     within KnownFor, so a stranger's failures elsewhere do not lock the
//     owner out of the office they always work from.
type Throttle struct {
	st                                        LoginStore
	PerAccountNetwork, PerNetwork, PerAccount int
	Window, KnownFor                          time.Duration
	now                                       func() time.Time
}

// LoginStore is what the throttle needs of the store: attempts reserved in
// one transaction across nodes, and the networks accounts signed in from.
type LoginStore interface {
	// ReserveLogin atomically counts each limit's key's attempts since
	// since and, when every key has fewer than its Max, records attempt
	// under each key at at and returns true; otherwise it records nothing
	// and returns false with the oldest attempt of the most recently full
	// key (see store.Accounts for the whole contract).
	ReserveLogin(ctx context.Context, attempt string, limits []LoginLimit, at, since time.Time) (bool, time.Time, error)
	// ReleaseLogin forgets an attempt's rows.
	ReleaseLogin(ctx context.Context, attempt string) error
	RememberLoginNetwork(ctx context.Context, account, network string, at time.Time) error
	KnownLoginNetwork(ctx context.Context, account, network string, since time.Time) (bool, error)
}

// NewThrottle allows 5 failures per account and network, 20 per network
// and 10 per account in 15 minutes; known networks are remembered 90 days.
func NewThrottle(st LoginStore) *Throttle {
	return &Throttle{st: st, PerAccountNetwork: 5, PerNetwork: 20, PerAccount: 10,
		Window: 15 * time.Minute, KnownFor: 90 * 24 * time.Hour, now: time.Now}
}

// Attempt is a login attempt the throttle let through. Its reservation
// counts as a failure until Succeeded says otherwise.
type Attempt struct {
	t                *Throttle
	id               string
	account, network string
}

func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Reserve counts an attempt by email from addr before its password is
// checked. It returns the attempt, or the time to wait (rounded up to whole
// seconds for Retry-After) when a limit is reached; then nothing may be
// hashed. An unknown email counts like a known one, so throttling does not
// reveal which accounts exist.
func (t *Throttle) Reserve(ctx context.Context, email, addr string) (*Attempt, time.Duration, error) {
	now := t.now()
	a := &Attempt{t: t, id: newAttemptID(), account: accountKey(email), network: clientaddr.Network(addr)}
	limits := []LoginLimit{
		{Key: "account-network:" + a.account + " " + a.network, Max: t.PerAccountNetwork},
		{Key: "network:" + a.network, Max: t.PerNetwork},
	}
	known, err := t.st.KnownLoginNetwork(ctx, a.account, a.network, now.Add(-t.KnownFor))
	if err != nil {
		return nil, 0, err
	}
	if !known {
		limits = append(limits, LoginLimit{Key: "account:" + a.account, Max: t.PerAccount})
	}
	ok, oldest, err := t.st.ReserveLogin(ctx, a.id, limits, now, now.Add(-t.Window))
	if err != nil {
		return nil, 0, err
	}
	if ok {
		return a, 0, nil
	}
	wait := max(oldest.Add(t.Window).Sub(now), time.Second)
	if rem := wait % time.Second; rem > 0 {
		wait += time.Second - rem
	}
	return nil, wait, nil
}

// Succeeded forgets this attempt only, and remembers the network as known
// for the account. Every other failure stays, even the account's from this
// network: another address of the same /24 may be an attacker, and signing
// in must not reset the count anyone else is running up.
func (a *Attempt) Succeeded(ctx context.Context) error {
	if err := a.t.st.ReleaseLogin(ctx, a.id); err != nil {
		return err
	}
	return a.t.st.RememberLoginNetwork(ctx, a.account, a.network, a.t.now())
}

// Forget gives the reservation back: the password was not checked (no
// hashing slot was free), so it was no guess.
func (a *Attempt) Forget(ctx context.Context) error {
	return a.t.st.ReleaseLogin(ctx, a.id)
}

func newAttemptID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
