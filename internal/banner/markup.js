// charte's own markup for the banner, spliced into banner.js at "@markup"
// by banner.Build (the DSFR theme has dsfr.js instead). Texts are HTML
// already; see banner.js.

  // No type="button": the banner and the dialog are never inside a form.
  const button = (action, text) => `<button data-charte-action="${action}">${text}</button>`;
  const category = (c, consent) => `<section><h3>${consent
    ? `<label><input type="checkbox" role="switch" data-k="${c.i}"${granted(choice, c.i) ? ' checked' : ''}> ${c.n}</label>`
    : `${c.n} — ${W.O}`}</h3><p>${c.p}</p>/*S*/${consent && c.s ? `<ul aria-label="${W.U}">${c.s.map(s => `<li><label><input type="checkbox" role="switch" data-s="${s[0]}" data-c="${c.i}"${sgranted(choice, svc(s[0])) ? ' checked' : ''}> ${s[1]} — ${s[2]}</label></li>`).join('')}</ul>` : ''}/*-S*/<details><summary>Cookies (${c.k.length})</summary><ul>${
    c.k.map(k => `<li><b>${k[0]}</b> — ${k[1]} — ${k[2]} — ${k[3]}</li>`).join('')}</ul></details></section>`;
  const first = `<div class="charte charte-banner" role="region" aria-label="${W.T}" lang="${C.l}"><button class="charte-x" data-x="reject">${W.X}</button><h2>${W.T}</h2><p>${W.M}</p><p>${W.P}</p><p><a href="${C.h}">${W.H}</a></p><div class="charte-b">${button('accept_all', W.A) + button('reject_all', W.R) + button('customise', W.C)}</div></div>`;
  const dialog = () => `<div class="charte charte-o" lang="${C.l}"><div class="charte-d" role="dialog" aria-modal="true" aria-labelledby="charte-t" tabindex="-1"><button class="charte-x" data-x aria-label="${W.F}">×</button><h2 id="charte-t">${W.D}</h2>${
    cats.length ? (gpc && C.g ? `<p>${W.G}</p>` : '') : `<p>${W.N}</p>`}${
    C.c.map(c => category(c, 1)).join('') + C.x.map(c => category(c)).join('')}${
    choice ? `<p>${W.I} <code>${choice.consent_id}</code></p>` : ''}<div class="charte-b">${
    cats.length ? button('reject_all', W.R) + button('accept_all', W.A) + button('save', W.S) : button('close', W.F)}</div></div></div>`;
  const placeholder = (c, k) => `<div class="charte charte-ph" lang="${C.l}"><p>${W.B.replace('%p', c.v).replace('%c', c.n)}</p><button type="button" data-l="${k}">${W.L}</button></div>`;
