package auth

import "time"

// SetThrottleClock lets the external tests (which run the throttle on a real
// store, and the store imports auth) move the throttle's time.
func SetThrottleClock(t *Throttle, now func() time.Time) { t.now = now }
