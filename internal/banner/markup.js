// charte's own markup for the banner's first layer and placeholders,
// spliced into banner.js at "@markup" by banner.Build (the DSFR theme has
// dsfr.js instead); its dialog is rendered by charte (dialog.go). Texts are
// HTML already; see banner.js.

  // No type="button": the banner and the dialog are never inside a form.
  const button = (action, text) => `<button data-charte-action="${action}">${text}</button>`;
  const first = `<div class="charte charte-banner" role="region" aria-label="${W.T}" lang="${C.l}"><button class="charte-x" data-x="reject">${W.X}</button><h2>${W.T}</h2><p>${W.M}</p><p>${W.P}</p><p><a href="${C.h}">${W.H}</a></p><div class="charte-b">${button('accept_all', W.A) + button('reject_all', W.R) + button('customise', W.C)}</div></div>`;
  const placeholder = (c, k) => `<div class="charte charte-ph" lang="${C.l}"><p>${W.B.replace('%p', c.v).replace('%c', c.n)}</p><button type="button" data-l="${k}">${W.L}</button></div>`;
