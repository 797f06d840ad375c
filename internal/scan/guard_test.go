package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testPolicy stands the test site on 127.0.0.1 for a public site: that one
// address is allowed, every other special address refused, and the name
// "intranet.test" resolves to a private address as an intranet name would.
func testPolicy() AddressPolicy {
	return AddressPolicy{PublicOnly: true, Allow: []netip.Addr{netip.MustParseAddr("127.0.0.1")},
		lookup: func(_ context.Context, host string) ([]netip.Addr, error) {
			switch host {
			case "intranet.test":
				return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
			case "rebind.test":
				// A public address and a private one: refused as a whole.
				return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.2")}, nil
			}
			return nil, fmt.Errorf("no such host %s", host)
		}}
}

// TestScanAddressGuard scans a "public" page that reaches for internal
// addresses in every way a page can: each request is blocked and reported,
// the internal server never hears from the browser, and the opt-in lets
// them through.
func TestScanAddressGuard(t *testing.T) {
	needChromium(t)
	var secretHits atomic.Int64
	secret := listenOn(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secretHits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><p>internal secret`)
	}))
	secretURL := secret.URL + "/secret"
	port := secret.URL[strings.LastIndex(secret.URL, ":")+1:]
	site := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<!doctype html><title>public</title>
<a href="/redirect">redirect</a>
<img src="%[1]s?img">
<iframe src="%[1]s?iframe"></iframe>
<img src="http://169.254.169.254/latest/meta-data/">
<img src="http://[::ffff:127.0.0.2]:%[2]s/mapped">
<img src="http://intranet.test:%[2]s/name">
<img src="http://rebind.test:%[2]s/rebind">
<img src="http://2130706434:%[2]s/decimal">
<img src="http://0x7f.0.0.2:%[2]s/hex">
<script>fetch(%[1]q + '?fetch').catch(() => {})</script>`, secretURL, port)
		case "/redirect":
			http.Redirect(w, r, secretURL+"?redirect", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	tests := []struct {
		name    string
		policy  AddressPolicy
		blocked []BlockedRequest // host, address, reason; requests unchecked
		hits    bool             // the internal server was reached
	}{
		{"public only", testPolicy(), []BlockedRequest{
			{Host: "127.0.0.2", Address: "127.0.0.2", Reason: "loopback"},
			{Host: "169.254.169.254", Address: "169.254.169.254", Reason: "link-local"},
			// Chromium writes the mapped address in hex.
			{Host: "::ffff:7f00:2", Address: "127.0.0.2", Reason: "loopback"},
			{Host: "intranet.test", Address: "10.1.2.3", Reason: "private"},
			{Host: "rebind.test", Address: "127.0.0.2", Reason: "loopback"},
		}, false},
		{"private networks allowed", AddressPolicy{}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secretHits.Store(0)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			r, err := Run(ctx, Options{URL: site.URL, Concurrency: 1, Settle: 200 * time.Millisecond,
				LoadTimeout: 5 * time.Second, StepTimeout: 3 * time.Second, Policy: tt.policy})
			if err != nil {
				t.Fatal(err)
			}
			// The decimal and hex spellings of 127.0.0.2 reach the proxy
			// as Chromium canonicalises them: only this count shows them.
			if got := secretHits.Load() > 0; got != tt.hits {
				t.Errorf("internal server reached = %v (%d requests), want %v", got, secretHits.Load(), tt.hits)
			}
			got := map[BlockedRequest]bool{}
			for _, f := range r.Findings {
				if f.Kind == KindBlocked {
					got[BlockedRequest{Host: f.Domain, Address: f.Address, Reason: f.Name}] = true
					if !strings.Contains(f.Message("en"), "was blocked") || !strings.Contains(f.Message("fr"), "bloquée") {
						t.Errorf("message: %q / %q", f.Message("en"), f.Message("fr"))
					}
				}
			}
			for _, b := range tt.blocked {
				if !got[b] {
					t.Errorf("no blocked finding for %+v; got %v", b, got)
				}
			}
			if len(tt.blocked) == 0 && len(got) > 0 {
				t.Errorf("blocked %v with private networks allowed", got)
			}
			if tt.policy.PublicOnly {
				// The redirect's page is the blocked one: no internal text.
				for _, v := range r.Pass(PassArrival).Visits {
					if strings.HasSuffix(v.URL, "/redirect") && v.Status == http.StatusOK {
						t.Errorf("redirect to the internal page answered %d", v.Status)
					}
				}
			}
		})
	}
}

