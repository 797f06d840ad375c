package scan

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Reading the profile's cookies at the end of a pass misses every cookie
// written and then deleted before that moment: a tracker running before a
// consent banner that wipes refused categories at page start, a script that
// tests whether cookies work, a later response expiring the cookie. The
// cookie was stored all the same (and sent, and readable), so each tab also
// records every cookie write as it happens:
//
//   - writes by responses, from Network.responseReceivedExtraInfo: the raw
//     Set-Cookie lines, HttpOnly ones included, third-party iframes included
//     (site isolation is off, so their requests are the tab's), less the
//     lines Chromium reports in blockedCookies;
//   - writes by script, from a hook evaluated in every frame before any of
//     its scripts (Page.addScriptToEvaluateOnNewDocument) that wraps the
//     document.cookie setter of Document.prototype and reports each write
//     through a Runtime binding, so a write survives the page reloading or
//     navigating away right after it; the Cookie Store API's set() too.
//
// At the end of the pass, what was written and is no longer in the profile is
// reported as a transient cookie.

// cookieBinding is the Runtime binding the hook reports writes through. The
// hook takes it off the page's global object before any page script runs.
const cookieBinding = "__charteScanCookieWrite"

// cookieHook wraps the document.cookie setter: the original setter runs
// first, then the write is reported with the document's URL and whether the
// name=value pair is readable right after (Chromium silently drops a write
// it refuses: a foreign domain, Secure over http, a name an HttpOnly cookie
// holds). The getter is left as it is.
const cookieHook = `(() => {
  const send = globalThis[` + "`" + cookieBinding + "`" + `];
  if (typeof send !== 'function') return;
  try { delete globalThis[` + "`" + cookieBinding + "`" + `]; } catch (e) {}
  const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (!d || !d.set || !d.get || !d.configurable) return;
  const stringify = JSON.stringify;
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true, enumerable: d.enumerable, get: d.get,
    set: function (v) {
      const r = d.set.call(this, v);
      try {
        const s = String(v);
        const pair = s.split(';')[0];
        const i = pair.indexOf('=');
        const norm = i < 0 ? pair.trim() : pair.slice(0, i).trim() + '=' + pair.slice(i + 1).trim();
        const visible = String(d.get.call(this)).split('; ').includes(norm);
        send(stringify({c: s, u: String(this.URL), v: visible}));
      } catch (e) {}
      return r;
    },
  });
  // The Cookie Store API writes without document.cookie: its set() is
  // reported as the equivalent cookie line once the browser has stored it.
  const CS = globalThis.CookieStore;
  const cs = CS && Object.getOwnPropertyDescriptor(CS.prototype, 'set');
  if (cs && typeof cs.value === 'function' && cs.writable) {
    const orig = cs.value, url = String(location.href);
    Object.defineProperty(CS.prototype, 'set', {
      configurable: cs.configurable, enumerable: cs.enumerable, writable: true,
      value: function (a, b) {
        const p = orig.apply(this, arguments);
        try {
          const o = typeof a === 'object' && a !== null ? a : {name: a, value: b};
          let s = String(o.name) + '=' + String(o.value == null ? '' : o.value) + '; Path=' + (o.path || '/');
          if (o.domain) s += '; Domain=' + o.domain;
          if (o.expires != null) s += '; Expires=' + new Date(o.expires).toUTCString();
          s += '; SameSite=' + ({strict: 'Strict', lax: 'Lax', none: 'None'}[o.sameSite || 'strict'] || 'Strict');
          p.then(() => send(stringify({c: s, u: url, v: true})), () => {});
        } catch (e) {}
        return p;
      },
    });
  }
})();`

// Ways a cookie was written.
const (
	SetByResponse = "response"
	SetByScript   = "script"
)

// cookieWrite is one cookie a tab stored, as written.
type cookieWrite struct {
	name, domain, path string
	expires            *time.Time // nil for a session cookie
	lifetime           int64      // seconds, 0 for a session cookie
	httpOnly, secure   bool
	sameSite           string
	setBy              string
	page               string
}

// writeLog is the cookie writes of the tabs of one pass.
type writeLog struct {
	mu   sync.Mutex
	tabs []*tabWrites
}

// tabWrites is what one tab's events said, kept raw and resolved at the end
// (a response's URL comes from another event, which may arrive later).
type tabWrites struct {
	page string

	mu        sync.Mutex
	urls      map[network.RequestID][]string // requests (and redirects) in order
	responses []responseCookies
	scripts   []scriptWrite
}

