import * as api from '../api.js';
import { fleetHealth, tone } from '../health.js';
import { newPoolForm } from './pool.js';
import * as rollout from './rollout.js';
import { h, DASH, rate, errorRate, ms, ago, badge, empty, errorBox, renderIfChanged } from '../dom.js';

/** Sync states as `GET /dataplanes` names them, worst first: the order of the overview's table. */
const SYNC = {
  OFFLINE: { rank: 0, tone: 'bad', text: 'offline' },
  STALE: { rank: 1, tone: 'bad', text: 'stale' },
  NACKED: { rank: 2, tone: 'bad', text: 'nacked' },
  CACHE_FAILED: { rank: 3, tone: 'warn', text: 'synced, cache write failed' },
  PENDING: { rank: 3, tone: 'warn', text: 'pending' },
  SYNCED: { rank: 4, tone: 'good', text: 'synced' },
};

/**
 * The node's sync state. A control plane whose `/dataplanes` has no `syncState` yet is read the same way
 * from what it does say: connection, last nack and applied revision.
 */
function syncState(dp, latest) {
  let name = dp.syncState;
  if (!SYNC[name]) {
    if (!dp.connected) name = 'OFFLINE';
    else if (dp.lastNack) name = 'NACKED';
    else name = latest && dp.appliedRevision === latest.number ? 'SYNCED' : 'PENDING';
  }
  const s = SYNC[name];
  const detail = name === 'NACKED' && dp.lastNack ? ` revision ${dp.lastNack.revision ?? '?'}` : '';
  return { ...s, text: s.text + detail, reason: name === 'NACKED' && dp.lastNack ? nackReason(dp.lastNack)
    : name === 'CACHE_FAILED' && dp.ackWarnings && dp.ackWarnings.length ? dp.ackWarnings[0] : dp.refusedReason || null };
}

function nackReason(nack) {
  return (nack.errors || []).map((e) => `${e.field}: ${e.message}`).join('; ') || null;
}

function dataPlanesTable(data) {
  const { nodes, latest, propagation } = data;
  if (nodes.length === 0) {
    return empty('No data plane has connected yet.',
      h('p', {}, 'Start one with ', h('code', {}, 'BALLAST_CP_URLS=<this control plane> BALLAST_DP_TOKEN=<data-plane token> java -jar ballast-data-plane.jar'), '.'));
  }
  const rows = nodes.map((dp) => ({ dp, sync: syncState(dp, latest) }))
    .sort((a, b) => a.sync.rank - b.sync.rank || String(a.dp.nodeId).localeCompare(String(b.dp.nodeId)));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'dataplanes' },
    h('caption', {}, latest ? `Data planes — problems first. Propagation: time for revision ${latest.number} to reach each.` : 'Data planes — problems first'),
    h('thead', {}, h('tr', {}, ['Node', 'Labels', 'Version', 'Sync', 'Applied revision', 'Propagation', 'Last seen'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(({ dp, sync }) => h('tr', { dataset: { node: dp.nodeId } },
      h('th', { scope: 'row' }, dp.nodeId, dp.hostname && dp.hostname !== dp.nodeId ? h('div', { class: 'muted' }, dp.hostname) : null),
      h('td', {}, Object.entries(dp.labels || {}).map(([k, v]) => badge(`${k}=${v}`, 'label')), Object.keys(dp.labels || {}).length ? null : DASH),
      h('td', {}, dp.version || DASH),
      h('td', { class: 'sync' }, badge(sync.text, sync.tone), sync.reason ? h('div', { class: 'muted reason' }, sync.reason) : null),
      h('td', { class: 'num' }, dp.appliedRevision ?? DASH),
      h('td', { class: 'num propagation' }, latencyText(propagation[dp.nodeId])),
      h('td', {}, ago(dp.lastSeen)))))));
}

/** One node's answer to the newest revision, from `GET /revisions/{n}`'s `propagation`. */
function latencyText(p) {
  if (!p) return DASH;
  if (p.latencyMs !== null && p.latencyMs !== undefined) return p.status === 'NACKED' ? `nacked after ${ms(p.latencyMs)}` : ms(p.latencyMs);
  if (p.status === 'PENDING') return 'waiting';
  if (p.status === 'HELD') return 'held back (canary)';
  return p.status === 'SKIPPED' ? 'skipped (runs a newer one)' : DASH;
}

