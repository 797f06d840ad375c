package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestBenchLogins runs the login flood briefly against an in-process
// server: attempts are hashed (random addresses escape the throttles), and
// the peak memory is reported.
func TestBenchLogins(t *testing.T) {
	code, out, errOut := charte(t, "", nil, "bench", "--logins", "--concurrency", "20", "--duration", "2s")
	if code != 0 {
		t.Fatalf("bench --logins: exit %d, %s %s", code, out, errOut)
	}
	m := regexp.MustCompile(`(\d+) wrong password \(hashed\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no count of evaluated attempts: %q", out)
	}
	if n, _ := strconv.Atoi(m[1]); n == 0 {
		t.Errorf("no attempt evaluated: %q", out)
	}
	if !regexp.MustCompile(`peak RSS [1-9]\d* MB, peak Go heap in use \d+ MB`).MatchString(out) {
		t.Errorf("no peak memory reported: %q", out)
	}
	code, _, errOut = charte(t, "", nil, "bench", "--logins", "--url", "http://127.0.0.1:1", "--db", "sqlite:x.db")
	if code != 2 || !strings.Contains(errOut, "--db is for the in-process server") {
		t.Errorf("--db with --url: exit %d, %q", code, errOut)
	}
}
