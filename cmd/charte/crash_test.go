package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charte/charte/internal/store/storetest"
)

// TestCrashLosesNothingAcknowledged kills the real binary with SIGKILL while
// consents are being posted, restarts it, and checks that every consent
// answered 201 is stored and that the proof chain still verifies.
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test builds and kills the binary: skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "charte")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	engines := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "crash.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresDSN(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			dsn := engines[name](t)
			base, cmd := startBinary(t, bin, dsn)
			acked := postUntilKilled(t, base, cmd, 400)
			t.Logf("%d consents acknowledged before SIGKILL", len(acked))

			base, cmd = startBinary(t, bin, dsn)
			defer func() { cmd.Process.Kill(); cmd.Wait() }()
			out, err := exec.Command(bin, "consents", "--db", dsn, "--site", "demo", "--format", "json", "export").Output()
			if err != nil {
				t.Fatalf("export: %v", err)
			}
			stored := map[string]bool{}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if !strings.HasPrefix(lines[0], `{"anchor":`) {
				t.Fatalf("the export does not start with the chain's anchor: %q", lines[0])
			}
			for _, line := range lines[1:] {
				var r struct{ ID string }
				if err := json.Unmarshal([]byte(line), &r); err != nil || r.ID == "" {
					t.Fatalf("export line %q: %v", line, err)
				}
				stored[r.ID] = true
			}
			for id := range acked {
				if !stored[id] {
					t.Errorf("consent %s was answered 201 but is lost", id)
				}
			}
			verify := exec.Command(bin, "consents", "--db", dsn, "--site", "demo", "verify")
			if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "chain intact") {
				t.Errorf("verify after the crash: %v\n%s", err, out)
			}
			// The restarted server goes on accepting consents on the same chain.
			if status := postOne(t, http.DefaultClient, base, randomID()); status != http.StatusCreated {
				t.Errorf("post after restart: %d", status)
			}
		})
	}
}

var listening = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

func startBinary(t *testing.T, bin, dsn string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", dsn, "--listen", "127.0.0.1:0", "--consent-rate", "0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- "http://" + m[1]
			}
		}
	}()
	select {
	case addr := <-found:
		return addr, cmd
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the server did not start")
		return "", nil
	}
}

// postUntilKilled posts from many goroutines, kills the server with SIGKILL
// once n consents were acknowledged, and returns the acknowledged ids.
func postUntilKilled(t *testing.T, base string, cmd *exec.Cmd, n int64) map[string]bool {
	var mu sync.Mutex
	acked := map[string]bool{}
	var count atomic.Int64
	var killed atomic.Bool
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !killed.Load() {
				id := randomID()
				if postOne(t, client, base, id) == http.StatusCreated {
					mu.Lock()
					acked[id] = true
					mu.Unlock()
					if count.Add(1) == n && killed.CompareAndSwap(false, true) {
						cmd.Process.Kill() // SIGKILL: no shutdown, no flush
					}
				}
			}
		}()
	}
	wg.Wait()
	cmd.Wait()
	return acked
}

func postOne(t *testing.T, client *http.Client, base, id string) int {
	body := fmt.Sprintf(`{"id":%q,"consent_id":%q,"revision":%q,"action":"reject_all","decisions":{"statistics":false,"marketing":false},"language":"fr","page":"/","gpc":false}`,
		id, randomID(), demoRevision(t, base))
	req, _ := http.NewRequest("POST", base+"/api/v1/sites/demo/consents", bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	resp, err := client.Do(req)
	if err != nil {
		return 0 // the server died mid-request: not acknowledged
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

var revisions sync.Map // base URL → demo revision

func demoRevision(t *testing.T, base string) string {
	if r, ok := revisions.Load(base); ok {
		return r.(string)
	}
	resp, err := http.Get(base + "/api/v1/sites/demo/cookies")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var doc struct{ Revision string }
	json.NewDecoder(resp.Body).Decode(&doc)
	revisions.Store(base, doc.Revision)
	return doc.Revision
}
