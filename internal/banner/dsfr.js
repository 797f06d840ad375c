// The DSFR's consent manager markup (theme: dsfr), spliced into banner.js at
// "@markup" by banner.Build instead of markup.js: the classes and anatomy of
// the French state's design system (https://www.systeme-de-design.gouv.fr,
// "Gestionnaire de consentement"), so a site that loads the DSFR's CSS gets
// its official look. Its dialog, the consent manager, is rendered by charte
// (dialog.go). Texts are HTML already; see banner.js.

  const button = (action, text, kind) => `<li><button class="fr-btn${kind || ''}" data-charte-action="${action}">${text}</button></li>`;
  const first = `<div class="charte fr-consent-banner" role="region" aria-label="${W.T}" lang="${C.l}"><h2 class="fr-h6">${W.T}</h2><div class="fr-consent-banner__content"><p class="fr-text--sm">${W.M} ${W.P} <a href="${C.h}">${W.H}</a></p></div><ul class="fr-consent-banner__buttons fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-sm">${
    button('accept_all', W.A) + button('reject_all', W.R) + button('customise', W.C, ' fr-btn--secondary')}</ul></div>`;
  const placeholder = (c, k) => `<div class="charte fr-consent-placeholder" lang="${C.l}"><p>${W.B.replace('%p', c.v).replace('%c', c.n)}</p><button class="fr-btn" type="button" data-l="${k}">${W.L}</button></div>`;
