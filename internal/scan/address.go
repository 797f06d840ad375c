package scan

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// specialPrefixes are the address ranges a back-office scan must not reach:
// the machine itself, the networks behind it and the cloud's metadata
// service. An editor who may start scans is not thereby allowed to read the
// intranet through the report's screenshot (server-side request forgery).
// Each has the reason a blocked-request finding shows.
var specialPrefixes = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"}, // "this network": 0.0.0.0 reaches the local host on Linux
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "private"}, // carrier-grade NAT, internal to a provider
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"}, // 169.254.169.254: cloud metadata
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"}, // IETF protocol assignments
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved"}, // benchmarking, used inside labs
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"}, // 255.255.255.255 included
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "private"}, // local-use NAT64
	{netip.MustParsePrefix("fc00::/7"), "unique-local"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "private"}, // deprecated site-local, still routed by some
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// embeddedV4 returns the IPv4 address an IPv6 address carries in a form
// that reaches it: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
// (::a.b.c.d, deprecated but parsed), NAT64 (64:ff9b::a.b.c.d), 6to4
// (2002:AABB:CCDD::) and Teredo's client address (2001:0::, obfuscated).
// Checking only the IPv6 form would let [::ffff:127.0.0.1] through.
func embeddedV4(a netip.Addr) (netip.Addr, bool) {
	if a.Is4In6() {
		return a.Unmap(), true
	}
	b := a.As16()
	switch {
	case netip.MustParsePrefix("::/96").Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case netip.MustParsePrefix("64:ff9b::/96").Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case netip.MustParsePrefix("2002::/16").Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	case netip.MustParsePrefix("2001::/32").Contains(a):
		return netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]}), true
	}
	return netip.Addr{}, false
}

// SpecialAddress says why a is not a public address ("loopback",
// "private", "link-local", "unique-local", "unspecified", "multicast",
// "reserved"), or "" when it is one. Zones are ignored: fe80::1%eth0 is
// link-local whatever the interface.
func SpecialAddress(a netip.Addr) string {
	if !a.IsValid() {
		return "invalid"
	}
	a = a.WithZone("")
	// The IPv6 ranges first: ::1 is loopback, not the IPv4-compatible
	// 0.0.0.1.
	for _, p := range specialPrefixes {
		if p.prefix.Contains(a) {
			return p.reason
		}
	}
	if v4, ok := embeddedV4(a); ok {
		return SpecialAddress(v4)
	}
	return ""
}

// AddressPolicy decides which addresses a scan's browser may reach.
type AddressPolicy struct {
	// PublicOnly refuses every special address (SpecialAddress); off, the
	// scan reaches anything, as the operator's own CLI does by default.
	PublicOnly bool
	// Allow lists addresses reachable even when PublicOnly, such as a test
	// server on loopback standing for a public site.
	Allow []netip.Addr
	// lookup replaces DNS in tests, to give a name a private address.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// resolve returns host's addresses: itself for an address literal.
func (p AddressPolicy) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a}, nil
	}
	var ips []netip.Addr
	var err error
	if p.lookup != nil {
		ips, err = p.lookup(ctx, host)
	} else {
		ips, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	if err == nil && len(ips) == 0 {
		err = fmt.Errorf("no address for %s", host)
	}
	return ips, err
}

// refuse says why the policy refuses a, "" when it allows it.
func (p AddressPolicy) refuse(a netip.Addr) string {
	if !p.PublicOnly {
		return ""
	}
	a = a.WithZone("")
	for _, ok := range p.Allow {
		if ok.Unmap() == a.Unmap() {
			return ""
		}
	}
	return SpecialAddress(a)
}
