package admin

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/i18n"
)

// keyUses finds the message keys the back office's code and templates
// name: a key missing from the catalogue would show as its id.
var keyUses = []*regexp.Regexp{
	regexp.MustCompile(`\{\{-?\s*tf? \S+ "([^"]+)"`),                 // templates: t $.Lang "key"
	regexp.MustCompile(`\((?:t|tf) \S+ "([^"]+)"`),                   // templates, in a pipeline
	regexp.MustCompile(`\bmsg\([^,()]+, "([^"]+)"[,)]`),              // msg(lang, "key")
	regexp.MustCompile(`\berrorf\([^,]+, "([^"]+)"`),                 // errorf(status, "key")
	regexp.MustCompile(`\bkey: +"([^"]+)"`),                          // &httpError{key: "key"}
	regexp.MustCompile(`(?:newPage|sitePage|Page)\(w, r, "([^"]+)"`), // page titles
}

func TestEveryKeyUsedIsWorded(t *testing.T) {
	found := 0
	check := func(name string, b []byte) {
		for _, re := range keyUses {
			for _, m := range re.FindAllSubmatch(b, -1) {
				found++
				key := string(m[1])
				for _, lang := range i18n.AdminLanguages() {
					if id := "admin." + key; i18n.Admin(lang, id) == id {
						t.Errorf("%s: %q has no %s message", name, key, lang)
					}
				}
			}
		}
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(f, b)
	}
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, p)
		check(p, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Keys made at run time: a scan's state, a role, a CSRF refusal's reason.
	for _, k := range []string{"scan.running", "scan.done", "scan.failed", "scan.interrupted",
		"role.owner", "role.admin", "role.editor", "role.viewer"} {
		check("scan.go", []byte(`msg(lang, "`+k+`")`))
	}
	for _, k := range []string{"origin", "referer.missing", "referer.insecure", "referer.mismatch", "cookie", "missing", "incorrect"} {
		for _, lang := range i18n.AdminLanguages() {
			if id := "csrf." + k; i18n.Admin(lang, id) == id {
				t.Errorf("CSRF reason %s has no %s message", k, lang)
			}
		}
	}
	if found < 300 {
		t.Errorf("found only %d uses of message keys: the patterns no longer match the code", found)
	}
}
