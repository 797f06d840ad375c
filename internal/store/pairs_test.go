package store

import (
	"io/fs"
	"strings"
	"testing"
)

// A file written for one engine only would leave the other engine without
// that query or migration: engine-specific files must come in pairs.
func TestEngineFilesComeInPairs(t *testing.T) {
	for _, tt := range []struct {
		dir   string
		files fs.FS
	}{{"queries", queryFiles}, {"migrations", migrationFiles}} {
		entries, err := fs.ReadDir(tt.files, tt.dir)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, e := range entries {
			have[strings.TrimSuffix(e.Name(), ".sql")] = true
		}
		for name := range have {
			base, eng := engineOf(name)
			if eng == "" {
				if have[base+"-sqlite"] || have[base+"-postgres"] {
					t.Errorf("%s/%s.sql exists beside an engine-specific version", tt.dir, base)
				}
				continue
			}
			for _, other := range engines {
				if !have[base+"-"+other] {
					t.Errorf("%s/%s.sql has no %s counterpart", tt.dir, name, other)
				}
			}
		}
	}
}

// Every query Go asks for exists for both engines.
func TestQueriesLoadForBothEngines(t *testing.T) {
	sqlite, err := loadQueries("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	postgres, err := loadQueries("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(sqlite) != len(postgres) || len(sqlite) == 0 {
		t.Fatalf("sqlite has %d queries, postgres %d", len(sqlite), len(postgres))
	}
	for name := range sqlite {
		if _, ok := postgres[name]; !ok {
			t.Errorf("query %s missing for postgres", name)
		}
	}
}
