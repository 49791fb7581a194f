import * as api from '../api.js';
import { fleetHealth, tone } from '../health.js';
import { newPoolForm } from './pool.js';
import { h, DASH, rate, errorRate, ms, ago, badge, empty, errorBox, renderIfChanged } from '../dom.js';

/** ISO-8601 duration ("PT0.25S"), "250ms", or a number of milliseconds → milliseconds. */
function millis(v) {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const iso = /^PT(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(v);
  if (iso) return (Number(iso[1] || 0) * 60 + Number(iso[2] || 0)) * 1000;
  const simple = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(v);
  return simple ? Number(simple[1]) * (simple[2] === 's' ? 1000 : 1) : null;
}

function syncState(dp, latest) {
  const given = typeof dp.syncState === 'string' ? dp.syncState : dp.sync && typeof dp.sync.state === 'string' ? dp.sync.state : null;
  if (!dp.connected) return { text: given && given !== 'in-sync' ? given : 'disconnected', tone: 'bad', rank: 0 };
  if (dp.lastNack) return { text: `nacked revision ${dp.lastNack.revision ?? '?'}`, tone: 'bad', rank: 0 };
  if (given) return { text: given.replace(/-/g, ' '), tone: /sync/.test(given) && !/out/.test(given) ? 'good' : 'warn', rank: /in.sync/.test(given) ? 2 : 1 };
  if (latest && dp.appliedRevision === latest.number) return { text: 'in sync', tone: 'good', rank: 2 };
  return { text: `behind (latest is ${latest ? latest.number : '?'})`, tone: 'warn', rank: 1 };
}

function propagation(dp, revisions) {
  const given = millis(dp.propagationMillis ?? dp.propagationLatencyMs ?? dp.propagationLatency
    ?? (dp.lastPropagation && (dp.lastPropagation.millis ?? dp.lastPropagation.latency)));
  if (given !== null) return given;
  // Fallback: the node's last ack minus the creation of the revision it acked.
  const created = revisions.get(dp.appliedRevision);
  if (!created || !dp.lastAckAt) return null;
  const d = Date.parse(dp.lastAckAt) - Date.parse(created);
  return d >= 0 ? d : null;
}

function dataPlanesTable(data) {
  const { nodes, latest, revisions } = data;
  if (nodes.length === 0) {
    return empty('No data plane has connected yet.',
      h('p', {}, 'Start one with ', h('code', {}, 'BALLAST_CP_URLS=<this control plane> BALLAST_DP_TOKEN=<data-plane token> java -jar ballast-data-plane.jar'), '.'));
  }
  const rows = nodes.map((dp) => ({ dp, sync: syncState(dp, latest) }))
    .sort((a, b) => a.sync.rank - b.sync.rank || String(a.dp.nodeId).localeCompare(String(b.dp.nodeId)));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'dataplanes' },
    h('caption', {}, 'Data planes — problems first'),
    h('thead', {}, h('tr', {}, ['Node', 'Labels', 'Version', 'Sync', 'Applied revision', 'Propagation', 'Last seen'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(({ dp, sync }) => h('tr', { dataset: { node: dp.nodeId } },
      h('th', { scope: 'row' }, dp.nodeId, dp.hostname && dp.hostname !== dp.nodeId ? h('div', { class: 'muted' }, dp.hostname) : null),
      h('td', {}, Object.entries(dp.labels || {}).map(([k, v]) => badge(`${k}=${v}`, 'label')), Object.keys(dp.labels || {}).length ? null : DASH),
      h('td', {}, dp.version || DASH),
      h('td', {}, badge(sync.text, sync.tone)),
      h('td', { class: 'num' }, dp.appliedRevision ?? DASH),
      h('td', { class: 'num' }, ms(propagation(dp, revisions))),
      h('td', {}, ago(dp.lastSeen)))))));
}

function poolsTable(data) {
  const { pools, traffic, health } = data;
  if (pools.length === 0) {
    return empty('No pools yet.', h('p', {}, 'An admin creates one below; then add backends on its page and a route that sends traffic to it.'));
  }
  const rows = pools.map((p) => {
    const hs = health.get(p.name);
    const total = (p.backends || []).length;
    let healthy = null;
    if (hs) healthy = (p.backends || []).filter((b) => tone(hs.get(b.name)) === 'good').length;
    const t = (traffic.pools || {})[p.name] || {};
    const problem = healthy !== null && healthy < total ? 0 : (t.errorsPerSecond || 0) > 0 ? 1 : 2;
    return { p, total, healthy, t, problem };
  }).sort((a, b) => a.problem - b.problem || a.p.name.localeCompare(b.p.name));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'pools' },
    h('caption', {}, 'Pools — unhealthy first'),
    h('thead', {}, h('tr', {}, ['Pool', 'Healthy backends', 'Requests', '5xx rate', 'Algorithm'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(({ p, total, healthy, t }) => h('tr', { dataset: { pool: p.name } },
      h('th', { scope: 'row' }, h('a', { href: `#/pools/${encodeURIComponent(p.name)}` }, p.name)),
      h('td', { class: 'num' }, badge(`${healthy ?? DASH} / ${total}`, healthy === null ? '' : healthy === total ? 'good' : healthy === 0 ? 'bad' : 'warn')),
      h('td', { class: 'num' }, rate(t.requestsPerSecond)),
      h('td', { class: 'num' }, errorRate(t.requestsPerSecond, t.errorsPerSecond)),
      h('td', {}, p.algorithm || DASH))))));
}

export function mount(main, ctx) {
  const dataplanes = h('section', { 'aria-labelledby': 'dp-title' }, h('h2', { id: 'dp-title' }, 'Data planes'), h('div', { class: 'live' }, 'Loading…'));
  const poolsSection = h('section', { 'aria-labelledby': 'pools-title' }, h('h2', { id: 'pools-title' }, 'Pools'), h('div', { class: 'live' }, 'Loading…'));
  const children = [h('h1', {}, 'Overview'), dataplanes, poolsSection];
  if (ctx.can('admin')) children.push(newPoolForm(ctx));
  main.replaceChildren(...children);
  const dpLive = dataplanes.querySelector('.live');
  const poolLive = poolsSection.querySelector('.live');

  async function refresh() {
    try {
      const [nodes, pools, traffic, health, revs] = await Promise.all([
        api.get('/dataplanes'), api.get('/pools?limit=500'), api.getOptional('/traffic', {}),
        api.getOptional('/health', null), api.get('/revisions?limit=50')]);
      const revList = api.items(revs);
      const revisions = new Map(revList.map((r) => [r.number, r.createdAt]));
      renderIfChanged(dpLive, { nodes: api.items(nodes), latest: revList[0] || null, revisions: [...revisions] },
        (d) => dataPlanesTable({ ...d, revisions: new Map(d.revisions) }));
      const hs = fleetHealth(health);
      renderIfChanged(poolLive, { pools: api.items(pools), traffic: { pools: (traffic || {}).pools }, health: health === null ? null : [...hs].map(([k, v]) => [k, [...v]]) },
        (d) => poolsTable({ pools: d.pools, traffic: d.traffic, health: new Map((d.health || []).map(([k, v]) => [k, new Map(v)])) }));
    } catch (e) {
      if (e.status !== 0) dpLive.replaceChildren(errorBox(e));
    }
  }
  return { refresh };
}
