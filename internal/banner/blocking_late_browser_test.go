package banner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/charte/charte/internal/browsertest"
)

// lateSrc is a script or frame that a page's script gives its src only once
// the element is in the document: the element is there already (the
// parser's empty <script>, its held <iframe>), or inserted empty, then
// given a src through the property, setAttribute or setAttributeNS.
// Chromium fetches an empty script the moment it gets a src (these cases
// failed so before the banner held them): it had not "started" (HTML's
// "prepare the script element" stops before that for a script with neither
// text nor src), so getting one prepares it again.
type lateSrc struct {
	name    string
	url     string // what the element is given
	service string // the declared service it belongs to; "" loads at once
	frame   bool
	js      string // run by the page: %[1]q is the element's id, %[2]q the URL
}

var lateSrcs = []lateSrc{
	{name: "the parser's empty script, then .src", url: "https://www.googletagmanager.com/gtm.js?id=GTM-PARSED", service: "google-tag-manager",
		js: `document.getElementById('parsed-empty').id = %[1]q; document.getElementById(%[1]q).src = %[2]q;`},
	{name: "script inserted empty, then .src", url: "https://www.googletagmanager.com/gtm.js?id=GTM-LATE", service: "google-tag-manager",
		js: `var e = document.createElement('script'); e.id = %[1]q; document.head.appendChild(e); e.src = %[2]q;`},
	{name: "script inserted empty, then setAttribute('src')", url: "https://connect.facebook.net/fr_FR/fbevents.js", service: "meta-pixel",
		js: `var e = document.createElement('script'); e.id = %[1]q; document.body.append(e); e.setAttribute('src', %[2]q);`},
	{name: "script inserted empty, then setAttribute('SRC')", url: "https://www.googletagmanager.com/gtag/js?id=G-LATE", service: "google-analytics",
		js: `var e = document.createElement('script'); e.id = %[1]q; document.body.appendChild(e); e.setAttribute('SRC', %[2]q);`},
	{name: "module script inserted empty, then .src (it runs as a module)", url: "https://www.googletagmanager.com/gtag/js?id=G-MODULE", service: "google-analytics",
		js: `var e = document.createElement('script'); e.id = %[1]q; e.type = 'module'; document.body.appendChild(e); e.src = %[2]q;`},
	{name: "script inserted empty, then setAttributeNS(null, 'src')", url: "https://connect.facebook.net/de_DE/fbevents.js", service: "meta-pixel",
		js: `var e = document.createElement('script'); e.id = %[1]q; document.body.appendChild(e); e.setAttributeNS(null, 'src', %[2]q);`},
	{name: "script inserted empty, then .src in capitals, which the browser normalises", url: "https://www.googletagmanager.com/gtm.js?id=GTM-CAPITALS", service: "google-tag-manager",
		js: `var e = document.createElement('script'); e.id = %[1]q; document.body.appendChild(e); e.src = %[2]q.replace('https://www.googletagmanager.com', 'HTTPS://WWW.GoogleTagManager.COM');`},
	{name: "frame inserted, then .src", url: "https://www.youtube.com/embed/late-property", service: "youtube", frame: true,
		js: `var e = document.createElement('iframe'); e.id = %[1]q; e.title = 'Vidéo'; document.body.appendChild(e); e.src = %[2]q;`},
	{name: "frame inserted, then setAttribute('src')", url: "https://www.youtube.com/embed/late-attribute", service: "youtube", frame: true,
		js: `var e = document.createElement('iframe'); e.id = %[1]q; e.title = 'Vidéo'; document.body.appendChild(e); e.setAttribute('src', %[2]q);`},
	// A frame held already that the page gives another src (a playlist
	// changing the video) stays held, and loads the last src on consent.
	{name: "frame inserted and given a src, then another .src", url: "https://www.youtube.com/embed/second-of-two", service: "youtube", frame: true,
		js: `var e = document.createElement('iframe'); e.id = %[1]q; e.title = 'Vidéo'; document.body.appendChild(e); e.src = 'https://www.youtube.com/embed/first-of-two'; e.src = %[2]q;`},
	{name: "the parser's frame, held, then another .src", url: "https://www.youtube.com/embed/changed-by-script", service: "youtube", frame: true,
		js: `document.getElementById('parsed-frame').id = %[1]q; document.getElementById(%[1]q).src = %[2]q;`},
	// No over-blocking: what belongs to no declared service loads as it
	// would without the banner.
	{name: "script of an undeclared host, inserted empty, then .src", url: "https://widgets.example.net/widget.js",
		js: `var e = document.createElement('script'); e.id = %[1]q; document.body.appendChild(e); e.src = %[2]q;`},
	{name: "script of an undeclared host, inserted empty, then setAttribute('src')", url: "https://widgets.example.net/other.js",
		js: `var e = document.createElement('script'); e.id = %[1]q; document.body.appendChild(e); e.setAttribute('src', %[2]q);`},
	{name: "frame of an undeclared host, inserted, then .src", url: "https://widgets.example.net/frame", frame: true,
		js: `var e = document.createElement('iframe'); e.id = %[1]q; e.title = 'Widget'; document.body.appendChild(e); e.src = %[2]q;`},
}

