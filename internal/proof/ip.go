package proof

import "net/netip"

// TruncateIP keeps the network of an address — /24 for IPv4, /48 for IPv6 —
// enough to show where a choice came from without identifying the device.
// Anything that is not an address gives "".
func TruncateIP(s string) string {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return ""
	}
	addr = addr.Unmap()
	bits := 48
	if addr.Is4() {
		bits = 24
	}
	p, err := addr.WithZone("").Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}