type responseCookies struct {
	id      network.RequestID
	at      time.Time
	lines   []string
	blocked map[string]bool
}

type scriptWrite struct {
	at      time.Time
	cookie  string
	url     string
	visible bool
}

// watch installs the hook in the tab and records its writes from now on,
// until the tab's context ends. page names the page the tab was opened for.
// A tab where the hook cannot be installed still gets its response cookies
// recorded; an error only means the tab is gone or did not answer before
// call's deadline (call derives from tab and bounds the installation).
func (l *writeLog) watch(call, tab context.Context, pageURL string) error {
	t := &tabWrites{page: pageURL, urls: map[network.RequestID][]string{}}
	if err := chromedp.Listen(tab, t.event); err != nil {
		return err
	}
	l.mu.Lock()
	l.tabs = append(l.tabs, t)
	l.mu.Unlock()
	if _, err := chromedp.Call(call, runtime.AddBinding, runtime.AddBindingParams{Name: cookieBinding}); err != nil {
		return err
	}
	_, err := chromedp.Call(call, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cookieHook})
	return err
}

// event runs in the tab's message loop: it only copies under a lock.
func (t *tabWrites) event(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request == nil {
			return
		}
		t.mu.Lock()
		t.urls[ev.RequestID] = append(t.urls[ev.RequestID], ev.Request.URL)
		t.mu.Unlock()
	case *network.EventResponseReceivedExtraInfo:
		var lines []string
		for k, v := range ev.Headers {
			if s, ok := v.(string); ok && strings.EqualFold(k, "set-cookie") {
				lines = append(lines, strings.Split(s, "\n")...)
			}
		}
		if len(lines) == 0 {
			return
		}
		blocked := map[string]bool{}
		for _, b := range ev.BlockedCookies {
			if b != nil {
				blocked[strings.TrimSpace(b.CookieLine)] = true
			}
		}
		t.mu.Lock()
		t.responses = append(t.responses, responseCookies{id: ev.RequestID, at: time.Now(), lines: lines, blocked: blocked})
		t.mu.Unlock()
	case *runtime.EventBindingCalled:
		if ev.Name != cookieBinding {
			return
		}
		var w struct {
			C string `json:"c"`
			U string `json:"u"`
			V bool   `json:"v"`
		}
		if json.Unmarshal([]byte(ev.Payload), &w) != nil {
			return
		}
		t.mu.Lock()
		t.scripts = append(t.scripts, scriptWrite{at: time.Now(), cookie: w.C, url: w.U, visible: w.V})
		t.mu.Unlock()
	}
}

// writes returns every cookie the pass's tabs stored, deletions left out,
// in the order the tabs were opened.
func (l *writeLog) writes() []cookieWrite {
	l.mu.Lock()
	tabs := append([]*tabWrites(nil), l.tabs...)
	l.mu.Unlock()
	var out []cookieWrite
	for _, t := range tabs {
		out = append(out, t.writes()...)
	}
	return out
}

func (t *tabWrites) writes() []cookieWrite {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []cookieWrite
	// The n-th response of a request (a redirect, then its target) answers
	// its n-th URL.
	used := map[network.RequestID]int{}
	for _, r := range t.responses {
		urls := t.urls[r.id]
		n := used[r.id]
		used[r.id]++
		if len(urls) == 0 {
			continue
		}
		u, err := url.Parse(urls[min(n, len(urls)-1)])
		if err != nil || u.Hostname() == "" {
			continue
		}
		for _, line := range r.lines {
			line = strings.TrimSpace(line)
			if line == "" || r.blocked[line] {
				continue
			}
			if w, ok := parseWrite(line, u, r.at, true); ok {
				w.setBy, w.page = SetByResponse, t.page
				out = append(out, w)
			}
		}
	}
	for _, s := range t.scripts {
		u, err := url.Parse(s.url)
		if err != nil || u.Hostname() == "" {
			continue
		}
		w, ok := parseWrite(s.cookie, u, s.at, false)
		if !ok {
			continue
		}
		// A write not readable afterwards was refused, unless its path keeps
		// it from this document, where it cannot be checked.
		if !s.visible && pathMatch(u.EscapedPath(), w.path) {
			continue
		}
		w.setBy, w.page = SetByScript, t.page
		out = append(out, w)
	}
	return out
}

