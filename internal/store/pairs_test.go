package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
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

// TestQueriesAskedForExist reads this package's Go source for every d.q call:
// each must name its query with a literal, the name must exist for both
// engines, and every query file must be asked for by some call — so a
// renamed method or a dead .sql file is caught before it panics or rots.
func TestQueriesAskedForExist(t *testing.T) {
	asked := askedQueries(t)
	if len(asked) == 0 {
		t.Fatal("found no q(...) call: the test no longer reads the code it checks")
	}
	for _, engine := range engines {
		qs, err := loadQueries(engine)
		if err != nil {
			t.Fatal(err)
		}
		for name, where := range asked {
			if _, ok := qs[name]; !ok {
				t.Errorf("%s asks for query %q, which %s lacks", where, name, engine)
			}
		}
		for name := range qs {
			if _, ok := asked[name]; !ok {
				t.Errorf("query %q (%s) is asked for by no Go code: remove it or use it", name, engine)
			}
		}
	}
}

// askedQueries maps each query name passed to a .q method to the first
// place that asks for it.
func askedQueries(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	asked := map[string]string{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "q" || len(call.Args) != 1 {
				return true
			}
			where := fset.Position(call.Pos()).String()
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: q takes a literal query name, so this test can check it", where)
				return true
			}
			name, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			if _, seen := asked[name]; !seen {
				asked[name] = where
			}
			return true
		})
	}
	return asked
}