// parsedFrame is the only vendor URL requested before consent: Chromium
// requests a frame as the parser inserts it (docs/banner.md, the limit).
const parsedFrame = "https://www.youtube.com/embed/parsed-original"

const lateHosts = "https://www.googletagmanager.com https://connect.facebook.net https://widgets.example.net"

// latePage holds an empty script and a YouTube frame the parser inserts;
// late.js runs the cases.
const latePage = `<!doctype html><html lang="%s"><head><meta charset="utf-8">
<script src="/banner.js"></script>
<title>Tardifs</title>
<script id="parsed-empty"></script>
</head><body><h1>Tardifs</h1>
<iframe id="parsed-frame" title="Vidéo" src="%s"></iframe>
<script src="/late.js"></script>
</body></html>`

// lateVendor answers the vendors' requests: a script records the URL it
// was fetched as in window.ran (so that a run counts), anything else is a
// frame's page. A module's reads import.meta, which does not parse in a
// classic script.
func lateVendor(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, ".js") || strings.HasPrefix(r.URL.Path, "/gtag/js") {
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		meta := ""
		if strings.Contains(r.URL.RawQuery, "MODULE") {
			meta = " && import.meta.url"
		}
		fmt.Fprintf(w, "(window.ran = window.ran || []).push(%q)%s;", r.URL.RequestURI(), meta)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	io.WriteString(w, "<!doctype html><title>Cadre</title><p>Contenu tiers</p>")
}

