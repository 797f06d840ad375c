package store

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

// Queries live in .sql files named after the Go method that runs them
// ("AppendConsents-insert.sql"). When the engines need different SQL, the
// file comes as a pair, "NAME-sqlite.sql" and "NAME-postgres.sql", and Go
// code still asks for NAME: no engine test outside this file.
//
//go:embed queries/*.sql
var queryFiles embed.FS

// engines are the suffixes a query or migration file may carry.
var engines = []string{"sqlite", "postgres"}

// engineOf splits "NAME-ENGINE" into NAME and ENGINE ("" when shared).
func engineOf(name string) (string, string) {
	for _, e := range engines {
		if base, ok := strings.CutSuffix(name, "-"+e); ok {
			return base, e
		}
	}
	return name, ""
}

// loadQueries reads the queries one engine runs, keyed by name.
func loadQueries(engine string) (map[string]string, error) {
	entries, err := fs.ReadDir(queryFiles, "queries")
	if err != nil {
		return nil, err
	}
	qs := map[string]string{}
	for _, e := range entries {
		name, eng := engineOf(strings.TrimSuffix(e.Name(), ".sql"))
		if eng != "" && eng != engine {
			continue
		}
		data, err := queryFiles.ReadFile("queries/" + e.Name())
		if err != nil {
			return nil, err
		}
		qs[name] = string(data)
	}
	return qs, nil
}

// q returns a query by name. A missing one is a bug in this package, caught
// by its tests, so it panics rather than threading an error everywhere.
func (d *db) q(name string) string {
	s, ok := d.queries[name]
	if !ok {
		panic(fmt.Sprintf("store: no query %s for %s", name, d.engine))
	}
	return s
}
