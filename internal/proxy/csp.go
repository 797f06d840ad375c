package proxy

import (
	"net/http"
	"strings"
)

// cspNonce returns the nonce the page's Content-Security-Policy allows
// scripts with, so the banner tag the proxy injects carries it and runs
// under a nonce policy ('strict-dynamic' included) without the operator
// adding charte's origin. It reads the enforced policies first, then the
// report-only ones (where the nonce spares the site a violation report),
// and in each the directive a script element obeys: script-src-elem, else
// script-src, else default-src. Only a nonce of base64 characters, as CSP
// defines it, is taken: anything else names no nonce a browser accepts.
func cspNonce(h http.Header) string {
	for _, name := range [...]string{"Content-Security-Policy", "Content-Security-Policy-Report-Only"} {
		for _, header := range h.Values(name) {
			// One header may carry several policies, comma-separated.
			for policy := range strings.SplitSeq(header, ",") {
				if n := policyNonce(policy); n != "" {
					return n
				}
			}
		}
	}
	return ""
}

// policyNonce is the first nonce source of the directive that governs
// script elements in one policy.
func policyNonce(policy string) string {
	var directives [3][]string // script-src-elem, script-src, default-src
	var seen [3]bool
	for d := range strings.SplitSeq(policy, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		// The first occurrence of a directive counts (CSP3 §2.2.1).
		if i := directiveRank(strings.ToLower(f[0])); i >= 0 && !seen[i] {
			directives[i], seen[i] = f[1:], true
		}
	}
	for i, sources := range directives {
		if !seen[i] {
			continue
		}
		for _, src := range sources {
			const prefix = "'nonce-"
			if len(src) > len(prefix)+1 && strings.EqualFold(src[:len(prefix)], prefix) && src[len(src)-1] == '\'' {
				if n := src[len(prefix) : len(src)-1]; isNonce(n) {
					return n
				}
			}
		}
		return "" // the governing directive names no nonce
	}
	return ""
}

func directiveRank(name string) int {
	switch name {
	case "script-src-elem":
		return 0
	case "script-src":
		return 1
	case "default-src":
		return 2
	}
	return -1
}

// isNonce tells whether n is a CSP nonce: base64 or base64url characters,
// '=' padding at the end only (CSP3's base64-value).
func isNonce(n string) bool {
	if n == "" || len(n) > 256 {
		return false
	}
	end := len(strings.TrimRight(n, "="))
	if end == 0 {
		return false
	}
	for i := 0; i < end; i++ {
		c := n[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
