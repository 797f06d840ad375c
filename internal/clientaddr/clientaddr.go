// Package clientaddr is charte's one definition of a client's address: the
// consent rate limit, the consent records, login throttling, sessions and
// the audit log all ask it, so they agree behind a reverse proxy.
package clientaddr

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Policy says whom to believe about the client's address.
//
// Without TrustProxy the address is the TCP peer's: X-Forwarded-For is
// ignored, since any client can send one. With TrustProxy, charte runs
// behind Hops reverse proxies (1 when zero), each appending the address it
// received the request from to X-Forwarded-For. The client is then the
// Hops-th entry from the right: the entries to its right were added by the
// trusted proxies, those to its left by whoever sent the request and may
// be forged. Several X-Forwarded-For header lines count as one list, in
// order. When that entry is missing or is not an IP address, the peer's
// address is used, so a misconfigured proxy degrades to one shared address
// rather than to one the client chose.
type Policy struct {
	TrustProxy bool
	Hops       int
}

// From returns the client address of r, without port or brackets.
func (p Policy) From(r *http.Request) string {
	if p.TrustProxy {
		if a, ok := p.forwarded(r.Header.Values("X-Forwarded-For")); ok {
			return a
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (p Policy) forwarded(lines []string) (string, bool) {
	var entries []string
	for _, l := range lines {
		for _, e := range strings.Split(l, ",") {
			entries = append(entries, strings.TrimSpace(e))
		}
	}
	hops := max(p.Hops, 1)
	if len(entries) < hops {
		return "", false
	}
	e := entries[len(entries)-hops]
	// Some proxies write "addr:port" or "[v6]:port".
	if host, _, err := net.SplitHostPort(e); err == nil {
		e = host
	}
	a, err := netip.ParseAddr(e)
	if err != nil {
		return "", false
	}
	return a.Unmap().String(), true
}

// Network is the network an address belongs to for throttling: its /24
// for IPv4 and its /64 for IPv6, the block one subscriber or one machine
// usually holds, so an attacker cannot walk around a limit by changing the
// low bits. Anything that is not an address is its own network.
func Network(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap()
	bits := 64
	if a.Is4() {
		bits = 24
	}
	pfx, err := a.Prefix(bits)
	if err != nil {
		return addr
	}
	return pfx.String()
}
