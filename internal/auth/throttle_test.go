package auth_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func TestThrottle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		th := auth.NewThrottle(s)
		th.PerAccountNetwork, th.PerNetwork, th.PerAccount = 3, 5, 4
		auth.SetThrottleClock(th, func() time.Time { return now })
		steps := []struct {
			name      string
			advance   time.Duration
			email     string
			addr      string
			ok        bool          // the password is right
			wait      time.Duration // expected Retry-After, 0 when let through
			repeat    int           // the step happens this many times (1 when 0)
			lastWaits bool          // only the last repetition is checked against wait
		}{
			{name: "owner signs in from the office", email: "owner@x", addr: "192.0.2.10", ok: true},
			{name: "3 failures on owner from one address", advance: time.Minute, email: "owner@x", addr: "198.51.100.1", repeat: 3},
			{name: "a 4th from a neighbour on the same /24", email: "OWNER@x", addr: "198.51.100.2", wait: 15 * time.Minute},
			{name: "1 more on owner from another network: 4 for the account", email: "owner@x", addr: "203.0.113.1"},
			{name: "the account is now locked from unknown networks", email: "owner@x", addr: "203.0.113.99", wait: 15 * time.Minute},
			{name: "but not from the office it signed in from", email: "owner@x", addr: "192.0.2.11", ok: true},
			{name: "the owner's success erased no failure", email: "owner@x", addr: "203.0.113.99", wait: 15 * time.Minute},
			{name: "another account from the attacker's /24 still has network room", email: "b@x", addr: "198.51.100.3"},
			{name: "the attacker's network fills up on other accounts", email: "c@x", addr: "198.51.100.4"},
			{name: "network full (5) for any account", email: "d@x", addr: "198.51.100.200", wait: 15 * time.Minute},
			{name: "another network is untouched", email: "d@x", addr: "192.0.2.50"},
			{name: "IPv6: the /64 is one network", advance: time.Minute, email: "v6@x", addr: "2001:db8:0:1::1", repeat: 3},
			{name: "another address in the /64 is blocked", email: "v6@x", addr: "2001:db8:0:1:ffff::2", wait: 15 * time.Minute},
			{name: "the next /64 is not", email: "v6@x", addr: "2001:db8:0:2::1"},
			{name: "the first failures leave the window", advance: 15 * time.Minute, email: "owner@x", addr: "198.51.100.1"},
		}
		for _, st := range steps {
			now = now.Add(st.advance)
			for i := range max(st.repeat, 1) {
				a, wait, err := th.Reserve(ctx, st.email, st.addr)
				if err != nil {
					t.Fatal(err)
				}
				if wait != st.wait || (wait == 0) != (a != nil) {
					t.Errorf("%s (#%d): Reserve(%s, %s) = %v, wait %v; want wait %v", st.name, i+1, st.email, st.addr, a != nil, wait, st.wait)
				}
				if a != nil && st.ok {
					if err := a.Succeeded(ctx); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	})
}

// TestThrottleConcurrent: 100 wrong passwords at once for one account
// from one address get at most PerAccountNetwork evaluated.
func TestThrottleConcurrent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		th := auth.NewThrottle(s)
		var evaluated, throttled atomic.Int64
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, wait, err := th.Reserve(context.Background(), "victim@x", fmt.Sprintf("198.51.100.%d", i%2))
				switch {
				case err != nil:
					t.Error(err)
				case a != nil:
					evaluated.Add(1)
				case wait > 0:
					throttled.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := evaluated.Load(); n != int64(th.PerAccountNetwork) || throttled.Load() != 100-n {
			t.Errorf("%d evaluated, %d throttled of 100; want %d evaluated, the rest throttled", n, throttled.Load(), th.PerAccountNetwork)
		}
	})
}
