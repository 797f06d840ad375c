//go:build !unix

package proxy

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
