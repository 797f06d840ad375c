package clientaddr

import (
	"net/http/httptest"
	"testing"
)

func TestFrom(t *testing.T) {
	const peer = "10.0.0.7"
	tests := []struct {
		name   string
		policy Policy
		xff    []string // X-Forwarded-For lines
		want   string
	}{
		{"no proxy trusted: peer, header ignored", Policy{}, []string{"198.51.100.1"}, peer},
		{"no header", Policy{TrustProxy: true}, nil, peer},
		{"one hop: the entry the proxy added", Policy{TrustProxy: true, Hops: 1}, []string{"198.51.100.1"}, "198.51.100.1"},
		{"zero hops means one", Policy{TrustProxy: true}, []string{"203.0.113.66, 198.51.100.1"}, "198.51.100.1"},
		{"one hop: a forged prefix is ignored", Policy{TrustProxy: true, Hops: 1}, []string{"1.2.3.4, 5.6.7.8,198.51.100.1"}, "198.51.100.1"},
		{"two hops: second from the right", Policy{TrustProxy: true, Hops: 2}, []string{"1.2.3.4, 198.51.100.1, 192.0.2.10"}, "198.51.100.1"},
		{"two hops across header lines", Policy{TrustProxy: true, Hops: 2}, []string{"1.2.3.4, 198.51.100.1", "192.0.2.10"}, "198.51.100.1"},
		{"one hop across header lines: the last line", Policy{TrustProxy: true, Hops: 1}, []string{"198.51.100.1", "192.0.2.10"}, "192.0.2.10"},
		{"fewer entries than hops: peer", Policy{TrustProxy: true, Hops: 3}, []string{"198.51.100.1, 192.0.2.10"}, peer},
		{"not an address: peer", Policy{TrustProxy: true}, []string{"198.51.100.1, unknown"}, peer},
		{"empty entry: peer", Policy{TrustProxy: true}, []string{"198.51.100.1, "}, peer},
		{"IPv6", Policy{TrustProxy: true}, []string{"2001:db8::1"}, "2001:db8::1"},
		{"IPv6 with port", Policy{TrustProxy: true}, []string{"[2001:db8::1]:4711"}, "2001:db8::1"},
		{"IPv4 with port", Policy{TrustProxy: true}, []string{"198.51.100.1:4711"}, "198.51.100.1"},
		{"IPv4-mapped IPv6", Policy{TrustProxy: true}, []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = peer + ":51000"
		for _, l := range tc.xff {
			r.Header.Add("X-Forwarded-For", l)
		}
		if got := tc.policy.From(r); got != tc.want {
			t.Errorf("%s: From = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNetwork(t *testing.T) {
	for addr, want := range map[string]string{
		"198.51.100.77":              "198.51.100.0/24",
		"::ffff:198.51.100.77":       "198.51.100.0/24",
		"2001:db8:1:2:aaaa::1":       "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::99": "2001:db8:1:2::/64",
		"not an address":             "not an address",
	} {
		if got := Network(addr); got != want {
			t.Errorf("Network(%q) = %q, want %q", addr, got, want)
		}
	}
}
