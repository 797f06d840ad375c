package scan

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// CookieDB is the Open Cookie Database (jkwakman/Open-Cookie-Database), read
// from the CSV an operator points --cookie-db at. charte does not ship it: the
// built-in list covers the common cookies, this file the long tail.
type CookieDB struct {
	exact    map[string][]DBEntry
	prefixes []DBEntry
}

// DBEntry is one row of the database, with its category mapped to charte's.
type DBEntry struct {
	Platform   string
	Category   string // charte category id
	Name       string
	Domains    []string // empty: any domain
	Retention  string   // free text, as the database writes it
	Controller string
	Wildcard   bool
}

// maxCookieDBSize bounds the file: the January 2026 snapshot is under 1 MB.
const maxCookieDBSize = 32 << 20

// minPrefix is the shortest wildcard the matcher honours: the database has
// prefixes such as "SR" and "CT" that would claim half of all cookies.
const minPrefix = 3

// The columns the reader needs, by header name, so a reordered file still
// reads; the name column is the only one that must be present.
const (
	colPlatform   = "platform"
	colCategory   = "category"
	colName       = "cookie / data key name"
	colDomain     = "domain"
	colRetention  = "retention period"
	colController = "data controller"
	colWildcard   = "wildcard match"
)

// LoadCookieDB reads the database CSV. Rows without a name are skipped;
// a file without the expected header is an error naming the column.
func LoadCookieDB(r io.Reader) (*CookieDB, error) {
	cr := csv.NewReader(io.LimitReader(r, maxCookieDBSize))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("cookie database: header: %w", err)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := cols[colName]; !ok {
		return nil, fmt.Errorf("cookie database: no %q column in the header (is this the Open Cookie Database CSV?)", "Cookie / Data Key name")
	}
	field := func(rec []string, col string) string {
		if i, ok := cols[col]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	db := &CookieDB{exact: map[string][]DBEntry{}}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("cookie database: line %d: %w", line, err)
		}
		e := DBEntry{
			Platform:   field(rec, colPlatform),
			Category:   mapDBCategory(field(rec, colCategory)),
			Name:       field(rec, colName),
			Domains:    parseDBDomains(field(rec, colDomain)),
			Retention:  field(rec, colRetention),
			Controller: field(rec, colController),
			Wildcard:   field(rec, colWildcard) == "1",
		}
		switch {
		case e.Name == "":
		case e.Wildcard && len(e.Name) >= minPrefix:
			db.prefixes = append(db.prefixes, e)
		case e.Wildcard:
			// Too short to mean anything: dropped rather than matched exactly,
			// since "SR" as an exact name would still be a guess.
		default:
			db.exact[e.Name] = append(db.exact[e.Name], e)
		}
	}
	return db, nil
}

// Len is the number of usable entries.
func (db *CookieDB) Len() int {
	n := len(db.prefixes)
	for _, es := range db.exact {
		n += len(es)
	}
	return n
}

// Lookup finds the entry for a cookie, matching name and domain together:
// an entry tied to domains only matches cookies of those domains, so
// Instagram's "sessionid" does not claim a Django site's session cookie. An
// exact name wins over a prefix, a longer prefix over a shorter one, and an
// entry naming the cookie's domain over one naming none.
func (db *CookieDB) Lookup(name, domain string) (DBEntry, bool) {
	if db == nil {
		return DBEntry{}, false
	}
	if e, ok := bestForDomain(db.exact[name], domain); ok {
		return e, true
	}
	var best DBEntry
	found := false
	for _, e := range db.prefixes {
		if !strings.HasPrefix(name, e.Name) || !entryDomainFits(e, domain) {
			continue
		}
		if !found || len(e.Name) > len(best.Name) || (len(e.Name) == len(best.Name) && len(e.Domains) > 0 && len(best.Domains) == 0) {
			best, found = e, true
		}
	}
	return best, found
}

func bestForDomain(entries []DBEntry, domain string) (DBEntry, bool) {
	var generic *DBEntry
	for i, e := range entries {
		if len(e.Domains) == 0 {
			if generic == nil {
				generic = &entries[i]
			}
			continue
		}
		if entryDomainFits(e, domain) {
			return e, true
		}
	}
	if generic != nil {
		return *generic, true
	}
	return DBEntry{}, false
}

func entryDomainFits(e DBEntry, domain string) bool {
	if len(e.Domains) == 0 {
		return true
	}
	for _, d := range e.Domains {
		if domainWithin(domain, d) {
			return true
		}
	}
	return false
}

// mapDBCategory maps the database's categories to charte's. "Functional" is
// the database's name for what the CNIL calls strictly necessary (sessions,
// load balancing, consent storage), and the seed charter uses the same word.
func mapDBCategory(c string) string {
	switch strings.ToLower(c) {
	case "analytics":
		return catStatistics
	case "marketing":
		return catMarketing
	case "personalization", "personalisation", "preferences":
		return catPreferences
	case "functional", "security", "necessary":
		return catNecessary
	}
	// Unknown wording: the safe side is a category that needs consent.
	return catMarketing
}

var (
	parenthesised = regexp.MustCompile(`\([^)]*\)`)
	domainToken   = regexp.MustCompile(`^\.?[a-z0-9-]+(\.[a-z0-9-]+)+$`)
)

// parseDBDomains reads the free-text domain column, such as
// ".bing.com (3rd party) or .microsoft.com (3rd party)", into bare domains.
// Words that are not domains ("various", "3rd party") are dropped.
func parseDBDomains(s string) []string {
	s = parenthesised.ReplaceAllString(strings.ToLower(s), " ")
	var out []string
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '/' || r == '|' || r == '\t'
	}) {
		tok = strings.TrimPrefix(strings.Trim(tok, "*"), "*.")
		if tok != "or" && tok != "and" && domainToken.MatchString(tok) {
			out = append(out, strings.TrimPrefix(tok, "."))
		}
	}
	return out
}
