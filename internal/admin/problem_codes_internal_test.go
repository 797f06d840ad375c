package admin

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// problemSources are the packages whose checks report registry problems:
// the registry's validation and the services' expansion at publishing.
var problemSources = []string{"../../registry", "../../services"}

// Every code a registry check can report is worded in each of the back
// office's languages, with every argument it carries. The codes come from
// the source (every constant of type Code), and each must appear in the
// table below, which makes a registry that really reports it: a new code
// without a case here, or without wording, fails.
func TestEveryProblemCodeWorded(t *testing.T) {
	declared := declaredCodes(t)
	catalogues := adminCatalogues(t)
	covered := map[registry.Code]bool{}
	for _, tt := range problemCases() {
		covered[tt.code] = true
		if !slices.Contains(declared, tt.code) {
			t.Errorf("case %s: no constant of type Code declares this code", tt.code)
			continue
		}
		s := validSite()
		tt.make(s)
		p, ok := reported(s, tt.code)
		if !ok {
			t.Errorf("case %s: the registry does not report it (reported %v)", tt.code, codesOf(allProblems(s)))
			continue
		}
		for lang, msgs := range catalogues {
			if _, ok := msgs["registry."+string(tt.code)]; !ok {
				t.Errorf("%s: no %q in locales/admin/%s.json", tt.code, "registry."+string(tt.code), lang)
				continue
			}
			got := problemText(lang, p)
			if strings.Contains(got, "{{") {
				t.Errorf("%s in %s leaves an argument unfilled: %q (args %v)", tt.code, lang, got, p.Args)
			}
			for name, value := range p.Args {
				if !strings.Contains(got, value) {
					t.Errorf("%s in %s drops argument %s (%q): %q", tt.code, lang, name, value, got)
				}
			}
			switch {
			case lang == "en" && got != p.Message:
				t.Errorf("%s: the catalogue's English\n  %q\nis not the registry's\n  %q", tt.code, got, p.Message)
			case lang == "fr" && got == p.Message:
				t.Errorf("%s: French is the English message %q", tt.code, got)
			}
		}
	}
	for _, c := range declared {
		if !covered[c] {
			t.Errorf("code %s has no case in problemCases: add a registry that reports it (and its wording)", c)
		}
	}
}

