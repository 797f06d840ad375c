package main

import (
	"bufio"
	"context"
	"debug/elf"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/testenv"
)

// TestStaticBinaryInEmptyRoot checks what the FROM scratch image of
// deploy/Dockerfile needs, without a container runtime: the binary built
// with CGO off is static, and it serves /healthz and /readyz from a root
// directory holding only itself, the CA certificates and an empty data
// directory, as the unprivileged user the image runs as, with its time
// zone data embedded (TZ=Europe/Paris shows in its logs' offsets though the
// root has no /usr/share/zoneinfo).
func TestStaticBinaryInEmptyRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary: skipped with -short")
	}
	if os.Geteuid() != 0 {
		testenv.Missing(t, "root", "chroot needs root: the empty-root test of the container image is skipped (run it as root, as CI does)")
	}
	root := t.TempDir()
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "charte")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the binary asks for a dynamic loader: a FROM scratch image could not run it")
		}
	}
	f.Close()
	certs, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		testenv.Missing(t, "root", "no CA bundle at /etc/ssl/certs/ca-certificates.crt to copy into the image: "+err.Error())
	}
	for _, dir := range []string{"etc/ssl/certs", "data"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "etc/ssl/certs/ca-certificates.crt"), certs, 0o644); err != nil {
		t.Fatal(err)
	}
	// The image's user (deploy/Dockerfile: USER 65534:65534) owns /data only.
	if err := os.Chown(filepath.Join(root, "data"), 65534, 65534); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command("/charte", "serve", "--listen", "127.0.0.1:0")
	cmd.Dir = "/"
	cmd.Env = []string{"CHARTE_DB=sqlite:/data/charte.db", "TZ=Europe/Paris"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var base string
	var logs []string
	timeout := time.After(60 * time.Second)
	for base == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("charte exited in the empty root:\n%s", strings.Join(logs, "\n"))
			}
			logs = append(logs, line)
			if m := listening.FindStringSubmatch(line); m != nil {
				base = "http://" + m[1]
			}
		case <-timeout:
			t.Fatalf("charte did not start in the empty root:\n%s", strings.Join(logs, "\n"))
		}
	}
	if !regexp.MustCompile(`time=\S+\+0[12]:00 `).MatchString(logs[len(logs)-1]) {
		t.Errorf("TZ=Europe/Paris is not applied in a root without zoneinfo (time/tzdata not embedded?): %s", logs[len(logs)-1])
	}
	for _, tt := range []struct{ path, want string }{{"/healthz", "ok\n"}, {"/readyz", "ready\n"}} {
		resp, err := http.Get(base + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != tt.want {
			t.Errorf("GET %s in the empty root: %d %q, want 200 %q", tt.path, resp.StatusCode, body, tt.want)
		}
	}
	// The image's HEALTHCHECK: the binary asks itself, with no curl inside.
	_, port, _ := strings.Cut(strings.TrimPrefix(base, "http://"), ":")
	hc := exec.Command("/charte", "healthcheck")
	hc.Dir = "/"
	hc.Env = []string{"CHARTE_LISTEN=0.0.0.0:" + port}
	hc.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if out, err := hc.CombinedOutput(); err != nil || !strings.Contains(string(out), "/healthz: ok") {
		t.Errorf("charte healthcheck in the empty root: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(root, "data/charte.db")); err != nil {
		t.Errorf("the database is not in the data directory: %v", err)
	}
}

// The profiler answers on its own opt-in listener and never on the public
// one.
func TestPprofOnlyOnItsListener(t *testing.T) {
	for _, tt := range []struct {
		name  string
		args  []string
		pprof bool
	}{
		{"off by default", nil, false},
		{"on its own address", []string{"--pprof-listen", "127.0.0.1:0"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			logs := &syncBuffer{}
			done := make(chan int)
			db := tempDB(t)
			go func() {
				done <- run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, tt.args...), cli.IO{
					Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs,
					Getenv: func(k string) string { return map[string]string{"CHARTE_DB": db}[k] },
				})
			}()
			defer func() { cancel(); <-done }()
			var base string
			for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if m := listening.FindStringSubmatch(logs.String()); m != nil {
					base = "http://" + m[1]
				}
			}
			if base == "" {
				t.Fatalf("server did not start: %s", logs.String())
			}
			if status := httpStatus(t, base+"/debug/pprof/"); status != 404 {
				t.Errorf("public listener /debug/pprof/: %d, want 404", status)
			}
			m := regexp.MustCompile(`profiler=(127\.0\.0\.1:\d+)`).FindStringSubmatch(logs.String())
			if (m != nil) != tt.pprof {
				t.Fatalf("profiler listening: %v, want %v\n%s", m != nil, tt.pprof, logs.String())
			}
			if m != nil {
				if status := httpStatus(t, "http://"+m[1]+"/debug/pprof/heap?debug=1"); status != 200 {
					t.Errorf("profiler listener /debug/pprof/heap: %d, want 200", status)
				}
			}
		})
	}
}

