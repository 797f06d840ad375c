// A stand-in for Matomo: what the demo page blocks until the visitor allows
// statistics. It sets the demo site's declared _pk_id.* and _pk_ses.*
// cookies the way Matomo names them (site 1, a hash of the host), and says
// on the page that it ran.
(() => {
  const hex = n => Array.from(crypto.getRandomValues(new Uint8Array(n)), b => b.toString(16).padStart(2, '0')).join('');
  const now = Math.floor(Date.now() / 1000);
  const secure = location.protocol === 'https:' ? ';secure' : '';
  if (!/(^|; )_pk_id\.1\.1fff=/.test(document.cookie)) {
    // 13 months, the registry's lifetime for _pk_id*.
    document.cookie = '_pk_id.1.1fff=' + hex(8) + '.' + now + '.;path=/;max-age=34186669;samesite=lax' + secure;
  }
  document.cookie = '_pk_ses.1.1fff=1;path=/;max-age=1800;samesite=lax' + secure;
  window.demoStatsRuns = (window.demoStatsRuns || 0) + 1;
  const status = document.getElementById('demo-stats');
  if (status) status.textContent = status.dataset.ran;
})();
