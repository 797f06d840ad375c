// Package testenv decides what tests do when a real dependency (PostgreSQL,
// Chromium) is absent: skip with a clear message on a developer's machine,
// fail in CI, where CHARTE_TEST_REQUIRE lists what must be there.
package testenv

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Require is the environment variable listing dependencies that must be
// present (comma-separated: postgres, chromium).
const Require = "CHARTE_TEST_REQUIRE"

// Missing skips the test, or fails it when what is required.
func Missing(t testing.TB, what, reason string) {
	t.Helper()
	if slices.Contains(strings.Split(os.Getenv(Require), ","), what) {
		t.Fatalf("%s (required by %s=%s)", reason, Require, os.Getenv(Require))
	}
	t.Skip(reason)
}

// Chromium returns the path of the Chromium binary: $CHARTE_CHROMIUM, else
// chromium or chromium-browser on PATH; it skips the test when there is none.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHARTE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "chromium", "chromium not found: apt-get install chromium to run browser tests")
	return ""
}