func httpStatus(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// charte healthcheck exits 0 only on a 200, asking CHARTE_LISTEN's port on
// loopback when no URL is given.
func TestHealthcheck(t *testing.T) {
	db := tempDB(t)
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	base := serveDB(t, db, nil)
	port := base[strings.LastIndex(base, ":")+1:]
	closed := httptest.NewServer(nil)
	closed.Close()
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"healthz by URL", []string{"--url", base + "/healthz"}, nil, 0, "/healthz: ok"},
		{"readyz by URL", []string{"--url", base + "/readyz"}, nil, 0, "/readyz: ready"},
		{"wildcard listen address asked on loopback", nil, map[string]string{"CHARTE_LISTEN": "0.0.0.0:" + port}, 0, "http://127.0.0.1:" + port + "/healthz: ok"},
		{"not found", []string{"--url", base + "/nowhere"}, nil, 1, "404 Not Found"},
		{"nothing listens", []string{"--url", closed.URL + "/healthz"}, nil, 1, "connection refused"},
		{"bad listen address", nil, map[string]string{"CHARTE_LISTEN": "8080"}, 2, `CHARTE_LISTEN="8080": want HOST:PORT`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := charte(t, "", tt.env, append([]string{"healthcheck"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, want %d with %q\n%s%s", code, tt.code, tt.want, out, errOut)
			}
		})
	}
}

// charte bench spreads its connections over every node and site it is
// given, and every consent it counts is stored.
func TestBenchSeveralNodesAndSites(t *testing.T) {
	db := tempDB(t)
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	// A second site that asks for consent: demo's registry under another id.
	_, demo, _ := charte(t, "", nil, "site", "--db", db, "export", "demo")
	file := filepath.Join(t.TempDir(), "demo2.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(demo, "id: demo\n", "id: demo2\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := charte(t, "", nil, "site", "--db", db, "import", file); code != 0 {
		t.Fatalf("import demo2: %d %s", code, errOut)
	}
	a, b := serveDB(t, db, nil), serveDB(t, db, nil)
	code, out, errOut := charte(t, "", nil, "bench", "--url", a+","+b, "--site", "demo,demo2",
		"--origin", "https://opendata.pau.fr", "--concurrency", "4", "--duration", "1s")
	if code != 0 || !strings.Contains(out, " 0 failed (concurrency 4, 2 node(s) × 2 site(s))") {
		t.Fatalf("bench: %d %s%s", code, out, errOut)
	}
	code, out, errOut = charte(t, "", nil, "db", "check", "--db", db)
	if code != 0 || strings.Contains(out, "demo: 0 records") || strings.Contains(out, "demo2: 0 records") || !strings.Contains(out, "demo2: ") {
		t.Errorf("after the bench, both sites have consents in intact chains: %d\n%s%s", code, out, errOut)
	}
}

// charte bench --sites creates and publishes the sites, serves each one's
// charter and banner in both languages cold then warm, and reports it all.
func TestBenchSites(t *testing.T) {
	code, out, errOut := charte(t, "", nil, "bench", "--sites", "5", "--concurrency", "2", "--db", tempDB(t))
	for _, want := range []string{"5 sites created and published", "charter (fr, en): cold p50 ", "banner (fr, en): cold p50 ", "live heap after serving"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("bench --sites: exit %d, want %q in\n%s%s", code, want, out, errOut)
		}
	}
	if code, _, errOut := charte(t, "", nil, "bench", "--sites", "5", "--logins"); code != 2 || !strings.Contains(errOut, "one at a time") {
		t.Errorf("--sites with --logins: %d %s", code, errOut)
	}
}