// A problem whose code the catalogue does not know (a registry newer than
// the back office) shows its English message rather than an id; Count
// picks the plural form.
func TestProblemTextFallsBackToMessage(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    registry.Problem
		lang string
		want string
	}{
		{"unknown code", registry.Problem{Code: "no.such", Message: "something new"}, "fr", "something new"},
		{"no code", registry.Problem{Message: "from an old client"}, "de", "from an old client"},
		{"singular", registry.Problem{Code: registry.CodeTranslationsMissing, Args: map[string]string{
			"Count": "1", "Language": `"de"`, "Default": `"fr"`, "Fields": "name"}}, "fr",
			`1 texte n'a pas de traduction "de" et sera affiché en "fr" : name`},
		{"plural", registry.Problem{Code: registry.CodeTranslationsMissing, Args: map[string]string{
			"Count": "2", "Language": `"de"`, "Default": `"fr"`, "Fields": "name, url"}}, "de",
			`2 Texte haben keine Übersetzung in "de" und werden in "fr" angezeigt: name, url`},
	} {
		if got := problemText(tt.lang, tt.p); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

type problemCase struct {
	code registry.Code
	make func(*registry.Site)
}

func problemCases() []problemCase {
	cookie := func(s *registry.Site) *registry.Cookie { return &s.Cookies[0] }
	text := func(s string) registry.Text { return registry.Text{"fr": s, "en": s} }
	return []problemCase{
		{registry.CodeEmpty, func(s *registry.Site) { s.Name = " " }},
		{registry.CodeTooLong, func(s *registry.Site) { cookie(s).Provider = strings.Repeat("p", 201) }},
		{registry.CodeTextTooLong, func(s *registry.Site) { s.Categories[0].Description = text(strings.Repeat("d", registry.MaxText+1)) }},
		{registry.CodeTextRequired, func(s *registry.Site) { cookie(s).Purpose = registry.Text{"en": "Session"} }},
		{registry.CodeTextInvalidUTF, func(s *registry.Site) { s.Name = "Shop \xff" }},
		{registry.CodeTextControl, func(s *registry.Site) { s.Name = "Shop\x01" }},
		{registry.CodeSiteID, func(s *registry.Site) { s.ID = "Shop!" }},
		{registry.CodeURLInvalid, func(s *registry.Site) { s.URL = "ftp://shop.example" }},
		{registry.CodeOriginsTooMany, func(s *registry.Site) {
			for i := range registry.MaxOrigins + 1 {
				s.Origins = append(s.Origins, "https://o"+strconv.Itoa(i)+".example")
			}
		}},
		{registry.CodeOriginInvalid, func(s *registry.Site) { s.Origins = []string{"https://shop.example/path"} }},
		{registry.CodeLanguagesEmpty, func(s *registry.Site) { s.Languages = nil }},
		{registry.CodeLanguageUnknown, func(s *registry.Site) { s.Languages = append(s.Languages, "xx") }},
		{registry.CodeDefaultLanguage, func(s *registry.Site) { s.DefaultLanguage = "de" }},
		{registry.CodeChoiceLifetime, func(s *registry.Site) { s.ChoiceLifetime = "2 years" }},
		{registry.CodeDomainInvalid, func(s *registry.Site) { s.CookieDomain = "shop_example" }},
		{registry.CodeBannerLanguage, func(s *registry.Site) { s.Banner = map[string]registry.BannerText{"xx": {Title: "Hi"}} }},
		{registry.CodeThemeUnknown, func(s *registry.Site) { s.Theme = "neon" }},
		{registry.CodeBlockingUnknown, func(s *registry.Site) { s.Blocking = "everything" }},
		{registry.CodeBlockingNoService, func(s *registry.Site) { s.Blocking = registry.BlockingObserve }},
		{registry.CodeConsentModeSignal, func(s *registry.Site) {
			s.ConsentMode = &registry.ConsentMode{Enabled: true, Mapping: map[string][]string{"statistics": {"no_such_storage"}}}
		}},
		{registry.CodeCategoriesEmpty, func(s *registry.Site) { s.Categories, s.Cookies = nil, nil }},
		{registry.CodeCategoriesTooMany, func(s *registry.Site) {
			for i := range registry.MaxCategories {
				s.Categories = append(s.Categories, registry.Category{ID: "extra" + strconv.Itoa(i), Name: text("Extra")})
			}
		}},
		{registry.CodeCookiesTooMany, func(s *registry.Site) {
			for i := range registry.MaxCookies {
				c := s.Cookies[0]
				c.Name = "c" + strconv.Itoa(i)
				s.Cookies = append(s.Cookies, c)
			}
		}},
		{registry.CodeServicesTooMany, func(s *registry.Site) {
			for i := range registry.MaxServices + 1 {
				s.Services = append(s.Services, registry.Service{ID: "svc" + strconv.Itoa(i)})
			}
		}},
		{registry.CodeCategoryID, func(s *registry.Site) { s.Categories[1].ID = "Stats" }},
		{registry.CodeCategoryDuplicate, func(s *registry.Site) {
			s.Categories = append(s.Categories, registry.Category{ID: "statistics", Name: text("Again")})
		}},
		{registry.CodeCategoryUnknown, func(s *registry.Site) { cookie(s).Category = "ads" }},
		{registry.CodeCategoryAnonymousOnlyStat, func(s *registry.Site) { s.Categories[0].AnonymousStatistics = true }},
		{registry.CodeCategoryStatisticsExempt, func(s *registry.Site) { s.Categories[1].Exempt = true }},
		{registry.CodeCategoryExempt, func(s *registry.Site) { s.Categories[2].Exempt = true }},
		{registry.CodeCategoryNecessaryConsent, func(s *registry.Site) { s.Categories[0].Exempt = false }},
		{registry.CodeCookieName, func(s *registry.Site) { cookie(s).Name = "a b" }},
		{registry.CodeCookieDuplicate, func(s *registry.Site) { s.Cookies = append(s.Cookies, s.Cookies[0]) }},
		{registry.CodeCookieLifetimeLong, func(s *registry.Site) { s.Cookies[1].Lifetime = "2 years" }},
		{registry.CodeCookieParty, func(s *registry.Site) { cookie(s).Party = "second" }},
		{registry.CodeLifetimeSyntax, func(s *registry.Site) { cookie(s).Lifetime = "forever" }},
		{registry.CodeLifetimeUnit, func(s *registry.Site) { cookie(s).Lifetime = "3 fortnights" }},
		{registry.CodeServiceID, func(s *registry.Site) { s.Services = []registry.Service{{ID: "You Tube"}} }},
		{registry.CodeServiceDuplicate, func(s *registry.Site) { s.Services = []registry.Service{{ID: "youtube"}, {ID: "youtube"}} }},
		{registry.CodeTranslationsMissing, func(s *registry.Site) { s.Categories[1].Name = registry.Text{"fr": "Statistiques"} }},
		{registry.CodeTranslationsMissingMore, func(s *registry.Site) {
			for i := range s.Categories {
				s.Categories[i].Name = registry.Text{"fr": "Catégorie"}
				s.Categories[i].Description = registry.Text{"fr": "Description"}
			}
		}},
		{services.CodeUnknownService, func(s *registry.Site) { s.Services = []registry.Service{{ID: "no-such-service"}} }},
		{services.CodeUndeclaredCategory, func(s *registry.Site) { s.Services = []registry.Service{{ID: "youtube", Category: ""}} }},
		{services.CodeExemptVariantOutside, func(s *registry.Site) { s.Services = []registry.Service{{ID: "matomo-exempt"}} }},
		{services.CodeConsentInExempt, func(s *registry.Site) {
			s.Categories[1].Exempt, s.Categories[1].AnonymousStatistics = true, true
			s.Services = []registry.Service{{ID: "youtube", Category: "statistics"}}
		}},
	}
}

// validSite is a registry without a problem, in French and English, that
// each case breaks in one way.
func validSite() *registry.Site {
	text := func(fr, en string) registry.Text { return registry.Text{"fr": fr, "en": en} }
	return &registry.Site{
		ID: "shop", Name: "Shop", DefaultLanguage: "fr", Languages: []string{"fr", "en"},
		Categories: []registry.Category{
			{ID: "necessary", Name: text("Nécessaires", "Necessary"), Exempt: true},
			{ID: "statistics", Name: text("Statistiques", "Statistics")},
			{ID: "preferences", Name: text("Préférences", "Preferences")},
		},
		Cookies: []registry.Cookie{
			{Name: "sid", Provider: "Shop", Purpose: text("Session", "Session"), Category: "necessary",
				Lifetime: registry.Session, Party: registry.FirstParty},
			{Name: "theme", Provider: "Shop", Purpose: text("Thème", "Theme"), Category: "preferences",
				Lifetime: "6 months", Party: registry.FirstParty},
		},
	}
}

// allProblems are what saving s in the back office reports: validation,
// then the expansion of its services.
func allProblems(s *registry.Site) registry.Problems {
	ps := s.Validate()
	if ps.Err() == nil {
		var ve *registry.ValidationError
		if _, err := services.Builtin().Expand(s); errors.As(err, &ve) {
			ps = append(ps, ve.Problems...)
		}
	}
	return ps
}

func reported(s *registry.Site, code registry.Code) (registry.Problem, bool) {
	ps := allProblems(s)
	i := slices.IndexFunc(ps, func(p registry.Problem) bool { return p.Code == code })
	if i < 0 {
		return registry.Problem{}, false
	}
	return ps[i], true
}

func codesOf(ps registry.Problems) []registry.Code {
	var out []registry.Code
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

// adminCatalogues reads the back office's language files as they are, so a
// key missing from one language is seen even where English stands in.
func adminCatalogues(t *testing.T) map[string]map[string]json.RawMessage {
	t.Helper()
	out := map[string]map[string]json.RawMessage{}
	for _, lang := range i18n.AdminLanguages() {
		b, err := os.ReadFile(filepath.Join("../i18n/locales/admin", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		out[lang] = m
	}
	return out
}

// declaredCodes lists the values of every constant of type Code in the
// problem sources, and fails the test when a Code is given anywhere else
// than by one of these constants (a literal would escape this list).
func declaredCodes(t *testing.T) []registry.Code {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, dir := range problemSources {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	consts := map[string]registry.Code{} // constant name → code
	var codes []registry.Code
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok || !isCodeType(spec.Type) {
				return true
			}
			for i, name := range spec.Names {
				lit, ok := spec.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s: code %s is not a string literal", fset.Position(name.Pos()), name.Name)
					continue
				}
				v, _ := strconv.Unquote(lit.Value)
				if slices.Contains(codes, registry.Code(v)) {
					t.Errorf("%s: code %q is declared twice", fset.Position(name.Pos()), v)
				}
				consts[name.Name] = registry.Code(v)
				codes = append(codes, registry.Code(v))
			}
			return true
		})
	}
	// The functions taking a Code, and at which argument: functions and
	// methods by name; below, function literals within their function.
	takers := map[string]int{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if i := codeParam(fd.Type); i >= 0 {
					takers[fd.Name.Name] = i
				}
			}
		}
	}
	// Each call of them passes a declared constant, or forwards the Code
	// parameter of the function it is in.
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			own := codeParamNames(fd.Type)
			local := maps.Clone(takers)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok {
					own = append(own, codeParamNames(lit.Type)...)
				}
				if as, ok := n.(*ast.AssignStmt); ok {
					for k, rhs := range as.Rhs {
						lit, ok := rhs.(*ast.FuncLit)
						if !ok || k >= len(as.Lhs) {
							continue
						}
						name := calleeName(as.Lhs[k])
						if i := codeParam(lit.Type); i >= 0 {
							local[name] = i
						} else {
							delete(local, name) // a helper of the same name that takes no Code
						}
					}
				}
				// Nor may a literal be made a Code by conversion or
				// by a field of a Problem.
				if kv, ok := n.(*ast.KeyValueExpr); ok && calleeName(kv.Key) == "Code" {
					if _, lit := kv.Value.(*ast.BasicLit); lit {
						t.Errorf("%s: a code must be one of the Code constants, not %s", fset.Position(kv.Value.Pos()), kindOf(kv.Value))
					}
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if isCodeType(call.Fun) {
					t.Errorf("%s: a code must be one of the Code constants, not a conversion", fset.Position(call.Pos()))
				}
				i, takes := local[calleeName(call.Fun)]
				if !takes || i >= len(call.Args) {
					return true
				}
				name := calleeName(call.Args[i])
				if _, isConst := consts[name]; !isConst && !slices.Contains(own, name) {
					t.Errorf("%s: a code must be one of the Code constants, not %s", fset.Position(call.Args[i].Pos()), kindOf(call.Args[i]))
				}
				return true
			})
		}
	}
	if len(codes) == 0 {
		t.Fatal("no Code constant found: has the source moved?")
	}
	return codes
}

func isCodeType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Code"
	case *ast.SelectorExpr:
		return e.Sel.Name == "Code"
	}
	return false
}

// codeParam is the index of a function type's Code parameter, or -1.
func codeParam(ft *ast.FuncType) int {
	i := 0
	for _, field := range ft.Params.List {
		n := max(1, len(field.Names))
		if isCodeType(field.Type) {
			return i
		}
		i += n
	}
	return -1
}

func codeParamNames(ft *ast.FuncType) []string {
	var out []string
	for _, field := range ft.Params.List {
		if isCodeType(field.Type) {
			for _, n := range field.Names {
				out = append(out, n.Name)
			}
		}
	}
	return out
}

// calleeName is the name an expression ends with: f, v.errorf, pkg.Const.
func calleeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

// kindOf says what an argument is, for the failure message.
func kindOf(e ast.Expr) string {
	if lit, ok := e.(*ast.BasicLit); ok {
		return "the literal " + lit.Value
	}
	return "an expression"
}
