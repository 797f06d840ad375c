package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// guard is an HTTP forward proxy, on loopback, that every request of a
// policed scan's browser goes through (Chromium's --proxy-server). It
// resolves each host itself, refuses the connection when any address is
// one the policy refuses, and dials the very address it checked: a name
// cannot resolve to a public address for the check and to a private one for
// the connection (DNS rebinding). Redirects, subresources, iframes, fetches
// and WebSockets are all new requests, so all come through it.
type guard struct {
	policy AddressPolicy
	ln     net.Listener
	srv    *http.Server
	dialer net.Dialer

	mu      sync.Mutex
	blocked map[BlockedRequest]int
}

// errBlocked is the dial error of a refused address.
type errBlocked struct {
	host   string
	addr   netip.Addr
	reason string
}

func (e *errBlocked) Error() string {
	return fmt.Sprintf("%s resolves to %s, a %s address", e.host, e.addr, e.reason)
}

// startGuard listens on a loopback port and serves until close.
func startGuard(policy AddressPolicy) (*guard, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	g := &guard{policy: policy, ln: ln, blocked: map[BlockedRequest]int{}, dialer: net.Dialer{Timeout: 10 * time.Second}}
	rp := &httputil.ReverseProxy{
		// A forward proxy gets absolute URLs: send the request where it
		// says, headers untouched but for the hop-by-hop ones.
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL = pr.In.URL
			pr.Out.Host = pr.In.Host
		},
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           g.dial,
			ForceAttemptHTTP2:     false,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       30 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
		},
		ErrorHandler: g.proxyError,
	}
	g.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodConnect {
				g.connect(w, r)
				return
			}
			if !r.URL.IsAbs() || (r.URL.Scheme != "http" && r.URL.Scheme != "ws") {
				http.Error(w, "charte scan proxy: absolute http URL expected", http.StatusBadRequest)
				return
			}
			if r.URL.Scheme == "ws" {
				r.URL.Scheme = "http"
			}
			rp.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = g.srv.Serve(ln) }()
	return g, nil
}

// proxyURL is what Chromium's --proxy-server takes.
func (g *guard) proxyURL() string { return "http://" + g.ln.Addr().String() }

func (g *guard) close() {
	_ = g.srv.Close()
}

// take returns the requests blocked since the last call, sorted, and
// forgets them: each pass reports its own.
func (g *guard) take() []BlockedRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]BlockedRequest, 0, len(g.blocked))
	for b, n := range g.blocked {
		b.Requests = n
		out = append(out, b)
	}
	g.blocked = map[BlockedRequest]int{}
	slices.SortFunc(out, func(a, b BlockedRequest) int { return strings.Compare(a.Host+" "+a.Address, b.Host+" "+b.Address) })
	return out
}

// dial resolves addr's host, checks every address and connects to the
// first the policy allows, by address.
func (g *guard) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("port %q: %w", portText, err)
	}
	ips, err := g.policy.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	// Every address is checked, not only the one dialled: a name with a
	// public and a private address would otherwise reach the private one
	// whenever the public one fails.
	for _, ip := range ips {
		if reason := g.policy.refuse(ip); reason != "" {
			g.mu.Lock()
			g.blocked[BlockedRequest{Host: strings.ToLower(host), Address: ip.Unmap().String(), Reason: reason}]++
			g.mu.Unlock()
			return nil, &errBlocked{host: host, addr: ip, reason: reason}
		}
	}
	var last error
	for _, ip := range ips {
		c, err := g.dialer.DialContext(ctx, network, netip.AddrPortFrom(ip.Unmap(), uint16(port)).String())
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, last
}

// proxyError answers a request the proxy could not forward: 403 for a
// refused address (Chromium shows the page, and the report the finding),
// 502 otherwise.
func (g *guard) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	var b *errBlocked
	if errors.As(err, &b) {
		http.Error(w, "charte scan: blocked request to a "+b.reason+" address", http.StatusForbidden)
		return
	}
	http.Error(w, "charte scan proxy: "+err.Error(), http.StatusBadGateway)
}

// connect tunnels https (and wss): the host is checked and dialled by
// address like any other; Chromium still verifies the certificate against
// the name.
func (g *guard) connect(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	up, err := g.dial(ctx, "tcp", r.Host)
	cancel()
	if err != nil {
		g.proxyError(w, r, err)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		up.Close()
		http.Error(w, "charte scan proxy: cannot tunnel", http.StatusInternalServerError)
		return
	}
	down, buf, err := hj.Hijack()
	if err != nil {
		up.Close()
		return
	}
	if _, err := io.WriteString(down, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		up.Close()
		down.Close()
		return
	}
	// Bytes the browser sent after the CONNECT line (a TLS hello) are in
	// the buffer: forward them first.
	if n := buf.Reader.Buffered(); n > 0 {
		b, _ := buf.Reader.Peek(n)
		if _, err := up.Write(b); err != nil {
			up.Close()
			down.Close()
			return
		}
	}
	go func() {
		_, _ = io.Copy(up, down)
		up.Close()
	}()
	_, _ = io.Copy(down, up)
	down.Close()
}

// CheckURL refuses, before any browser starts, a start URL whose host
// resolves to an address the policy refuses: the operator gets a clear
// error rather than a report of one blocked page.
func CheckURL(ctx context.Context, rawURL string, policy AddressPolicy) error {
	if !policy.PublicOnly {
		return nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("scan: %q is not an http(s) URL", rawURL)
	}
	ips, err := policy.resolve(ctx, u.Hostname())
	if err != nil {
		return fmt.Errorf("scan: resolve %s: %w", u.Hostname(), err)
	}
	for _, ip := range ips {
		if reason := policy.refuse(ip); reason != "" {
			return fmt.Errorf("%w: %s resolves to %s, a %s address", ErrPrivateAddress, u.Hostname(), ip.Unmap(), reason)
		}
	}
	return nil
}

// ErrPrivateAddress is the error of a start URL on a refused address.
var ErrPrivateAddress = errors.New("scan: only public addresses may be scanned")
