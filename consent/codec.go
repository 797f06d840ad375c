// Package consent reads and enforces a visitor's cookie choice: the codec of
// the cookies_preferences cookie the banner writes, Global Privacy Control,
// and a net/http middleware that drops the Set-Cookie headers a visitor did
// not consent to.
//
// It imports only the registry, so any Go program can use it.
package consent

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// CookieName is the cookie the banner stores the visitor's choice in.
const CookieName = "cookies_preferences"

// Version is the first field of every value this codec writes. A value of
// another version does not decode, so the banner simply asks again.
const Version = "1"

// MaxValueLength bounds what Decode reads: a choice with thirty categories of
// thirty-two characters still fits in it, and browsers keep at most 4 KiB.
const MaxValueLength = 1024

// maxUnix is 9999-12-31T23:59:59Z. Bounding the time keeps it exact in a
// JavaScript number, so the banner and Go agree on every value.
const maxUnix = 253402300799

// Choice is what a visitor decided, as stored in cookies_preferences:
//
//	1.<consent-id>.<revision>.<unix-seconds>.<cat>=<0|1>&<cat>=<0|1>...&:<service>=<0|1>...
//
// A service item (":youtube=1") decides for one service of the registry
// (registry.Service) apart from its category: "Accept and show" on a
// YouTube placeholder grants YouTube and no other marketing service. A
// service without an item follows its category, so a choice written before
// services existed still reads as "every service of the category".
//
// Every byte of it is an RFC 6265 cookie-octet, so it is never quoted.
type Choice struct {
	// ConsentID is 22 characters of unpadded base64url (16 random bytes):
	// the pseudonymous id that also appears in the proof log.
	ConsentID string
	// Revision is the registry revision the visitor was asked about.
	Revision string
	// Time is when the visitor chose, to the second.
	Time time.Time
	// Decisions are in the order the banner asked (the registry's
	// ConsentCategories order).
	Decisions []Decision
	// Services are the decisions the visitor made for single services,
	// where they differ from their category's.
	Services []ServiceDecision
}

// ServiceDecision is the visitor's answer for one service.
type ServiceDecision struct {
	Service string
	Granted bool
}

// Decision is the visitor's answer for one category needing consent.
type Decision struct {
	Category string
	Granted  bool
}

// Encode writes the cookie value. It does not check the fields: a Choice
// built from Decode, or from valid parts, encodes to a value Decode accepts.
func (c Choice) Encode() string {
	var b strings.Builder
	b.Grow(64 + 8*len(c.Decisions))
	b.WriteString(Version)
	b.WriteByte('.')
	b.WriteString(c.ConsentID)
	b.WriteByte('.')
	b.WriteString(c.Revision)
	b.WriteByte('.')
	b.WriteString(strconv.FormatInt(c.Time.Unix(), 10))
	b.WriteByte('.')
	for i, d := range c.Decisions {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(d.Category)
		if d.Granted {
			b.WriteString("=1")
		} else {
			b.WriteString("=0")
		}
	}
	for i, s := range c.Services {
		if i > 0 || len(c.Decisions) > 0 {
			b.WriteByte('&')
		}
		b.WriteByte(':')
		b.WriteString(s.Service)
		if s.Granted {
			b.WriteString("=1")
		} else {
			b.WriteString("=0")
		}
	}
	return b.String()
}

// AllowedService reports whether the visitor granted a service of that
// category: its own decision when the choice has one, else the category's.
func (c Choice) AllowedService(service, category string) bool {
	for _, s := range c.Services {
		if s.Service == service {
			return s.Granted
		}
	}
	return c.Allowed(category)
}

// Allowed reports whether the visitor granted the category. A category the
// choice does not mention is refused: silence is not consent.
func (c Choice) Allowed(category string) bool {
	for _, d := range c.Decisions {
		if d.Category == category {
			return d.Granted
		}
	}
	return false
}

// NewConsentID returns a fresh random consent id.
func NewConsentID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Errors Decode returns; they say which part is wrong, for logs and tests.
var (
	ErrVersion   = errors.New("cookies_preferences: unknown version")
	ErrMalformed = errors.New("cookies_preferences: malformed value")
)

