// The DSFR's consent manager markup (theme: dsfr), spliced into banner.js at
// "@markup" by banner.Build instead of markup.js: the classes and anatomy of
// the French state's design system (https://www.systeme-de-design.gouv.fr,
// "Gestionnaire de consentement"), so a site that loads the DSFR's CSS gets
// its official look. Texts are HTML already; see banner.js.

  const button = (action, text, kind) => `<li><button class="fr-btn${kind || ''}" data-charte-action="${action}">${text}</button></li>`;
  const radio = (c, id, text, on, off) => `<div class="fr-radio-group"><input type="radio" id="charte-${c.i}-${id}" name="charte-${c.i}"${on ? ' checked' : ''}${off || ''}><label class="fr-label" for="charte-${c.i}-${id}">${text}</label></div>`;
  // One purpose: "Accepter" and "Refuser" radios ("Refuser" disabled where
  // no consent is asked), its description, and its cookies in a disclosure.
  const service = (c, consent) => `<div class="fr-consent-service"><fieldset class="fr-fieldset" role="group" aria-labelledby="charte-${c.i}-l charte-${c.i}-p"><legend id="charte-${c.i}-l" class="fr-consent-service__title">${c.n}</legend><div class="fr-consent-service__radios">${
    radio(c, 'a', W.V, !consent || granted(choice, c.i), consent ? ` data-k="${c.i}"` : '') + radio(c, 'r', W.Z, consent && !granted(choice, c.i), consent ? '' : ' disabled')
    }</div><p id="charte-${c.i}-p" class="fr-consent-service__desc">${c.p}</p><details><summary>Cookies (${c.k.length})</summary><ul>${
    c.k.map(k => `<li><b>${k[0]}</b> — ${k[1]} — ${k[2]} — ${k[3]}</li>`).join('')}</ul></details></fieldset></div>`;
  const first = `<div class="charte fr-consent-banner" role="region" aria-label="${W.T}" lang="${C.l}"><h2 class="fr-h6">${W.T}</h2><div class="fr-consent-banner__content"><p class="fr-text--sm">${W.M} ${W.P} <a href="${C.h}">${W.H}</a></p></div><ul class="fr-consent-banner__buttons fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-sm">${
    button('accept_all', W.A) + button('reject_all', W.R) + button('customise', W.C, ' fr-btn--secondary')}</ul></div>`;
  const dialog = () => `<div class="charte" lang="${C.l}"><div class="fr-modal fr-modal--opened" role="dialog" aria-modal="true" aria-labelledby="charte-t" tabindex="-1"><div class="fr-container fr-container--fluid fr-container-md"><div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-10 fr-col-lg-8"><div class="fr-modal__body"><div class="fr-modal__header"><button class="fr-btn--close fr-btn" data-x>${W.F}</button></div><div class="fr-modal__content"><h2 id="charte-t" class="fr-modal__title">${W.D}</h2>${
    cats.length ? (gpc && C.g ? `<p>${W.G}</p>` : '') : `<p>${W.N}</p>`}<div class="fr-consent-manager">${
    C.x.map(c => service(c)).join('') + C.c.map(c => service(c, 1)).join('')}${
    choice ? `<p>${W.I} <code>${choice.consent_id}</code></p>` : ''}<ul class="fr-consent-manager__buttons fr-btns-group fr-btns-group--right fr-btns-group--inline-sm">${
    cats.length ? button('save', W.Y) : button('close', W.F)}</ul></div></div></div></div></div></div></div></div>`;
  const placeholder = (c, k) => `<div class="charte fr-consent-placeholder" lang="${C.l}"><p>${W.B.replace('%p', c.v).replace('%c', c.n)}</p><button class="fr-btn" type="button" data-l="${k}">${W.L}</button></div>`;
