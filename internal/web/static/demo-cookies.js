// The demo page's live list of its cookies: what document.cookie holds now,
// each with the category the site's registry gives it. A script file, not
// inline, because the page's CSP allows no inline script.
(() => {
  const list = document.getElementById('demo-cookies');
  if (!list) return;
  let cookies = [];
  // The registry is open data; without it the names are listed alone.
  fetch('/api/v1/sites/' + encodeURIComponent(list.dataset.site) + '/cookies')
    .then(r => r.json())
    .then(reg => {
      const names = {};
      for (const c of reg.site.categories) names[c.id] = c.name[list.dataset.lang] || c.id;
      cookies = reg.site.cookies.map(c => ({name: c.name, category: names[c.category] || c.category}));
      render(true);
    }, () => {});
  // The declared cookie a name belongs to: exact name first, then the
  // longest prefix, as registry.Match does.
  const match = name => {
    let best = null;
    for (const c of cookies) {
      if (c.name === name) return c;
      const base = c.name.slice(0, -1);
      if (c.name.endsWith('*') && name.startsWith(base) && (!best || base.length > best.name.length - 1)) best = c;
    }
    return best;
  };
  let last = null;
  const render = force => {
    const now = document.cookie;
    if (now === last && !force) return;
    last = now;
    list.replaceChildren();
    const pairs = now ? now.split('; ') : [];
    if (!pairs.length) {
      const li = document.createElement('li');
      li.textContent = list.dataset.empty;
      list.append(li);
    }
    for (const pair of pairs.sort()) {
      const i = pair.indexOf('=');
      const name = pair.slice(0, i), value = pair.slice(i + 1);
      const li = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = name;
      const c = match(name);
      li.append(code, ' = ' + (value.length > 48 ? value.slice(0, 48) + '…' : value) + (c ? ' — ' + c.category : ''));
      li.dataset.cookie = name;
      list.append(li);
    }
  };
  render(true);
  // document.cookie fires no event: a cheap check twice a second.
  setInterval(render, 500);
})();