// Decode parses a cookie value strictly: any deviation from the format is an
// error, and the caller treats the visitor as not having chosen.
func Decode(value string) (Choice, error) {
	r, err := parseRaw(value)
	if err != nil {
		return Choice{}, err
	}
	c := Choice{ConsentID: r.id, Revision: r.revision, Time: time.Unix(r.unix, 0).UTC()}
	if r.decisions != "" {
		c.Decisions = make([]Decision, 0, strings.Count(r.decisions, "&")+1)
		for rest := r.decisions; rest != ""; {
			var item string
			item, rest, _ = strings.Cut(rest, "&")
			if item[0] == ':' {
				c.Services = append(c.Services, ServiceDecision{Service: item[1 : len(item)-2], Granted: item[len(item)-1] == '1'})
				continue
			}
			c.Decisions = append(c.Decisions, Decision{Category: item[:len(item)-2], Granted: item[len(item)-1] == '1'})
		}
		if len(c.Decisions) == 0 {
			c.Decisions = nil // a choice of services only, as Encode's input had it
		}
	}
	return c, nil
}

// raw is a syntactically valid value cut into its fields without copying,
// so the middleware can check a choice without allocating.
type raw struct {
	value        string
	id, revision string
	unix         int64
	decisions    string
}

// granted reports whether the decisions grant the category.
func (r raw) granted(category string) bool {
	for rest := r.decisions; rest != ""; {
		var item string
		item, rest, _ = strings.Cut(rest, "&")
		if item[:len(item)-2] == category {
			return item[len(item)-1] == '1'
		}
	}
	return false
}

// grantedService reports whether the decisions grant a service of that
// category: its ":service" item, else the category's. service "" is a
// cookie no service declares.
func (r raw) grantedService(service, category string) bool {
	if service != "" {
		for rest := r.decisions; rest != ""; {
			var item string
			item, rest, _ = strings.Cut(rest, "&")
			if item[0] == ':' && item[1:len(item)-2] == service {
				return item[len(item)-1] == '1'
			}
		}
	}
	return r.granted(category)
}

func parseRaw(v string) (raw, error) {
	if len(v) > MaxValueLength {
		return raw{}, ErrMalformed
	}
	version, rest, ok := strings.Cut(v, ".")
	if !ok || version != Version {
		return raw{}, ErrVersion
	}
	r := raw{value: v}
	var unix string
	r.id, rest, _ = strings.Cut(rest, ".")
	r.revision, rest, _ = strings.Cut(rest, ".")
	unix, r.decisions, ok = strings.Cut(rest, ".")
	if !ok || !isConsentID(r.id) || !isRevision(r.revision) {
		return raw{}, ErrMalformed
	}
	if r.unix, ok = parseUnix(unix); !ok || !validDecisions(r.decisions) {
		return raw{}, ErrMalformed
	}
	return r, nil
}

func isConsentID(s string) bool {
	if len(s) != 22 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// isRevision accepts lower-case hex only, so a revision has one spelling and
// comparing strings is comparing revisions.
func isRevision(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// parseUnix accepts the canonical decimal form only: no sign, no leading zero.
func parseUnix(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 12 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, n <= maxUnix
}

// validDecisions checks "cat=0|1" items joined by "&", each category once.
// Duplicates are found by rescanning rather than with a map: values are at
// most 1 KiB, and this keeps the check free of allocations.
func validDecisions(s string) bool {
	if s == "" {
		return true
	}
	for rest, start := s, 0; ; {
		item, after, more := strings.Cut(rest, "&")
		n := len(item)
		if n < 3 || item[n-2] != '=' || (item[n-1] != '0' && item[n-1] != '1') {
			return false
		}
		if key := item[:n-2]; !IsCategoryID(key) && !(key[0] == ':' && IsServiceID(key[1:])) {
			return false
		}
		if seen := s[:start]; seen != "" && hasCategory(seen, item[:n-1]) {
			return false
		}
		if !more {
			return true
		}
		start += len(item) + 1
		rest = after
	}
}

// hasCategory reports whether "cat=" (key, "=" included) starts an item of
// the &-joined list.
func hasCategory(list, key string) bool {
	for rest := list; rest != ""; {
		var item string
		item, rest, _ = strings.Cut(rest, "&")
		if strings.HasPrefix(item, key) {
			return true
		}
	}
	return false
}

// IsServiceID reports whether s can name a service in a choice:
// ^[a-z0-9][a-z0-9-]{0,62}$, as the registry's service ids.
func IsServiceID(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// IsCategoryID reports whether s can name a category in a choice:
// ^[a-z][a-z0-9_-]{0,31}$.
func IsCategoryID(s string) bool {
	if len(s) == 0 || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