// TestCheckURL refuses a start URL on a special address before any browser
// starts, whatever the spelling.
func TestCheckURL(t *testing.T) {
	for _, tt := range []struct {
		url    string
		policy AddressPolicy
		reason string // "" allowed
	}{
		{"http://127.0.0.1:8080/", AddressPolicy{PublicOnly: true}, "loopback"},
		{"http://[::1]/", AddressPolicy{PublicOnly: true}, "loopback"},
		{"http://[::ffff:127.0.0.1]/", AddressPolicy{PublicOnly: true}, "loopback"},
		{"http://169.254.169.254/latest/meta-data/", AddressPolicy{PublicOnly: true}, "link-local"},
		{"http://0.0.0.0:8080/", AddressPolicy{PublicOnly: true}, "unspecified"},
		{"http://[fd00::1]/", AddressPolicy{PublicOnly: true}, "unique-local"},
		{"http://intranet.test/", testPolicy(), "private"},
		{"http://192.168.1.1/", AddressPolicy{}, ""},
		{"http://127.0.0.1:8080/", testPolicy(), ""},
		{"http://93.184.215.14/", AddressPolicy{PublicOnly: true}, ""},
	} {
		t.Run(tt.url, func(t *testing.T) {
			err := CheckURL(context.Background(), tt.url, tt.policy)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrPrivateAddress) || !strings.Contains(err.Error(), "a "+tt.reason+" address") {
				t.Fatalf("err = %v, want a %s refusal", err, tt.reason)
			}
			u, _ := url.Parse(tt.url)
			if _, err := Run(context.Background(), Options{URL: tt.url, Policy: tt.policy}); !errors.Is(err, ErrPrivateAddress) {
				t.Errorf("Run(%s) = %v, want the refusal before starting", u, err)
			}
		})
	}
}

// TestGuardProxy drives the proxy as Chromium does, plain and through
// CONNECT: allowed addresses are reached, refused ones answer 403 without a
// connection and are counted once per host and address.
func TestGuardProxy(t *testing.T) {
	var hits atomic.Int64
	target := listenOn(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "internal")
	}))
	allowed := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "public")
	}))
	g, err := startGuard(testPolicy())
	if err != nil {
		t.Fatal(err)
	}
	defer g.close()
	proxy, _ := url.Parse(g.proxyURL())
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy)}, Timeout: 10 * time.Second}
	port := target.URL[strings.LastIndex(target.URL, ":")+1:]
	tests := []struct {
		url    string
		status int
		body   string
	}{
		{allowed.URL + "/", 200, "public"},
		{target.URL + "/", 403, "blocked request to a loopback address"},
		{"http://[::ffff:127.0.0.2]:" + port + "/", 403, "loopback"},
		{"http://intranet.test:" + port + "/", 403, "private"},
		{"http://rebind.test:" + port + "/", 403, "loopback"},
		{"http://169.254.169.254/latest/meta-data/", 403, "link-local"},
	}
	for _, tt := range tests {
		res, err := client.Get(tt.url)
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		if body := readAll(res); res.StatusCode != tt.status || !strings.Contains(body, tt.body) {
			t.Errorf("%s: %d %q, want %d with %q", tt.url, res.StatusCode, body, tt.status, tt.body)
		}
	}
	// CONNECT, as for https: the tunnel is refused before any byte flows.
	for _, hostPort := range []string{strings.TrimPrefix(target.URL, "http://"), "intranet.test:443"} {
		req, _ := http.NewRequest(http.MethodConnect, g.proxyURL(), nil)
		req.Host = hostPort
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("CONNECT %s: %d, want 403", hostPort, res.StatusCode)
		}
	}
	// An allowed CONNECT tunnels bytes both ways.
	req, _ := http.NewRequest(http.MethodConnect, g.proxyURL(), nil)
	req.Host = strings.TrimPrefix(allowed.URL, "http://")
	if res, err := http.DefaultTransport.RoundTrip(req); err != nil || res.StatusCode != 200 {
		t.Errorf("CONNECT to the allowed server: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if hits.Load() != 0 {
		t.Errorf("the internal server got %d requests", hits.Load())
	}
	got := g.take()
	want := []BlockedRequest{
		{Host: "127.0.0.2", Address: "127.0.0.2", Reason: "loopback", Requests: 2},
		{Host: "169.254.169.254", Address: "169.254.169.254", Reason: "link-local", Requests: 1},
		{Host: "::ffff:127.0.0.2", Address: "127.0.0.2", Reason: "loopback", Requests: 1},
		{Host: "intranet.test", Address: "10.1.2.3", Reason: "private", Requests: 2},
		{Host: "rebind.test", Address: "127.0.0.2", Reason: "loopback", Requests: 1},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("blocked = %+v\nwant      %+v", got, want)
	}
	if again := g.take(); len(again) != 0 {
		t.Errorf("take does not forget: %+v", again)
	}
}

func readAll(res *http.Response) string {
	defer res.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, res.Body)
	return b.String()
}