// blockingLateSrc: on a page whose scripts give scripts and frames their
// src once they are in the document, the declared services' are held
// before anything is requested: no vendor request, nothing run, the frames
// behind their placeholder; the rest loads. "Tout accepter" runs each held
// script and loads each frame, exactly once; on the next page, with the
// choice made, nothing is held.
func blockingLateSrc(t *testing.T, browser context.Context, scripts map[string][]byte, pageLang string) {
	vendor := httptest.NewServer(http.HandlerFunc(lateVendor))
	t.Cleanup(vendor.Close)
	var late strings.Builder
	for i, c := range lateSrcs {
		fmt.Fprintf(&late, "(function () {"+c.js+"})();\n", fmt.Sprint("late", i), c.url)
	}
	late.WriteString("window.lateRan = true;\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Security-Policy", "script-src 'self' "+lateHosts+"; frame-src https://www.youtube.com "+lateHosts+"; connect-src 'self'")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, latePage, pageLang, parsedFrame)
		case "/late.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, late.String())
		default:
			if !serveBanner(w, r, scripts) {
				http.NotFound(w, r)
			}
		}
	}))
	t.Cleanup(srv.Close)

	tab, log := browsertest.VendorTab(t, browser, vendor.URL, "www.googletagmanager.com", "connect.facebook.net", "www.youtube.com", "widgets.example.net")
	browsertest.Open(t, tab, srv.URL+"/", `!!document.querySelector('.charte-banner[lang="`+pageLang+`"]') && window.lateRan === true`)
	// What is not held loads: once it has, what came before it in late.js
	// has had its chance to be requested.
	for i, c := range lateSrcs {
		if c.service == "" {
			log.WaitCount(t, c.url, 1)
			if c.frame {
				browsertest.WaitTrue(t, tab, fmt.Sprintf(`document.getElementById('late%d').src == %q`, i, c.url))
			} else {
				browsertest.WaitTrue(t, tab, fmt.Sprintf(`(window.ran || []).includes(%q)`, requestURI(t, c.url)))
			}
		}
	}
	for _, u := range log.All() {
		if !strings.HasPrefix(u, "https://widgets.example.net/") && u != parsedFrame {
			t.Errorf("before consent the page requested %s", u)
		}
	}
	for i, c := range lateSrcs {
		id := fmt.Sprint("late", i)
		if c.service == "" {
			continue
		}
		t.Run("before consent/"+c.name, func(t *testing.T) {
			if n := log.Count(c.url); n > 0 {
				t.Errorf("%s was requested %d times before consent", c.url, n)
			}
			if c.frame {
				browsertest.WaitTrue(t, tab, fmt.Sprintf(`(e => e.hidden && e.previousElementSibling.matches('.charte-ph') && !!e.previousElementSibling.querySelector('button[data-l="youtube"]'))(document.getElementById(%q))`, id))
				got := browsertest.Eval[[]string](t, tab, fmt.Sprintf(`(e => [e.src, e.dataset.src, e.dataset.charte])(document.getElementById(%q))`, id))
				if want := []string{"about:blank", c.url, c.service}; fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("the frame is [src data-src data-charte] = %q, want %q", got, want)
				}
				return
			}
			got := browsertest.Eval[[]string](t, tab, fmt.Sprintf(`(e => [e.type, e.dataset.charte, String((window.ran || []).includes(%q))])(document.getElementById(%q))`, requestURI(t, c.url), id))
			if want := []string{"text/plain", c.service, "false"}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("the script is [type data-charte ran] = %q, want %q", got, want)
			}
		})
	}

	// "Tout accepter": each held script runs and each frame loads, once.
	browsertest.Eval[any](t, tab, `charte.open()`)
	browsertest.Click(t, tab, `.charte-o [data-charte-action=accept_all]`)
	for i, c := range lateSrcs {
		t.Run("after accepting all/"+c.name, func(t *testing.T) {
			log.WaitCount(t, c.url, 1)
			if c.frame {
				browsertest.WaitTrue(t, tab, fmt.Sprintf(`(e => e.src == %q && !e.hidden)(document.getElementById('late%d'))`, c.url, i))
			} else {
				browsertest.WaitTrue(t, tab, fmt.Sprintf(`(window.ran || []).includes(%q)`, requestURI(t, c.url)))
				if n := browsertest.Eval[int](t, tab, fmt.Sprintf(`window.ran.filter(u => u == %q).length`, requestURI(t, c.url))); n != 1 {
					t.Errorf("the script ran %d times", n)
				}
			}
			if n := log.Count(c.url); n != 1 {
				t.Errorf("%s was requested %d times, want once", c.url, n)
			}
		})
	}
	if n := browsertest.Eval[int](t, tab, `document.querySelectorAll('.charte-ph').length`); n > 0 {
		t.Errorf("%d placeholders left after accepting all", n)
	}
	if n := log.Count("https://www.youtube.com/embed/first-of-two"); n > 0 {
		t.Errorf("the src a held frame was given before another was requested %d times", n)
	}

	// The next page, with the choice made: nothing is held, each runs once.
	browsertest.Open(t, tab, srv.URL+"/", `window.lateRan === true`)
	for i, c := range lateSrcs {
		log.WaitCount(t, c.url, 2)
		if c.frame {
			browsertest.WaitTrue(t, tab, fmt.Sprintf(`document.getElementById('late%d').src == %q`, i, c.url))
		} else {
			browsertest.WaitTrue(t, tab, fmt.Sprintf(`(window.ran || []).filter(u => u == %q).length == 1`, requestURI(t, c.url)))
		}
	}
	if n := browsertest.Eval[int](t, tab, `document.querySelectorAll('[data-charte], .charte-ph').length`); n > 0 {
		t.Errorf("%d elements held or placeholders after accepting all", n)
	}
}

// requestURI is the path and query a vendor's script records.
func requestURI(t *testing.T, s string) string {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}
