package scan

import (
	"net/netip"
	"testing"
	"time"
)

func TestSpecialAddress(t *testing.T) {
	tests := []struct {
		addr, want string
	}{
		{"127.0.0.1", "loopback"},
		{"127.255.0.7", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::127.0.0.1", "loopback"},
		{"64:ff9b::7f00:1", "loopback"},
		{"2002:7f00:1::", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"192.168.1.1", "private"},
		{"::ffff:192.168.1.1", "private"},
		{"100.64.0.1", "private"},
		{"169.254.169.254", "link-local"},
		{"::ffff:169.254.169.254", "link-local"},
		{"::ffff:a9fe:a9fe", "link-local"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"fc00::1", "unique-local"},
		{"fd12:3456::1", "unique-local"},
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"::", "unspecified"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "reserved"},
		{"240.0.0.1", "reserved"},
		// Public addresses, and lookalikes just outside the ranges.
		{"93.184.215.14", ""},
		{"8.8.8.8", ""},
		{"172.32.0.1", ""},
		{"172.15.255.255", ""},
		{"192.169.0.1", ""},
		{"::ffff:8.8.8.8", ""},
		{"2606:4700::1111", ""},
		{"2002:808:808::", ""},
		{"fbff::1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := SpecialAddress(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("SpecialAddress(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}

func TestAddressPolicy(t *testing.T) {
	test := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		name   string
		policy AddressPolicy
		addr   string
		want   string
	}{
		{"anything goes by default", AddressPolicy{}, "169.254.169.254", ""},
		{"public only refuses loopback", AddressPolicy{PublicOnly: true}, "127.0.0.1", "loopback"},
		{"an allowed address passes", AddressPolicy{PublicOnly: true, Allow: []netip.Addr{test}}, "127.0.0.1", ""},
		{"an allowed address passes mapped", AddressPolicy{PublicOnly: true, Allow: []netip.Addr{test}}, "::ffff:127.0.0.1", ""},
		{"only that address", AddressPolicy{PublicOnly: true, Allow: []netip.Addr{test}}, "127.0.0.2", "loopback"},
		{"metadata refused", AddressPolicy{PublicOnly: true, Allow: []netip.Addr{test}}, "169.254.169.254", "link-local"},
		{"public passes", AddressPolicy{PublicOnly: true}, "8.8.8.8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.policy.refuse(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("refuse(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}

// FuzzSpecialAddress checks the classifier against the standard library's
// own predicates: whatever net/netip calls loopback, private, link-local,
// multicast or unspecified, in any IPv6 spelling of an IPv4 address, must be
// refused.
func FuzzSpecialAddress(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::ffff:10.0.0.1", "fe80::1", "fd00::1", "8.8.8.8", "2001:db8::1", "169.254.169.254"} {
		f.Add(netip.MustParseAddr(s).AsSlice())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, ok := netip.AddrFromSlice(b)
		if !ok {
			return
		}
		got := SpecialAddress(a)
		std := a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
			a.IsMulticast() || a.IsInterfaceLocalMulticast() || a.IsUnspecified()
		if std && got == "" {
			t.Fatalf("SpecialAddress(%s) = \"\", but net/netip says it is special", a)
		}
		if a.Is4() {
			mapped := netip.AddrFrom16(a.As16())
			if m := SpecialAddress(mapped); m != got {
				t.Fatalf("SpecialAddress(%s) = %q but SpecialAddress(%s) = %q", a, got, mapped, m)
			}
		}
	})
}

// TestBound pins the documented bound: docs/scanner.md and charte scan's
// help quote these figures.
func TestBound(t *testing.T) {
	tests := []struct {
		opts  Options
		pages int
		want  time.Duration
	}{
		{Options{}, 20, 50*time.Minute + 51*time.Second},
		{Options{}, 0, 50*time.Minute + 51*time.Second}, // Pages' default
		{Options{}, 1, 3 * (37*time.Second + 60*time.Second + 46*time.Second)},
		{Options{LoadTimeout: 5 * time.Second, StepTimeout: 2 * time.Second, Settle: 100 * time.Millisecond}, 10,
			3 * (30*time.Second + 12*time.Second + 200*time.Millisecond + 5*time.Second + 10*(5*time.Second+100*time.Millisecond+2*time.Second+5*time.Second))},
	}
	for _, tt := range tests {
		if got := tt.opts.Bound(tt.pages); got != tt.want {
			t.Errorf("Bound(%d) with %+v = %v, want %v", tt.pages, tt.opts, got, tt.want)
		}
	}
}
