package proxy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/proof"
)

// Issue 5's "Done when": `charte proxy --site demo --upstream …` in front of
// a plain site makes the banner appear and keeps `_pk_id*` from reaching a
// visitor who refused. These tests drive headless Chromium through the real
// proxy, in front of a plain upstream site, with the registry and the banner
// from a real charte server, and check what the visitor sees, the cookies
// the browser holds (HttpOnly ones included, which no banner can touch), the
// cookies the upstream reads and the proof charte stored.

// bannerVisible: the first layer is on screen.
const bannerVisible = `(b => !!b && !b.hidden && b.checkVisibility() && b.getBoundingClientRect().height > 0)(document.querySelector('.charte-banner'))`

func TestBrowserProxy(t *testing.T) {
	browser := startChromium(t)
	tests := []struct {
		name string
		// choose is what the visitor does on the first page, once the
		// banner is up; nil: nothing.
		choose func(t *testing.T, w *world, v *visitor)
		// What the visitor finally allows; chosen is false when no choice
		// is stored (the banner keeps asking).
		chosen, stats, marketing bool
		actions                  []string // records stored, oldest first
	}{
		{name: "first visit, no choice"},
		{
			name: "reject all",
			choose: func(t *testing.T, w *world, v *visitor) {
				v.click(`.charte-banner [data-charte-action=reject_all]`)
				v.waitTrue(`!document.querySelector('.charte-banner') && document.cookie.includes('cookies_preferences=')`)
			},
			chosen: true, actions: []string{proof.RejectAll},
		},
		{
			name:   "accept all",
			choose: acceptAll,
			chosen: true, stats: true, marketing: true, actions: []string{proof.AcceptAll},
		},
		{
			name: "withdraw statistics after accepting",
			choose: func(t *testing.T, w *world, v *visitor) {
				acceptAll(t, w, v)
				v.reload()
				if c := v.cookies(w.proxy)["_pk_id.1.abcd"]; c == nil {
					t.Fatalf("after accepting, the browser holds %v, no _pk_id.1.abcd: nothing to withdraw", names(v.cookies(w.proxy)))
				}
				// "Gérer mes cookies" on the site's own page, then statistics
				// off: the banner records a withdrawal and reloads the page.
				before := eval[float64](v, `window.loadedAt`)
				v.click(`#manage[data-charte-open]`)
				v.waitTrue(`!!document.querySelector('.charte-d')`)
				if on := eval[[]bool](v, `Array.from(document.querySelectorAll('.charte-d input'), i => i.checked)`); !slices.Equal(on, []bool{true, true}) {
					t.Errorf("switches %v, want both on as accepted", on)
				}
				v.click(`.charte-d [data-k=statistics]`)
				v.click(`.charte-d [data-charte-action=save]`)
				v.waitTrue(`window.loadedAt !== ` + jsNumber(before) + ` && !!window.charte && document.readyState === 'complete'`)

				// The banner cannot reach an HttpOnly cookie: only the
				// proxy's Max-Age=0 on the reloaded page removes it.
				if c := v.cookies(w.proxy)["_pk_id.1.abcd"]; c != nil {
					t.Errorf("the HttpOnly _pk_id.1.abcd survived the withdrawal: %+v", c)
				}
				if got := v.setCookiesFor(w.proxy + "/"); !slices.Contains(got, "_pk_id.1.abcd=; Path=/; Max-Age=0") {
					t.Errorf("no response expired _pk_id.1.abcd; the page's Set-Cookie lines were %q", got)
				}
			},
			chosen: true, marketing: true, actions: []string{proof.AcceptAll, proof.Withdraw},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			v := newVisitor(t, browser)

			// First visit: the banner is asked for by the proxy's tag, shows
			// its first layer in French, and only the session cookie is set.
			v.open(w.proxy + "/")
			checkPage(t, w, v, "Portail open data", true)
			if got := eval[string](v, `document.querySelector('.charte-banner [data-charte-action=reject_all]').textContent`); got != "Tout refuser" {
				t.Errorf("the reject button says %q, want Tout refuser", got)
			}
			checkHeld(t, w, v, false, false)
			if _, ok := v.choice(w.proxy); ok {
				t.Error("a choice is stored before the visitor made one")
			}

			if tt.choose != nil {
				tt.choose(t, w, v)
			}

			// Then the same page again and another one, gzip-compressed by
			// the upstream: what the proxy lets through must follow the choice.
			for _, step := range []struct {
				name, title string
				do          func()
			}{
				{"reload", "Portail open data", v.reload},
				{"another page", "Jeux de données", func() {
					v.click(`#data`)
					v.waitTrue(`location.pathname === '/jeux-de-donnees' && !!window.charte && document.readyState === 'complete'`)
				}},
			} {
				step.do()
				t.Logf("after %s", step.name)
				checkPage(t, w, v, step.title, !tt.chosen)
				checkHeld(t, w, v, tt.stats, tt.marketing)
			}
			if _, gzipped := w.upstream.requests(); gzipped == 0 {
				t.Error("the upstream never sent a gzip page: the compressed path was not exercised")
			}

			choice, ok := v.choice(w.proxy)
			if ok != tt.chosen {
				t.Fatalf("choice stored: %v, want %v", ok, tt.chosen)
			}
			if tt.chosen {
				if choice.Allowed("statistics") != tt.stats || choice.Allowed("marketing") != tt.marketing {
					t.Errorf("cookies_preferences decisions %v, want statistics %v, marketing %v", choice.Decisions, tt.stats, tt.marketing)
				}
				if reg := latestRevision(t, w); choice.Revision != reg {
					t.Errorf("choice for revision %s, the proxy enforces %s", choice.Revision, reg)
				}
				recs := w.records(t, choice.ConsentID, len(tt.actions))
				for i, r := range recs {
					if r.Action != tt.actions[i] || r.Page != "/" || r.Language != "fr" || r.Revision != choice.Revision {
						t.Errorf("record %d: %+v, want action %s on page / in fr", i+1, r, tt.actions[i])
					}
				}
				last := recs[len(recs)-1]
				if last.Decisions["statistics"] != tt.stats || last.Decisions["marketing"] != tt.marketing {
					t.Errorf("last record's decisions %v, want statistics %v, marketing %v", last.Decisions, tt.stats, tt.marketing)
				}
			}

			// The site behind the proxy never read a cookie the visitor's
			// choice (or absence of one) refused, even on the request that
			// expired it; and it did see the choice itself.
			reqs, _ := w.upstream.requests()
			if bad := refusedCookies(reqs); len(bad) > 0 {
				t.Errorf("the upstream read refused cookies:\n%s", strings.Join(bad, "\n"))
			}
			if tt.chosen && !slices.ContainsFunc(reqs, func(r seenRequest) bool { return strings.Contains(r.cookie, consent.CookieName+"=") }) {
				t.Errorf("the upstream never received the visitor's choice: %+v", reqs)
			}
		})
	}
}

