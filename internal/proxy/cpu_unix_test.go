//go:build unix

package proxy

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used, user and system:
// on a loaded machine, where wall-clock times swing with other work, the
// CPU a request costs is the steadier measure of what limits throughput.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
