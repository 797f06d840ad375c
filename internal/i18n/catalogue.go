package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// The catalogue is charte's own wording, one file per language in the JSON
// format of github.com/nicksnyder/go-i18n/v2 (which Weblate, Crowdin and
// Lokalise read): a flat object from message id to text, or to an object of
// CLDR plural forms ("one", "few", "other"…). Ids are namespaced by area
// ("banner.", "charter.", "web.", "proxy.", "lifetime."); arguments are
// named, written {{.Name}}. The "meta." ids describe the file itself: the
// language's own name and who reviewed the translation.
//
//go:embed locales/*.json
var localeFiles embed.FS

// message is one entry: a text, or plural forms.
type message struct {
	text  string
	forms map[string]string
}

// catalogue is every language's messages, loaded once from the embedded
// files.
type catalogue struct {
	langs []string
	msgs  map[string]map[string]message
}

var cat = mustLoad(localeFiles, "locales")

func mustLoad(fsys fs.FS, dir string) *catalogue {
	c, err := load(fsys, dir)
	if err != nil {
		panic(err) // the embedded files are checked by the package's tests
	}
	return c
}

// load reads every dir/<lang>.json of fsys.
func load(fsys fs.FS, dir string) (*catalogue, error) {
	names, err := fs.Glob(fsys, dir+"/*.json")
	if err != nil {
		return nil, err
	}
	c := &catalogue{msgs: map[string]map[string]message{}}
	for _, name := range names {
		lang := strings.TrimSuffix(path.Base(name), ".json")
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		m, err := parseFile(b)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		c.langs = append(c.langs, lang)
		c.msgs[lang] = m
	}
	slices.Sort(c.langs)
	return c, nil
}

// parseFile reads one language file: every value is a string or an object
// of plural forms, each a string.
func parseFile(b []byte) (map[string]message, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]message, len(raw))
	for id, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[id] = message{text: s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			return nil, fmt.Errorf("%s: want a text or an object of plural forms", id)
		}
		for f := range forms {
			if !slices.Contains(pluralForms, f) {
				return nil, fmt.Errorf("%s: %q is not a CLDR plural form (%s)", id, f, strings.Join(pluralForms, ", "))
			}
		}
		out[id] = message{forms: forms}
	}
	return out, nil
}

// Languages lists the catalogue's languages, sorted.
func Languages() []string { return slices.Clone(cat.langs) }

// Has reports whether the catalogue speaks lang.
func Has(lang string) bool { return cat.msgs[lang] != nil }

// Name is the language's name in itself ("Deutsch", "Occitan"), for
// language selectors.
func Name(lang string) string {
	if !Has(lang) {
		return lang
	}
	return T(lang, "meta.name")
}

// Dir is the writing direction of lang, for the dir attribute.
func Dir(lang string) string {
	switch lang {
	case "ar", "he", "fa":
		return "rtl"
	}
	return "ltr"
}

// T returns message id in lang with its named arguments filled in; args
// are pairs of name and value: T("fr", "charter.intro", "Site", name). A
// message missing in lang comes in English, then as its id, so a gap shows
// rather than leaving a blank (the tests make sure there is none).
func T(lang, id string, args ...any) string { return cat.t(lang, id, args) }

// N returns plural message id in lang for count n, which fills {{.Count}}.
func N(lang, id string, n int, args ...any) string { return cat.n(lang, id, n, args) }

func (c *catalogue) t(lang, id string, args []any) string {
	m, ok := c.lookup(lang, id)
	if !ok {
		return id
	}
	if m.forms != nil {
		// A plural message takes its form from a "Count" argument, so one
		// call serves both kinds in the back office's templates.
		if n, ok := count(args); ok {
			return c.n(lang, id, n, args)
		}
		return fill(m.forms["other"], args)
	}
	return fill(m.text, args)
}

func (c *catalogue) n(lang, id string, n int, args []any) string {
	m, ok := c.lookup(lang, id)
	if !ok {
		return id
	}
	if _, ok := count(args); !ok {
		args = append(args, "Count", n)
	}
	if m.forms == nil {
		return fill(m.text, args)
	}
	s, ok := m.forms[pluralForm(lang, n)]
	if !ok {
		s = m.forms["other"]
	}
	return fill(s, args)
}

// count is the integer "Count" argument among args, if any.
func count(args []any) (int, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] != "Count" {
			continue
		}
		switch n := args[i+1].(type) {
		case int:
			return n, true
		case int64:
			return int(n), true
		case int32:
			return int(n), true
		}
		return 0, false
	}
	return 0, false
}

func (c *catalogue) lookup(lang, id string) (message, bool) {
	if m, ok := c.msgs[lang][id]; ok {
		return m, true
	}
	m, ok := c.msgs["en"][id]
	return m, ok
}

// fill replaces each {{.Name}} by its argument. Texts hold no other
// template syntax (the tests check), so this is all the engine needed.
func fill(s string, args []any) string {
	if !strings.Contains(s, "{{.") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "{{.")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		name := s[i+3 : i+j]
		b.WriteString(arg(name, args))
		s = s[i+j+2:]
	}
}

func arg(name string, args []any) string {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == name {
			return fmt.Sprint(args[i+1])
		}
	}
	return "{{." + name + "}}"
}

// placeholders lists the argument names a text uses, for the tests.
func placeholders(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			slices.Sort(out)
			return slices.Compact(out)
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return append(out, "unclosed {{")
		}
		out = append(out, s[i+2:i+j])
		s = s[i+j+2:]
	}
}