function poolsTable(data) {
  const { pools, traffic, health } = data;
  if (pools.length === 0) {
    return empty('No pools yet.', h('p', {}, 'An admin creates one below; then add backends on its page and a route that sends traffic to it.'));
  }
  const rows = pools.map((p) => {
    const hs = health.get(p.name) || new Map();
    const total = (p.backends || []).length;
    const healthy = (p.backends || []).filter((b) => tone(hs.get(b.name)) === 'good').length;
    const t = (traffic.pools || {})[p.name] || {};
    const problem = healthy < total ? 0 : total === 0 || (t.errorsPerSecond || 0) > 0 ? 1 : 2;
    return { p, total, healthy, t, problem };
  }).sort((a, b) => a.problem - b.problem || a.p.name.localeCompare(b.p.name));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'pools' },
    h('caption', {}, 'Pools — unhealthy first'),
    h('thead', {}, h('tr', {}, ['Pool', 'Healthy backends', 'Requests', '5xx rate', 'p50 / p99', 'Algorithm'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(({ p, total, healthy, t }) => h('tr', { dataset: { pool: p.name } },
      h('th', { scope: 'row' }, h('a', { href: `#/pools/${encodeURIComponent(p.name)}` }, p.name)),
      h('td', { class: 'num' }, total === 0 ? badge('no backends', 'warn')
        : badge(`${healthy} / ${total}`, healthy === total ? 'good' : healthy === 0 ? 'bad' : 'warn')),
      h('td', { class: 'num' }, rate(t.requestsPerSecond)),
      h('td', { class: 'num' }, errorRate(t.requestsPerSecond, t.errorsPerSecond)),
      h('td', { class: 'num latency', title: 'Latency over the last minute, as clients saw it' },
        typeof t.p50Ms === 'number' && typeof t.p99Ms === 'number' ? `${ms1(t.p50Ms)} / ${ms1(t.p99Ms)}` : DASH),
      h('td', {}, p.algorithm || DASH))))));
}

/** Milliseconds with a decimal under 10 ms (a proxy's answers are often that fast). */
function ms1(v) {
  return v < 10 ? `${v.toFixed(1)} ms` : ms(v);
}

export function mount(main, ctx) {
  const dataplanes = h('section', { 'aria-labelledby': 'dp-title' }, h('h2', { id: 'dp-title' }, 'Data planes'), h('div', { class: 'live' }, 'Loading…'));
  const poolsSection = h('section', { 'aria-labelledby': 'pools-title' }, h('h2', { id: 'pools-title' }, 'Pools'), h('div', { class: 'live' }, 'Loading…'));
  const rolloutSection = h('section', {});
  const rolloutPanel = rollout.mount(rolloutSection, ctx);
  const children = [h('h1', {}, 'Overview'), rolloutSection, dataplanes, poolsSection];
  if (ctx.can('admin')) children.push(newPoolForm(ctx));
  main.replaceChildren(...children);
  const dpLive = dataplanes.querySelector('.live');
  const poolLive = poolsSection.querySelector('.live');

  // The newest revision's propagation, fetched again only while some node has not answered it yet:
  // the revision document holds the whole configuration, too big to poll every second on a large fleet.
  let propagationOf = { number: null, byNode: {}, settled: false };

  async function propagation(latest) {
    if (!latest) return {};
    if (propagationOf.number === latest.number && propagationOf.settled) return propagationOf.byNode;
    const detail = await api.get(`/revisions/${latest.number}`);
    const list = Array.isArray(detail.propagation) ? detail.propagation : [];
    propagationOf = {
      number: latest.number,
      byNode: Object.fromEntries(list.map((p) => [p.nodeId, p])),
      settled: !Array.isArray(detail.propagation) || list.every((p) => p.status !== 'PENDING'),
    };
    return propagationOf.byNode;
  }

  // The last good answers, kept for this tab: while the control plane is unreachable the overview shows
  // them under a banner instead of "Loading…" (data planes keep serving meanwhile; see the README).
  const CACHE = 'ballast.overview';
  const stale = h('p', { class: 'stale', role: 'status', hidden: true });
  main.insertBefore(stale, dataplanes);

  function render(d) {
    renderIfChanged(dpLive, { nodes: d.nodes, latest: d.latest, propagation: d.propagation }, dataPlanesTable);
    renderIfChanged(poolLive, { pools: d.pools, traffic: d.traffic, health: d.health },
      (x) => poolsTable({ pools: x.pools, traffic: x.traffic, health: new Map(x.health.map(([k, v]) => [k, new Map(v)])) }));
  }

  async function refresh() {
    rolloutPanel.refresh();
    try {
      const [nodes, pools, traffic, health, revs] = await Promise.all([
        api.get('/dataplanes'), api.get('/pools?limit=1000'), api.get('/traffic'),
        api.get('/health'), api.get('/revisions?limit=1')]);
      const latest = api.items(revs)[0] || null;
      const hs = fleetHealth(health);
      const d = {
        at: Date.now(), nodes: api.items(nodes), latest, propagation: await propagation(latest),
        pools: api.items(pools), traffic: { pools: traffic.pools }, health: [...hs].map(([k, v]) => [k, [...v]]),
      };
      try { sessionStorage.setItem(CACHE, JSON.stringify(d)); } catch (ignored) { /* full or disabled: no cache */ }
      stale.hidden = true;
      render(d);
    } catch (e) {
      if (e.status !== 0) {
        dpLive.replaceChildren(errorBox(e));
        return;
      }
      let cached = null;
      try { cached = JSON.parse(sessionStorage.getItem(CACHE) || 'null'); } catch (ignored) { cached = null; }
      if (cached) {
        stale.textContent = `The control plane is unreachable: this is what it reported at ${new Date(cached.at).toLocaleTimeString()}. `
          + 'Data planes keep serving their last configuration; the console retries every few seconds.';
        stale.hidden = false;
        render(cached);
      } else {
        const none = 'The control plane is unreachable and this tab has nothing cached yet; the console retries every few seconds.';
        stale.textContent = none;
        stale.hidden = false;
        for (const live of [dpLive, poolLive]) if (live.textContent === 'Loading…') live.replaceChildren(empty(none));
      }
    }
  }
  return { refresh };
}
