package auth

import (
	"context"
	"testing"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func TestThrottle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		th := NewThrottle(s)
		th.now = func() time.Time { return now }
		steps := []struct {
			advance   time.Duration
			email, ip string
			fail      bool
			wait      time.Duration // expected Blocked before the step's failure
		}{
			{0, "a@x", "192.0.2.1", true, 0},
			{time.Minute, "A@x", "192.0.2.2", true, 0},
			{time.Minute, "a@x", "192.0.2.3", true, 0},
			{time.Minute, "a@x", "192.0.2.4", true, 0},
			{time.Minute, "a@x", "192.0.2.5", true, 0},
			// Five failures for a@x from five addresses: the account is locked
			// until the first leaves the 15-minute window, whatever the IP.
			{time.Minute, "a@x", "198.51.100.1", false, 10 * time.Minute},
			{0, "b@x", "192.0.2.1", false, 0},
			{11 * time.Minute, "a@x", "198.51.100.1", false, 0},
		}
		for i, st := range steps {
			now = now.Add(st.advance)
			wait, err := th.Blocked(ctx, st.email, st.ip)
			if err != nil {
				t.Fatal(err)
			}
			if wait != st.wait {
				t.Errorf("step %d: Blocked(%s, %s) = %v, want %v", i, st.email, st.ip, wait, st.wait)
			}
			if st.fail {
				if err := th.Failed(ctx, st.email, st.ip); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Five failures from one address on five accounts lock the address.
		for i := range 5 {
			th.Failed(ctx, string(rune('c'+i))+"@x", "203.0.113.9")
		}
		if wait, _ := th.Blocked(ctx, "new@x", "203.0.113.9"); wait <= 0 {
			t.Errorf("an address with 5 failures is not blocked")
		}
		if err := th.Succeeded(ctx, "a@x"); err != nil {
			t.Fatal(err)
		}
	})
}
