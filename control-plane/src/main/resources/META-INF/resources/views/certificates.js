// Certificates: validity with days left (a warning under 30 days, an error once expired), SAN hosts, and which
// data planes serve each. Keys are never shown (the API never answers them).
import * as api from '../api.js';
import { h, DASH, empty, errorBox, renderIfChanged, when, badge } from '../dom.js';

const DAY_MS = 86_400_000;
const WARN_DAYS = 30;

/** Whole days from now until `notAfter` (negative once expired). */
export function daysLeft(notAfter, now = Date.now()) {
  return Math.floor((Date.parse(notAfter) - now) / DAY_MS);
}

function expiry(c) {
  const days = daysLeft(c.notAfter);
  if (Number.isNaN(days)) return badge('unknown', 'warn');
  if (days < 0) return badge(`expired ${-days} day${days === -1 ? '' : 's'} ago`, 'bad');
  if (days < WARN_DAYS) return badge(`${days} day${days === 1 ? '' : 's'} left`, 'warn');
  return badge(`${days} days left`, 'good');
}

/**
 * A data plane serves every server certificate of the revision it applied: those that applied the newest revision
 * serve the certificates listed here; the others still serve an older set.
 */
function servedBy(c, dataplanes, latest) {
  if (!c.hasPrivateKey) return h('span', { class: 'muted' }, 'not served (trust bundle)');
  const serving = dataplanes.filter((d) => d.connected !== false && latest != null && d.appliedRevision === latest);
  const behind = dataplanes.length - serving.length;
  if (dataplanes.length === 0) return h('span', { class: 'muted' }, 'no data plane connected');
  return h('span', {},
    serving.length ? serving.map((d) => badge(d.nodeId, 'label')) : h('span', { class: 'muted' }, 'none yet'),
    behind ? h('span', { class: 'muted' }, ` (${behind} on an older revision)`) : null);
}

export function mount(main, ctx) {
  const live = h('div', { class: 'live' }, 'Loading…');
  main.replaceChildren(h('h1', {}, 'Certificates'),
    h('p', { class: 'muted' }, 'Chosen per TLS handshake by SNI: an exact host, then a wildcard, then the certificate named default.'),
    live);

  function table({ certificates, dataplanes, latest }) {
    if (certificates.length === 0) {
      return empty('No certificates: TLS listeners refuse every handshake.',
        h('p', {}, ctx.can('admin') ? 'Add one with POST /api/v1/certificates or the declarative file.' : 'Ask an admin to add one.'));
    }
    return h('div', { class: 'table-wrap' }, h('table', { id: 'certificates' },
      h('thead', {}, h('tr', {}, ['Certificate', 'Hosts', 'Expires', 'Days left', 'Issuer', 'Key', 'Served by']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, certificates.map((c) => h('tr', { dataset: { certificate: c.name } },
        h('th', { scope: 'row' }, c.name),
        h('td', {}, (c.hosts || []).length ? c.hosts.join(', ') : DASH),
        h('td', {}, when(c.notAfter)),
        h('td', { class: 'expiry' }, expiry(c)),
        h('td', {}, c.issuer || DASH),
        h('td', {}, c.hasPrivateKey ? (c.keyType || 'yes') : 'none'),
        h('td', { class: 'served' }, servedBy(c, dataplanes, latest)))))));
  }

  async function refresh() {
    try {
      const [certificates, dataplanes, revisions] = await Promise.all([
        api.get('/certificates?limit=1000'), api.get('/dataplanes?limit=1000'), api.get('/revisions?limit=1')]);
      const newest = api.items(revisions)[0];
      renderIfChanged(live, { certificates: api.items(certificates), dataplanes: api.items(dataplanes), latest: newest ? newest.number : null }, table);
    } catch (e) {
      if (e.status !== 0) live.replaceChildren(errorBox(e));
    }
  }
  return { refresh };
}
