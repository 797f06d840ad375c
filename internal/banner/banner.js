// charte's cookie banner. Hand-written, dependency-free, ES2017+.
//
// banner.Build replaces CHARTE_CONFIG with the site's published configuration
// (see config.go for the short field names) and CHARTE_CSS with the minified
// banner.css, then minifies the whole. Texts in the configuration are already
// HTML-escaped by Go, so they go into innerHTML as they are; nothing the page
// or the visitor supplies ever does.
(() => {
  const C = CHARTE_CONFIG, W = C.w, d = document, w = window, loc = location;
  const NAME = 'cookies_preferences', QUEUE = 'charte_queue';
  const cats = C.c.map(c => c.i);
  const script = d.currentScript;
  /*B*/
  // Automatic blocking (registry "blocking: observe"), for pages not served
  // through charte proxy: the scripts and frames of the site's services
  // (C.z: [service, URL expression over host/path?query, signatures of its
  // loader snippets…]) that the page adds after this script take the gated
  // forms activate() knows — <script type="text/plain" data-charte>,
  // <iframe data-charte data-src> — before they run. What the parser ran
  // before this script cannot be stopped, hence "first script in <head>"
  // (docs/banner.md); the scanner reports what still ran.
  const B = C.z.map(o => [o[0], RegExp(o[1]), o.slice(2)]);
  // ready: this script ran to its end, so the choice can be read. A script
  // that gives way to another language's never does: it holds everything
  // that matches, and the one taking over lets through what is allowed.
  let ready, live = 1;
  // hold gates e, whose src is (or is about to be) v; true when e is a
  // frame it held, which must not be given v.
  const hold = (e, v = e.src) => {
    const s = e.tagName == 'SCRIPT', u = /^https?:\/\/(?:[^/@]*@)?([^/:?#]*)[^/?#]*([^#]*)/.exec(v), t = s && !v && e.text;
    if (s && e.type && !/script$|^module$/i.test(e.type) || 'charte' in e.dataset) return;
    const b = B.find(b => u ? b[1].test(u[1] + u[2]) : t && b[2].some(x => t.includes(x)));
    if (!b || ready && allowed(b[0])) return;
    if (s) {
      e.dataset.charte = b[0];
      // A module keeps its type for activate, as the proxy keeps it.
      if (/^module$/i.test(e.type)) e.dataset.charteType = e.type;
      e.type = 'text/plain';
      return;
    }
    // A frame the parser inserted is loading already: about:blank stops it
    // (before the frame is marked held, as a src given to one that is goes
    // to its data-src).
    e.src = 'about:blank';
    e.dataset.charte = b[0];
    e.dataset.src = v;
    // Its placeholder once it is in the page (an insertion method holds
    // it before it is).
    if (ready) queueMicrotask(activate);
    return 1;
  };
  // Every insertion passes here, so the common case (an element that is
  // neither, holding none) costs two property reads.
  const scan = n => {
    const t = live && n.tagName;
    if (t == 'SCRIPT' || t == 'IFRAME') hold(n);
    else if (live && n.firstElementChild) for (const e of n.querySelectorAll('script,iframe')) hold(e);
  };
  // The parser's elements: the observer hears of a script before the parser
  // runs it (a microtask checkpoint precedes every </script>).
  const mo = new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(scan)));
  mo.observe(d.documentElement, {childList: true, subtree: true});
  // A script that another script inserts is fetched, and will run, from the
  // moment it is inserted, before the observer hears of it (checked in
  // Chromium: changing its type then is too late). So the insertion methods
  // hold it first; only script and iframe elements are looked at, the rest
  // pass as they came. Nothing loads in a detached tree (a page building
  // one, as frameworks do, pays nothing): it is looked through once, when
  // it joins the document.
  for (const [o, fs] of [[Node.prototype, ['appendChild', 'insertBefore', 'replaceChild']],
    [Element.prototype, ['append', 'prepend', 'before', 'after', 'replaceWith']]]) {
    for (const f of fs) {
      const g = o[f];
      o[f] = o == Node.prototype ? function (n, r) {
        if (this.isConnected) scan(n);
        return g.call(this, n, r);
      } : function (...a) {
        if (this.isConnected) a.forEach(scan);
        return g.apply(this, a);
      };
    }
  }
  // An element already in the page that gets a src: an empty script had
  // not "started" (HTML prepares it again when it gets one), so it is
  // fetched, and will run, at once; a frame navigates at once. So the src
  // setters and setAttribute(NS) hold it first: a script is given its src
  // as text/plain, a frame keeps about:blank. (An observer of the src
  // attribute would hear of a script once it is fetched, as of insertions:
  // checked in Chromium, where holding it then made consent run it twice.) A
  // script that had a src or text has started: a new src does nothing, so
  // it is left alone. A frame held already (the page changes the video)
  // keeps the new src in data-src. The anchor resolves v as the browser
  // will, without throwing on a URL that is not one.
  const a = d.createElement('a');
  const late = (e, v) => live && e.isConnected && (e.tagName == 'SCRIPT' ? !e.src && !e.text : e.tagName == 'IFRAME') &&
    (a.href = v, e.dataset.charte && e.dataset.src ? e.dataset.src = a.href : hold(e, a.href));
  for (const o of [HTMLScriptElement.prototype, HTMLIFrameElement.prototype]) {
    const f = Object.getOwnPropertyDescriptor(o, 'src').set;
    // (The getter stays: defineProperty changes only what it is given.)
    Object.defineProperty(o, 'src', {
      set(v) {
        late(this, v) || f.call(this, v);
      },
    });
  }
  for (const f of ['setAttribute', 'setAttributeNS']) {
    const g = Element.prototype[f];
    Element.prototype[f] = function (...x) {
      /^src$/i.test(x[x.length - 2]) && late(this, x[x.length - 1]) || g.apply(this, x);
    };
  }
  // This script takes over from the one that gave way to its language.
  if (script.charteStop) script.charteStop();
  /*-B*/
  // The page's <html lang> comes first (docs/banner.md): a script whose URL
  // names no language gives way to the page's, when the site has it.
  const want = C.s && C.s.find(l => (d.documentElement.lang.toLowerCase() + '-').startsWith(l + '-'));
  if (want && want != C.l && !/lang=|\/banner\//.test(script.src)) {
    const s = d.createElement('script');
    s.src = script.src.split('?')[0] + '?lang=' + want;
    Object.assign(s.dataset, script.dataset);
    /*B*/s.charteStop = () => {
      live = 0;
      mo.disconnect();
    };/*-B*/
    return script.after(s);
  }
  // data-reload="false" on the script tag: the page stops withdrawn trackers
  // itself (listening to charte.on('change')), so no reload is needed.
  const reload = !(script && script.dataset.reload == 'false');
  const gpc = navigator.globalPrivacyControl === true;
  const listeners = [];
  let banner, overlay, returnFocus, status;

  // The cookies_preferences codec, the same as Go's consent package:
  // 1.<consent-id>.<revision>.<unix-seconds>.<cat>=<0|1>&...&:<service>=<0|1>...
  const encode = c => ['1', c.consent_id, c.revision, c.time,
    c.decisions.map(x => x.category + '=' + +x.granted)/*S*/.concat((c.services || []).map(x => ':' + x.service + '=' + +x.granted))/*-S*/.join('&')].join('.');
  const decode = v => {
    const m = v.length < 1025 && /^1\.([\w-]{22})\.([0-9a-f]{1,64})\.(0|[1-9]\d{0,11})\.(.*)$/.exec(v);
    if (!m || m[3] > 253402300799) return null;
    const seen = new Set, c = {consent_id: m[1], revision: m[2], time: +m[3], decisions: []};
    for (const item of m[4] ? m[4].split('&') : []) {
      const k = /^([a-z][a-z0-9_-]{0,31}|:[a-z0-9][a-z0-9-]{0,62})=([01])$/.exec(item);
      if (!k || seen.has(k[1])) return null;
      seen.add(k[1]);
      // (A site without services never wrote a ":service" entry for its
      // revision; its script keeps none of this, for the size budget.)
      /*S*/if (k[1][0] == ':') (c.services = c.services || []).push({service: k[1].slice(1), granted: k[2] == '1'});
      else /*-S*/c.decisions.push({category: k[1], granted: k[2] == '1'});
    }
    return c;
  };
  const now = () => Math.floor(Date.now() / 1000);
  // A choice speaks for the visitor while it is for this revision, younger
  // than the choice lifetime and not dated more than a minute ahead (the same
  // rule as consent.Choice.Valid).
  const found = RegExp('(^|; )' + NAME + '=([^;]*)').exec(d.cookie);
  const stored = found && decode(found[2]);
  let choice = stored && stored.revision == C.r && now() - stored.time <= C.t &&
    stored.time - now() <= 60 ? stored : null;

  const exempt = k => C.x.some(c => c.i == k);
  const granted = (c, k) => !!c && c.decisions.some(x => x.category == k && x.granted);
  /*S*/
  // Services ({i: id, n: name, v: vendor, c: category}) follow their
  // category unless the choice decides for them apart. Code between the
  // S markers ships only to sites with services (banner.go strips it).
  const svcs = C.c.concat(C.x).flatMap(c => (c.s || []).map(s => ({i: s[0], n: s[1], v: s[2], c: c.i})));
  const svc = k => svcs.find(s => s.i == k);
  const sgranted = (c, s) => {
    const x = c && (c.services || []).find(x => x.service == s.i);
    return x ? x.granted : exempt(s.c) || granted(c, s.c);
  };
  const svcGrants = c => Object.fromEntries(svcs.map(s => [s.i, sgranted(c, s)]));
  /*-S*/
  const allowed = k => /*S*/svc(k) ? sgranted(choice, svc(k)) : /*-S*/exempt(k) || granted(choice, k);

  // 16 random bytes as 22 characters of unpadded base64url: consent and
  // record ids, made here so that a resent record is recognised.
  const rid = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
    .replace(/\+/g, '-').replace(/\//g, '_').slice(0, 22);

  // Google Consent Mode v2: everything the site maps to a consent category is
  // denied before any tag runs, then updated from the visitor's choice.
  const gtag = function () {
    (w.dataLayer = w.dataLayer || []).push(arguments);
  };
  const consentMode = (type, c) => {
    if (!C.m) return;
    let o = C.m;
    if (c) {
      o = {};
      // A signal follows the categories mapped to it, or, when the visitor
      // granted every service that reads it, those services.
      for (const s in C.q) o[s] = C.q[s].every(k => granted(c, k))/*S*/ || !!(C.y || {})[s] && C.y[s].every(i => sgranted(c, svc(i)))/*-S*/ ? 'granted' : 'denied';
    }
    (w.gtag = w.gtag || gtag)('consent', type, o);
  };

  // The proof: each record waits in localStorage until the server has it, so
  // a record survives a server that is down or a page that unloads.
  const queue = () => {
    try {
      return JSON.parse(localStorage[QUEUE] || '[]');
    } catch (e) {
      return [];
    }
  };
  const keep = q => {
    try {
      q.length ? localStorage[QUEUE] = JSON.stringify(q.slice(-20)) : localStorage.removeItem(QUEUE);
    } catch (e) { /* storage disabled: the record is sent once */ }
  };
  // A string body goes as text/plain, which needs no CORS preflight: a
  // keepalive request sent as the page unloads gets through in one trip.
  const send = r => fetch(C.a, {
    method: 'POST', keepalive: true, mode: 'cors', credentials: 'omit', body: JSON.stringify(r),
  }).then(res => {
    // 5xx and 429 may pass; any other answer is final, so drop the record.
    if (res.status < 500 && res.status != 429) keep(queue().filter(x => x.id != r.id));
  }, () => {});

  // Withdrawal deletes what script can reach of the cookies choice c does
  // not grant (by their service, else their category): exact names and
  // prefixes, on this host and each parent domain, with path "/" (trackers
  // set their cookies there).
  const wipe = c => {
    const host = loc.hostname.split('.');
    for (const pair of d.cookie.split('; ')) {
      const n = pair.split('=')[0];
      if (C.c.some(g => g.k.some(k => (k[0].endsWith('*') ? n.startsWith(k[0].slice(0, -1)) : n == k[0]) &&
        !(/*S*/k[1] ? sgranted(c, svc(k[1])) : /*-S*/granted(c, g.i))))) {
        for (let i = 0; i <= host.length; i++) {
          d.cookie = n + '=;max-age=0;path=/' + (i < host.length ? ';domain=' + host.slice(i).join('.') : '');
        }
      }
    }
  };

  // Blocked content: <script type="text/plain" data-charte="cat"> becomes a
  // real script, <iframe data-charte="cat" data-src> gets its src; until
  // then an iframe shows a placeholder naming who would set cookies.
  const activate = () => {
    for (const e of d.querySelectorAll('[data-charte]')) {
      const k = e.dataset.charte;
      if (e.tagName == 'SCRIPT') {
        if (allowed(k) && e.type == 'text/plain') {
          const s = d.createElement('script');
          // data-charte-type="module" (the proxy keeps a module's type
          // there) becomes the new script's type.
          for (const a of e.attributes) if (a.name != 'type' && a.name != 'data-charte') s.setAttribute(a.name == 'data-charte-type' ? 'type' : a.name, a.value);
          s.nonce = e.nonce;
          s.async = false;
          s.text = e.text;
          e.replaceWith(s);
        }
      } else if (!e.dataset.src) {
        // Only scripts and elements with data-src are charte's to unblock.
      } else if (allowed(k)) {
        // (Unmarked first: a src given to a frame the banner holds goes to
        // its data-src.)
        e.removeAttribute('data-charte');
        e.src = e.dataset.src;
        e.hidden = false;
        if (e.ph) e.ph.remove();
      } else if (!e.ph && !e.hasAttribute('data-charte-pixel')) {
        // A tracking image the proxy held back (data-charte-pixel) has
        // nothing to show: it gets no placeholder.
        // Only a category or a service the registry declares gets a
        // placeholder: its id and texts are known to be safe markup, the
        // page's attribute is not. "Accept and show" grants that one.
        const c = /*S*/svc(k) || /*-S*/C.c.find(c => c.i == k);
        e.hidden = true;
        e.before(e.ph = c ? html(placeholder(c, c.i)) : new Text);
      }
    }
  };

  // choose stores a choice, sends its proof, and applies it to the page.
  // g grants categories; sv grants services apart from their category.
  const choose = (action, g/*S*/, sv = {}/*-S*/) => {
    const prev = choice;
    const c = {
      consent_id: (prev || stored || {}).consent_id || rid(), revision: C.r, time: now(),
      decisions: cats.map(k => ({category: k, granted: !!g[k]})),
      /*S*/services: svcs.filter(s => s.i in sv && sv[s.i] != !!g[s.c] && !exempt(s.c)).map(s => ({service: s.i, granted: sv[s.i]})),/*-S*/
    };
    const withdrawn = cats.filter(k => granted(prev, k) && !granted(c, k))/*S*/.concat(svcs.filter(s => sgranted(prev, s) && !sgranted(c, s)))/*-S*/;
    if (withdrawn.length) action = 'withdraw';
    const h = loc.hostname;
    d.cookie = NAME + '=' + encode(c) + ';path=/;max-age=' + C.t + ';samesite=lax' +
      (loc.protocol == 'https:' ? ';secure' : '') +
      (C.d && (h == C.d || h.endsWith('.' + C.d)) ? ';domain=' + C.d : '');
    choice = c;
    const r = {id: rid(), consent_id: c.consent_id, revision: C.r, action, decisions: grants(k => granted(c, k)), language: C.l, page: loc.pathname, gpc};
    /*S*/r.services = svcGrants(c);/*-S*/
    keep(queue().concat(r));
    send(r);
    if (banner) banner.remove();
    banner = null;
    close();
    // Said to screen readers, and shown where the focus goes when the
    // control the visitor used is gone (see settle).
    status.textContent = W.K;
    consentMode('update', c);
    for (const f of listeners) f(api.choice());
    // Cookies of every refused category or service go, withdrawn or left
    // over from an expired choice; a page where withdrawn trackers ran is
    // reloaded.
    wipe(c);
    if (withdrawn.length && reload) loc.reload();
    activate();
  };
  const grants = f => Object.fromEntries(cats.map(k => [k, f(k)]));
  const all = v => grants(() => v);
  const reject = () => choose('reject_all', all(false));

  // The markup holds no script (texts are escaped), so a fragment parsed in
  // the document's context is as safe as a template's. Every element made
  // here is charte's, in C.l: right-to-left ones get dir="rtl" too (the CSS
  // is written in logical properties, so it mirrors).
  const html = s => {
    const e = d.createRange().createContextualFragment(s).firstElementChild;
    if (C.b) e.dir = C.b;
    return e;
  };
  // The markup: charte's own (markup.js) or the DSFR's (dsfr.js), chosen by
  // the site's theme when the script is built.
  // @markup
  // The first layer: no focus trap, but first in tab order. On a short
  // screen it is in the page's flow (banner.css), so it hides nothing; on a
  // tall one, what takes the focus behind it is scrolled above it.
  const showBanner = () => {
    banner = html(first);
    d.body.prepend(banner);
  };

  // The preferences dialog (the overlay's first child), or for a site
  // asking no consent, a panel saying so. charte renders it (dialog.go),
  // with each category's description and cookies: the script fetches it
  // the first time the preferences open, so the first layer, all that most
  // visitors use, goes without it (docs/banner.md). Meanwhile the status
  // message says it loads, or that it could not, where the focus is; the
  // banner's buttons still work. A preview carries it (C.o).
  const open = () => {
    close();
    const back = d.activeElement, c = choice;
    if (C.o) return show(back);
    say(W.W);
    return fetch(C.j).then(r => r.json()).then(j => {
      C.o = j.html;
      style(j.css);
      // (Unless the visitor chose meanwhile.)
      if (c == choice) show(back);
    }).catch(() => say(W.E));
  };
  const say = t => {
    status.textContent = t;
    status.focus();
  };
  const show = back => {
    close();
    returnFocus = back;
    overlay = html(C.o);
    // What the markup leaves to the visitor's choice: switches (data-k) on
    // when granted, the DSFR's "Refuser" radios (data-r) when not; the GPC
    // notice when the browser sends the signal; the choice's consent id.
    for (const i of overlay.querySelectorAll('[data-k],[data-r]')) i.checked = granted(choice, i.dataset.k || i.dataset.r) == !!i.dataset.k;
    /*S*/for (const i of overlay.querySelectorAll('[data-s]')) i.checked = sgranted(choice, svc(i.dataset.s));/*-S*/
    const g = overlay.querySelector('[data-g]'), p = overlay.querySelector('[data-i]');
    if (g) g.hidden = !gpc;
    if (choice) p.hidden = !(p.lastChild.textContent = choice.consent_id);
    /*S*/
    // A category's switch sets its services' switches.
    overlay.addEventListener('change', e => {
      const k = e.target.dataset.k;
      if (k) for (const i of overlay.querySelectorAll(`[data-c="${k}"]`)) i.checked = e.target.checked;
    });
    /*-S*/
    // A click on the backdrop keeps the focus where it was (false: no default).
    overlay.onmousedown = e => e.target != overlay;
    if (banner) banner.hidden = true;
    // Everything else is inert while the dialog is open: no focus, no
    // click, nothing for a screen reader to wander into.
    inert(true);
    d.body.append(overlay);
    overlay.firstChild.focus();
  };
  const inert = v => {
    for (const e of d.body.children) e.inert = v;
  };
  const close = () => {
    if (!overlay) return;
    overlay.remove();
    overlay = null;
    // (A page's own inert elements lose it too: the cost of not keeping a
    // list, for the size budget; pages rarely have any.)
    inert(false);
    if (banner) banner.hidden = false;
    if (returnFocus && returnFocus.isConnected) returnFocus.focus();
  };

  // After a choice the focus goes back where the visitor came from, to the
  // content just unblocked, or else to the message saying the choice is
  // saved, where the banner was: never to <body>, from where the next Tab
  // would start again at the top.
  const settle = e => (e && e.isConnected ? e : returnFocus && returnFocus.isConnected ? returnFocus : status).focus();
  const onClick = e => {
    const t = e.target.closest('[data-charte-action],[data-charte-open],.charte [data-x],.charte [data-l]');
    if (!t) return;
    const a = t.dataset.charteAction, load = t.dataset.l, c = overlay || banner;
    if (a == 'accept_all' || a == 'reject_all') choose(a, all(a == 'accept_all'));
    else if (a == 'save') {
      const g = {}/*S*/, sv = {}/*-S*/;
      for (const i of overlay.querySelectorAll('[data-k]')) g[i.dataset.k] = i.checked;
      /*S*/for (const i of overlay.querySelectorAll('[data-s]')) sv[i.dataset.s] = i.checked;/*-S*/
      choose('custom', g/*S*/, sv/*-S*/);
    } else if (load) {
      const next = t.parentNode.nextElementSibling;
      const g = grants(k => granted(choice, k))/*S*/, sv = svcGrants(choice)/*-S*/;
      /*S*/svc(load) ? sv[load] = true : /*-S*/g[load] = true;
      choose('custom', g/*S*/, sv/*-S*/);
      return settle(next);
    } else if (t.dataset.x == 'reject') reject();
    else if (a == 'close' || t.hasAttribute('data-x')) close();
    else {
      e.preventDefault();
      return open();
    }
    if (c && !c.isConnected) settle();
  };

  // The banner's keys never reach the page: they are caught first (capture,
  // on window) and stopped there, so a page whose own shortcuts cancel Enter
  // or Space, or move the focus, cannot take them, and the browser does
  // what the keys do on a button, a switch or a link.
  const onKey = e => {
    const k = e.key;
    if (!e.target.closest('.charte') && !overlay) return;
    e.stopPropagation();
    if (k == 'Escape') overlay ? close() : banner && banner.contains(e.target) && (reject(), status.focus());
    else if (k == 'Tab' && overlay) {
      // Past either end of the dialog the focus would leave the document.
      const f = overlay.querySelectorAll('button,input,a[href],summary'), n = f.length - 1, b = e.shiftKey, a = d.activeElement;
      if (a == f[b ? 0 : n] || b && a == overlay.firstChild) {
        e.preventDefault();
        f[b ? n : 0].focus();
      }
    }
  };

  const start = () => {
    for (const r of queue()) send(r);
    wipe(choice);
    d.addEventListener('click', onClick);
    w.addEventListener('keydown', onKey, true);
    // The live region is there before anything is said in it, so that
    // screen readers announce what comes.
    d.body.prepend(status = html(`<p class="charte charte-s" role="status" tabindex="-1" lang="${C.l}"></p>`));
    if (!choice && cats.length) {
      // Global Privacy Control refuses without asking; the preferences
      // still let the visitor opt in.
      if (gpc && C.g) choose('gpc', all(false));
      else showBanner();
    }
    activate();
  };

  // The stylesheet travels inside the script: constructable stylesheets are
  // allowed under a style-src that forbids inline styles, where <style> and
  // style="" are not. A browser without them (Safari before 16.4) shows the
  // banner unstyled, still usable.
  const style = css => {
    try {
      const s = new CSSStyleSheet;
      s.replaceSync(css);
      d.adoptedStyleSheets = [...d.adoptedStyleSheets, s];
    } catch (e) { /* unstyled */ }
  };
  style(CHARTE_CSS);
  consentMode('default');
  if (choice) consentMode('update', choice);

  const api = w.charte = {
    open,
    choice: () => choice && decode(encode(choice)),
    allowed,
    on: (type, f) => type == 'change' && listeners.push(f),
    encode,
    decode,
  };
  /*B*/ready = 1;/*-B*/
  d.readyState == 'loading' ? d.addEventListener('DOMContentLoaded', start) : start();
})();