func acceptAll(t *testing.T, w *world, v *visitor) {
	v.click(`.charte-banner [data-charte-action=accept_all]`)
	v.waitTrue(`!document.querySelector('.charte-banner') && document.cookie.includes('cookies_preferences=')`)
}

// checkPage: the upstream's page, whole, with exactly one banner tag added
// in its head (and not before the doctype), naming the page's language,
// and the first layer shown or not.
func checkPage(t *testing.T, w *world, v *visitor, title string, asking bool) {
	t.Helper()
	got := eval[[]string](v, `[document.title, document.querySelector('h1').textContent, document.compatMode,
  String(document.querySelectorAll('script[src="`+w.bannerURL+`?lang=fr"]').length),
  String(document.head.querySelectorAll('script[src="`+w.bannerURL+`?lang=fr"][defer]').length),
  document.getElementById('manage').textContent]`)
	want := []string{title, title, "CSS1Compat", "1", "1", "Gérer mes cookies"}
	if !slices.Equal(got, want) {
		t.Errorf("page [title, h1, mode, banner tags, deferred tags in head, link] = %q, want %q", got, want)
	}
	if shown := eval[bool](v, bannerVisible); shown != asking {
		t.Errorf("first layer visible: %v, want %v", shown, asking)
	}
}

// checkHeld: the browser holds the necessary session always, Matomo's
// HttpOnly cookie only with statistics granted, YouTube's only with
// marketing granted, and never the undeclared one.
func checkHeld(t *testing.T, w *world, v *visitor, stats, marketing bool) {
	t.Helper()
	all := v.cookies(w.proxy)
	if c := all["sessionid"]; c == nil || !c.HTTPOnly {
		t.Errorf("no HttpOnly sessionid held: %v", names(all))
	}
	pk := all["_pk_id.1.abcd"]
	switch {
	case stats && (pk == nil || !pk.HTTPOnly || pk.Value != "p1"):
		t.Errorf("statistics granted but _pk_id.1.abcd is %+v; held: %v", pk, names(all))
	case !stats && hasPrefix(all, "_pk_"):
		t.Errorf("statistics refused but a _pk_ cookie is held: %v", names(all))
	}
	if held := all["YSC"] != nil; held != marketing {
		t.Errorf("YSC held: %v, want %v (marketing granted: %v); held: %v", held, marketing, marketing, names(all))
	}
	if all["tracker"] != nil {
		t.Errorf("the undeclared cookie got through: %v", names(all))
	}
}

func latestRevision(t *testing.T, w *world) string {
	t.Helper()
	rev, err := w.store.Published(t.Context(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	return rev.ID
}