// maxCookieAge is Chromium's cap on any cookie's expiry (RFC 6265bis).
const maxCookieAge = 400 * 24 * time.Hour

// parseWrite reads one Set-Cookie line (or document.cookie string) written
// for the document or response at u at time at. ok is false for a deletion
// (Max-Age 0 or less, an expiry in the past), a line that does not parse,
// and an expiry it cannot read: only a cookie surely stored counts.
func parseWrite(line string, u *url.URL, at time.Time, fromResponse bool) (cookieWrite, bool) {
	c, err := http.ParseSetCookie(line)
	if err != nil || c.Name == "" {
		return cookieWrite{}, false
	}
	if !fromResponse && c.HttpOnly {
		return cookieWrite{}, false // script cannot set HttpOnly cookies
	}
	w := cookieWrite{name: c.Name, httpOnly: c.HttpOnly, secure: c.Secure}
	var exp time.Time
	switch {
	case c.MaxAge < 0:
		return cookieWrite{}, false
	case c.MaxAge > 0:
		exp = at.Add(time.Duration(c.MaxAge) * time.Second)
	case c.RawExpires != "" && c.Expires.IsZero():
		return cookieWrite{}, false
	case !c.Expires.IsZero():
		if !c.Expires.After(at) {
			return cookieWrite{}, false
		}
		exp = c.Expires
	}
	if !exp.IsZero() {
		if limit := at.Add(maxCookieAge); exp.After(limit) {
			exp = limit
		}
		w.lifetime = max(int64(exp.Sub(at).Round(time.Second).Seconds()), 1)
		exp = exp.UTC().Truncate(time.Second)
		w.expires = &exp
	}
	switch c.SameSite {
	case http.SameSiteLaxMode:
		w.sameSite = "Lax"
	case http.SameSiteStrictMode:
		w.sameSite = "Strict"
	case http.SameSiteNoneMode:
		w.sameSite = "None"
	}
	host := strings.ToLower(u.Hostname())
	w.domain = host
	if d := strings.ToLower(strings.TrimPrefix(c.Domain, ".")); d != "" && !(d == host && net.ParseIP(host) != nil) {
		w.domain = "." + d
	}
	w.path = c.Path
	if !strings.HasPrefix(w.path, "/") {
		w.path = defaultPath(u.EscapedPath())
	}
	return w, true
}

// defaultPath is RFC 6265's default-path of a request path: up to, not
// including, its last slash; "/" when that leaves nothing.
func defaultPath(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// pathMatch is RFC 6265's path-match of a request path against a cookie's.
func pathMatch(reqPath, cookiePath string) bool {
	if reqPath == "" {
		reqPath = "/"
	}
	if reqPath == cookiePath {
		return true
	}
	return strings.HasPrefix(reqPath, cookiePath) &&
		(strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/')
}

// transientCookies are the writes whose cookie is not in the profile at the
// end of the pass, one per name and domain (the longest lifetime asked for),
// classified and marked transient. A cookie present at the end under the same
// name and domain (whatever its path) counts as the same: the scanner would
// rather miss a write than report one that is still there.
func (s *scanner) transientCookies(writes []cookieWrite, present []Cookie, site string) []Cookie {
	type key struct{ name, domain string }
	k := func(name, domain string) key { return key{name, strings.TrimPrefix(strings.ToLower(domain), ".")} }
	there := map[key]bool{}
	for _, c := range present {
		there[k(c.Name, c.Domain)] = true
	}
	index := map[key]int{}
	var out []Cookie
	for _, w := range writes {
		wk := k(w.name, w.domain)
		if there[wk] {
			continue
		}
		if i, ok := index[wk]; ok {
			if w.lifetime > out[i].LifetimeSeconds {
				out[i].LifetimeSeconds, out[i].Expires = w.lifetime, w.expires
			}
			continue
		}
		index[wk] = len(out)
		out = append(out, Cookie{
			Name: w.name, Domain: w.domain, Path: w.path, Expires: w.expires, LifetimeSeconds: w.lifetime,
			HTTPOnly: w.httpOnly, Secure: w.secure, SameSite: w.sameSite,
			ThirdParty: !firstParty(w.domain, s.start.Hostname(), site),
			Class:      s.classifier.Classify(w.name, w.domain),
			Transient:  true, SetBy: w.setBy, Page: w.page,
		})
	}
	return out
}
