package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/hostile"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

// withItalian lists Italian among demo's languages, none of its texts
// translated, and takes the German purpose of cookies[2] away: two
// languages with texts to translate.
func withItalian(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	s, err := st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	s.Languages = append(s.Languages, "it")
	delete(s.Cookies[2].Purpose, "de")
	v, problems, err := registry.Check(s)
	if err != nil {
		t.Fatalf("%v %v", err, problems)
	}
	if err := st.SaveSite(ctx, v); err != nil {
		t.Fatal(err)
	}
}

var versionRE = regexp.MustCompile(`name="version" value="([0-9a-f]+)"`)

// translationForm opens the page of lang and returns what its form posts
// besides the texts: the CSRF token and the version.
func (b *browser) translationForm(lang string) url.Values {
	b.e.t.Helper()
	r := b.get("/admin/sites/demo/translations/" + lang)
	tok, ver := tokenRE.FindStringSubmatch(r.body), versionRE.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || tok == nil || ver == nil {
		b.e.t.Fatalf("translations/%s: %d, no form: %.400s", lang, r.status, r.body)
	}
	return url.Values{"csrfmiddlewaretoken": {tok[1]}, "version": {ver[1]}}
}

// draftOf is the demo draft as stored.
func draftOf(t *testing.T, st store.Store) *registry.Site {
	t.Helper()
	s, err := st.Site(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func auditCount(t *testing.T, st store.Store, action string) int {
	t.Helper()
	entries, err := st.Audit(context.Background(), store.AuditQuery{SiteID: "demo", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

// TestTranslationsPage: what editors and readers see and what a save does,
// on both engines; whatever is refused leaves the draft as it was.
func TestTranslationsPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		withItalian(t, st)
		editor := e.signedIn("editor@example.org")
		editor.lang = "en"
		viewer := e.signedIn("viewer@example.org")
		viewer.lang = "en"
		published, err := st.Published(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}

		// The overview counts what each language lacks and links to it.
		r := editor.get("/admin/sites/demo/translations")
		for _, want := range []string{`href="/admin/sites/demo/translations/de" lang="de" dir="ltr">Deutsch</a>`,
			`id="count-de">1 text to translate</span>`, `id="count-en">all translated</span>`,
			`href="/admin/sites/demo/translations/ar" lang="ar" dir="rtl">`, `id="count-it">22 texts to translate</span>`,
			`href="/admin/sites/demo/translations">Translations</a>`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("overview lacks %s", want)
			}
		}
		if strings.Contains(r.body, "/translations/fr") {
			t.Error("the overview links to the default language")
		}
		// The publish page names the languages with texts to translate.
		r = editor.get("/admin/sites/demo/publish")
		if !strings.Contains(r.body, `<a href="/admin/sites/demo/translations/it" lang="it" dir="ltr">Italiano</a> (22 texts to translate)`) ||
			!strings.Contains(r.body, `Deutsch</a> (1 text to translate)`) || strings.Contains(r.body, "/translations/en") {
			t.Errorf("the publish page does not list what is left to translate: %.3000s", r.body)
		}
		// The table of one language: the original marked with its language,
		// the field with the target's, the missing text flagged.
		r = editor.get("/admin/sites/demo/translations/de")
		for _, want := range []string{`aria-current="page">Deutsch</a>`,
			`<td lang="fr" dir="ltr" class="source">Récupérer des données via des appels API</td>`,
			`<textarea name="t.cookies[2].purpose" rows="3" lang="de" dir="ltr" aria-labelledby="row-`,
			`Cookie “csrftoken” — purpose <strong class="flag">Not translated</strong>`,
			`Meanwhile, visitors read the original.`,
			`<input name="t.categories[1].name" value="Reichweitenmessung" lang="de" dir="ltr"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("de table lacks %s", want)
			}
		}
		if r := editor.get("/admin/sites/demo/translations/ar"); !strings.Contains(r.body, `lang="ar" dir="rtl" aria-labelledby=`) {
			t.Error("the Arabic fields are not right to left")
		}

		type check func(t *testing.T, before, after *registry.Site, r resp)
		unchanged := func(t *testing.T, before, after *registry.Site, r resp) {
			if before.Revision() != after.Revision() {
				t.Errorf("the draft changed: %d %.300s", r.status, r.body)
			}
		}
		tests := []struct {
			name   string
			who    *browser
			lang   string
			form   func(f url.Values) url.Values
			status int
			want   string
			check  check
		}{
			{"save fills a missing text", editor, "de",
				func(f url.Values) url.Values { f.Set("t.cookies[2].purpose", "  Besucher erkennen  "); return f },
				http.StatusSeeOther, "", func(t *testing.T, before, after *registry.Site, r resp) {
					if got := after.Cookies[2].Purpose["de"]; got != "Besucher erkennen" {
						t.Errorf("de purpose %q", got)
					}
					after.Cookies[2].Purpose["de"] = ""
					delete(after.Cookies[2].Purpose, "de")
					if before.Revision() != after.Revision() {
						t.Error("the save changed more than the one text")
					}
				}},
			{"an empty field removes the translation", editor, "de",
				func(f url.Values) url.Values { f.Set("t.categories[1].name", ""); return f },
				http.StatusSeeOther, "", func(t *testing.T, before, after *registry.Site, r resp) {
					if _, ok := after.Categories[1].Name["de"]; ok || after.Categories[1].Name["en"] == "" {
						t.Errorf("name after clearing de: %q", after.Categories[1].Name)
					}
				}},
			{"a banner title of one language only", editor, "it",
				// demo has no banner texts of its own, so no row asks for
				// one; a language may still have its own.
				func(f url.Values) url.Values { f.Set("t.banner.title", "I vostri cookie"); return f },
				http.StatusSeeOther, "", func(t *testing.T, before, after *registry.Site, r resp) {
					if len(after.Banner) != 1 || after.Banner["it"].Title != "I vostri cookie" {
						t.Errorf("banner %+v", after.Banner)
					}
				}},
			{"nothing changed stores nothing", editor, "en",
				func(f url.Values) url.Values { f.Set("t.categories[1].name", "Audience measurement"); return f },
				http.StatusSeeOther, "", func(t *testing.T, before, after *registry.Site, r resp) {
					unchanged(t, before, after, r)
					if loc := r.header.Get("Location"); !strings.HasSuffix(loc, "?done=flash.translations.unchanged") {
						t.Errorf("sent to %q, want the page saying nothing changed", loc)
					}
				}},
			{"a field the site does not have", editor, "de",
				func(f url.Values) url.Values { f.Set("t.cookies[99].purpose", "x"); return f },
				http.StatusBadRequest, "The form sent is malformed.", unchanged},
			{"a text given twice", editor, "de",
				func(f url.Values) url.Values { f["t.cookies[2].purpose"] = []string{"a", "b"}; return f },
				http.StatusBadRequest, "The form sent is malformed.", unchanged},
			{"no version", editor, "de",
				func(f url.Values) url.Values { f.Del("version"); f.Set("t.cookies[2].purpose", "x"); return f },
				http.StatusBadRequest, "The form sent is malformed.", unchanged},
			{"a stale form", editor, "de",
				func(f url.Values) url.Values {
					f.Set("version", strings.Repeat("0", 32))
					f.Set("t.cookies[2].purpose", "x")
					return f
				},
				http.StatusConflict, "These texts changed since you opened the page", unchanged},
			{"forged CSRF token", editor, "de",
				func(f url.Values) url.Values {
					f.Set("csrfmiddlewaretoken", strings.Repeat("A", 64))
					f.Set("t.cookies[2].purpose", "x")
					return f
				},
				http.StatusForbidden, "", unchanged},
			{"a reader may not save", viewer, "de", nil, http.StatusForbidden, "", unchanged},
			{"a control character", editor, "de",
				func(f url.Values) url.Values { f.Set("t.categories[1].name", "Reichweite\x00"); return f },
				http.StatusUnprocessableEntity, "contains the control character U&#43;0000", unchanged},
			{"a line break in a one-line name", editor, "de",
				func(f url.Values) url.Values { f.Set("t.categories[1].name", "Reich\nweite"); return f },
				http.StatusUnprocessableEntity, "contains the control character U&#43;000A", unchanged},
			{"invalid UTF-8", editor, "de",
				func(f url.Values) url.Values { f.Set("t.categories[1].name", "Reich\xffweite"); return f },
				http.StatusUnprocessableEntity, "is not valid UTF-8 text", unchanged},
			{"too long", editor, "de",
				func(f url.Values) url.Values { f.Set("t.cookies[0].purpose", strings.Repeat("é", 2001)); return f },
				http.StatusUnprocessableEntity, "text is 4002 bytes long, more than 4000", unchanged},
			{"a language the site does not list", editor, "pl", nil, http.StatusNotFound, "“pl” is not a language this site is translated into", unchanged},
			{"the default language", editor, "fr", nil, http.StatusNotFound, "“fr” is not a language", unchanged},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := draftOf(t, st)
				audits := auditCount(t, st, "translations.update")
				form := url.Values{"csrfmiddlewaretoken": {tt.who.token()}, "version": {"0"}}
				if tt.form != nil {
					form = tt.form(tt.who.translationForm(tt.lang))
				}
				r := tt.who.do("POST", "/admin/sites/demo/translations/"+tt.lang, form, nil)
				if r.status != tt.status || !strings.Contains(r.body, tt.want) {
					t.Fatalf("%d %.600s\nwant %d with %q", r.status, r.body, tt.status, tt.want)
				}
				after := draftOf(t, st)
				wantAudits := audits
				if r.status == http.StatusSeeOther && before.Revision() != after.Revision() {
					wantAudits++
				}
				tt.check(t, before, after, r)
				if got := auditCount(t, st, "translations.update"); got != wantAudits {
					t.Errorf("%d audit entries, want %d", got, wantAudits)
				}
			})
		}
		// The refused hostile text stays in its field, with the error beside it.
		f := editor.translationForm("de")
		f.Set("t.categories[1].name", "Reichweite\x01")
		r = editor.do("POST", "/admin/sites/demo/translations/de", f, nil)
		if !strings.Contains(r.body, `value="Reichweite&#x1;"`) && !strings.Contains(r.body, "value=\"Reichweite\x01\"") ||
			!strings.Contains(r.body, `<span class="field-error">error: contains the control character U&#43;0001</span>`) {
			t.Errorf("hostile text re-shown: %.2000s", r.body)
		}

		// Saved: the count dropped and the flash says so.
		r = editor.get("/admin/sites/demo/translations/de?done=flash.saved")
		if !strings.Contains(r.body, `id="count-de">1 text to translate</span>`) { // the cleared name
			t.Errorf("de count after filling one and clearing one: %.1500s", r.body)
		}
		// Nothing reached visitors: publishing is a step of its own.
		if now, _ := st.Published(context.Background(), "demo"); now.ID != published.ID {
			t.Error("saving translations published the draft")
		}

		// A reader sees the table, without a form.
		r = viewer.get("/admin/sites/demo/translations/de")
		if r.status != 200 || strings.Contains(r.body, "<textarea") || strings.Contains(r.body, `name="version"`) ||
			!strings.Contains(r.body, `<span lang="de" dir="ltr">Besucher erkennen</span>`) ||
			!strings.Contains(r.body, "You may read this site but not change it.") {
			t.Errorf("reader's page: %d %.2000s", r.status, r.body)
		}
		if r := viewer.get("/admin/sites/demo/translations/xx"); r.status != http.StatusNotFound {
			t.Errorf("an unknown language: %d", r.status)
		}
	})
}

// TestTranslationsAPI: the same operation as JSON, for scripts: GET lists
// the texts, PUT sets those named, an unknown field is a 422 naming it.
func TestTranslationsAPI(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		withItalian(t, st)
		secret, hash := auth.NewToken()
		if _, err := st.CreateToken(context.Background(), auth.Token{Name: "translator", Hash: hash, Role: auth.Editor, Sites: []string{"demo"}, CreatedBy: "test"}); err != nil {
			t.Fatal(err)
		}
		api := e.bearer(secret)
		api.lang = "en"
		var got struct {
			Language        string
			DefaultLanguage string `json:"default_language"`
			Missing         int
			Texts           []struct {
				Field, Source, Translation string
				Missing                    bool
			}
		}
		r := api.callWith("GET", "/api/v1/sites/demo/draft/translations/de", "", nil)
		if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != 200 || got.Missing != 1 || got.DefaultLanguage != "fr" {
			t.Fatalf("GET: %d %.300s (%v)", r.status, r.body, err)
		}
		calls := []struct {
			name, body string
			status     int
			want       string
		}{
			{"set one", `{"cookies[2].purpose": "Besucher erkennen"}`, 200, `"missing": 0`},
			{"unknown field", `{"cookies[2].purpose": "x", "nope": "y"}`, 422, `"field":"nope"`},
			{"control character", `{"categories[0].name": "a\u0007"}`, 422, `"field":"categories[0].name.de"`},
			{"not an object of texts", `{"categories[0].name": 3}`, 400, `"error"`},
		}
		for _, c := range calls {
			t.Run(c.name, func(t *testing.T) {
				before := draftOf(t, st)
				r := api.callWith("PUT", "/api/v1/sites/demo/draft/translations/de", c.body, nil)
				if r.status != c.status || !strings.Contains(r.body, c.want) {
					t.Errorf("%d %.400s, want %d with %s", r.status, r.body, c.status, c.want)
				}
				if c.status != 200 && draftOf(t, st).Revision() != before.Revision() {
					t.Error("a refused PUT changed the draft")
				}
			})
		}
		// Unusual text that is still text is taken as it is.
		for _, c := range hostile.Fine {
			r := api.callWith("PUT", "/api/v1/sites/demo/draft/translations/de", `{"categories[0].name": `+hostile.JSON(c.Value)+`}`, nil)
			if got := draftOf(t, st).Categories[0].Name["de"]; r.status != 200 || got != c.Value {
				t.Errorf("%s: %d, stored %q", c.Name, r.status, got)
			}
		}
		if r := api.callWith("GET", "/api/v1/sites/demo/draft/translations/fr", "", nil); r.status != 404 || !strings.Contains(r.body, `"field":"lang"`) {
			t.Errorf("default language: %d %s", r.status, r.body)
		}
	})
}
