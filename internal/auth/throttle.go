package auth

import (
	"context"
	"strings"
	"time"

	"github.com/charte/charte/internal/store"
)

// Throttle limits password guessing: after Max failures within Window for
// one account, or from one IP address, logins are refused until the oldest
// failure leaves the window. Counting per account stops a distributed
// attack on one person; per IP, one machine trying many accounts.
type Throttle struct {
	st     store.Store
	Max    int
	Window time.Duration
	now    func() time.Time
}

// NewThrottle allows 5 failures in 15 minutes.
func NewThrottle(st store.Store) *Throttle {
	return &Throttle{st: st, Max: 5, Window: 15 * time.Minute, now: time.Now}
}

func throttleKeys(email, ip string) []string {
	return []string{"email:" + strings.ToLower(strings.TrimSpace(email)), "ip:" + ip}
}

// Blocked returns how long to wait before trying again, or 0 when a
// login attempt may proceed. The wait is rounded up to whole seconds for
// Retry-After.
func (t *Throttle) Blocked(ctx context.Context, email, ip string) (time.Duration, error) {
	now := t.now()
	var wait time.Duration
	for _, k := range throttleKeys(email, ip) {
		n, oldest, err := t.st.LoginFailures(ctx, k, now.Add(-t.Window))
		if err != nil {
			return 0, err
		}
		if n >= t.Max {
			if w := oldest.Add(t.Window).Sub(now); w > wait {
				wait = w
			}
		}
	}
	if rem := wait % time.Second; rem > 0 {
		wait += time.Second - rem
	}
	return wait, nil
}

// Failed records a failed attempt for both the account and the IP. An
// unknown email counts like a known one, so throttling does not reveal
// which accounts exist.
func (t *Throttle) Failed(ctx context.Context, email, ip string) error {
	now := t.now()
	return t.st.AddLoginFailure(ctx, throttleKeys(email, ip), now, now.Add(-t.Window))
}

// Succeeded forgets the account's failures. The IP's stay: an attacker who
// owns one account must not be able to reset the count for the others.
func (t *Throttle) Succeeded(ctx context.Context, email string) error {
	return t.st.ClearLoginFailures(ctx, throttleKeys(email, "")[0])
}
