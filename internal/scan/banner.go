package scan

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// The consent actions, named as charte's banner names its buttons.
const (
	actionAccept = "accept_all"
	actionReject = "reject_all"
)

// Button texts of common banners, French and English, most specific first:
// "Tout refuser" must be tried before "Refuser" so that a banner offering
// both is answered with its first-layer button. Compared lower-cased, with
// spaces collapsed.
var buttonTexts = map[string][]string{
	actionReject: {
		"tout refuser", "refuser tout", "refuser tous les cookies", "continuer sans accepter",
		"refuser et fermer", "je refuse", "refuser",
		"reject all", "reject all cookies", "decline all", "refuse all", "deny all",
		"continue without accepting", "reject", "decline", "deny",
	},
	actionAccept: {
		"tout accepter", "accepter tout", "accepter tous les cookies", "accepter et fermer",
		"j'accepte", "accepter",
		"accept all", "accept all cookies", "allow all", "allow all cookies", "agree to all",
		"accept", "i accept", "agree", "allow",
	},
}

// consentScript finds and clicks the button for an action. charte's banner
// is driven through its own API and data-charte-action buttons (opening the
// banner first when a choice was already stored, and waiting for its dialog,
// which it fetches from charte the first time); any other banner through
// its visible buttons' text, open shadow roots included. It returns
// {method, label}, method "none" when nothing fit.
const consentScript = `async (action, texts) => {
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const label = el => (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim();
  if (window.charte) {
    const sel = '[data-charte-action="' + action + '"]';
    let b = Array.from(document.querySelectorAll(sel)).find(visible);
    if (!b && typeof window.charte.open === 'function') {
      try { await window.charte.open(); } catch (e) {}
      b = Array.from(document.querySelectorAll(sel)).find(visible) || document.querySelector(sel);
    }
    if (b) { b.click(); return {method: 'charte', label: label(b)}; }
  }
  const found = [];
  const collect = root => {
    for (const el of root.querySelectorAll('button, a, [role=button], input[type=button], input[type=submit]')) {
      if (visible(el)) found.push(el);
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) collect(el.shadowRoot);
  };
  collect(document);
  for (const t of texts) {
    for (const el of found) {
      const l = label(el).toLowerCase().replace(/[\s.!…→>×✓]+$/, '');
      if (l === t) { el.click(); return {method: 'other', label: label(el)}; }
    }
  }
  return {method: 'none', label: ''};
}`

// detectScript names the banner a visitor sees on arrival, without clicking.
const detectScript = `(texts) => {
  if (window.charte) return 'charte';
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const all = [];
  const collect = root => {
    for (const el of root.querySelectorAll('button, a, [role=button], input[type=button], input[type=submit]')) {
      if (visible(el)) all.push((el.innerText || el.value || '').replace(/\s+/g, ' ').trim().toLowerCase());
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) collect(el.shadowRoot);
  };
  collect(document);
  return all.some(l => texts.includes(l)) ? 'other' : 'none';
}`

// choose makes the consent choice on the page loaded in tab, then waits for
// the banner's reaction (a reload, scripts now allowed to run).
// Each exchange with the page is bounded by step: a page that stopped
// answering gets no choice made.
func choose(tab context.Context, action string, settle, step time.Duration) Consent {
	ctx, cancel := context.WithTimeout(tab, step)
	c, err := chromedp.Run(ctx, chromedp.Evaluate[Consent](callJS(consentScript, action, buttonTexts[action]), chromedp.EvalAwaitPromise))
	cancel()
	if err != nil {
		return Consent{Method: BannerNone}
	}
	if c.Method != BannerNone {
		sleep(tab, settle)
		// A banner that reloads the page must have finished loading before
		// the next page is read.
		waitReady(tab, step)
	}
	return c
}

// waitReady waits, at most step, for the document to be complete.
func waitReady(tab context.Context, step time.Duration) {
	ctx, cancel := context.WithTimeout(tab, step)
	defer cancel()
	_, _ = chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete'`, chromedp.WithPollingInterval(50*time.Millisecond)))
}

// detectBanner says which banner is on the page and takes the screenshot the
// HTML report embeds: the visitor's first sight of the site. Both are bounded
// by step together: a busy page has neither.
func detectBanner(tab context.Context, step time.Duration) Banner {
	ctx, cancel := context.WithTimeout(tab, step)
	defer cancel()
	all := append(append([]string{}, buttonTexts[actionReject]...), buttonTexts[actionAccept]...)
	kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](callJS(detectScript, all)))
	if err != nil {
		kind = BannerNone
	}
	shot, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	return Banner{Kind: kind, Screenshot: shot}
}

// callJS writes a call of the function fn with args encoded as JSON, so no
// text from the scanner is ever spliced into script unquoted.
func callJS(fn string, args ...any) string {
	enc := make([]string, len(args))
	for i, a := range args {
		b, _ := json.Marshal(a)
		enc[i] = string(b)
	}
	return "(" + fn + ")(" + strings.Join(enc, ", ") + ")"
}
