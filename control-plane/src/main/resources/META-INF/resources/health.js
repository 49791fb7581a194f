// Reads the health API (`GET /health`, `GET /pools/{pool}/health`): per backend the aggregate over the
// connected data planes, `{pool, backend, adminState, state, summary, healthy, dataPlanes, inFlight, nodes}`.

/** backend name → health, for one pool's answer. */
export function poolHealth(page) {
  return new Map((page ? page.items || [] : []).map((b) => [b.backend, b]));
}

/** pool → (backend → health), for the fleet-wide answer. */
export function fleetHealth(page) {
  const out = new Map();
  for (const b of page ? page.items || [] : []) {
    if (!out.has(b.pool)) out.set(b.pool, new Map());
    out.get(b.pool).set(b.backend, b);
  }
  return out;
}

/** No data plane has finished a first health check of it: it is new, or the data planes just started. */
function unchecked(b) {
  return (b.nodes || []).every((n) => n.state === 'initial' || n.state === 'unknown');
}

function dataPlanes(n) {
  return `${n} ${n === 1 ? 'data plane' : 'data planes'}`;
}

/**
 * "healthy on 2 of 3 data planes" for a backend in rotation. The data planes report a draining or disabled backend
 * by its admin state instead of its health, so for one of those it says how many data planes confirmed it.
 */
export function describe(b) {
  if (!b) return null;
  if (b.dataPlanes === 0) return 'no data plane connected';
  if (b.adminState === 'enabled') {
    return unchecked(b) ? `not checked yet on ${dataPlanes(b.dataPlanes)}` : `healthy on ${b.healthy} of ${dataPlanes(b.dataPlanes)}`;
  }
  const confirmed = (b.nodes || []).filter((n) => n.state === b.adminState).length;
  return `${b.adminState} on ${confirmed} of ${dataPlanes(b.dataPlanes)}`;
}

/** The reasons the data planes gave for their last transition, e.g. "dp-1: unhealthy:ConnectionRefused". */
export function reasons(b) {
  // Out of rotation, every data plane's reason is just the admin state, which the row shows already.
  if (!b || b.state === 'healthy' || b.adminState !== 'enabled' || unchecked(b)) return null;
  const given = (b.nodes || []).filter((n) => n.reason && n.state !== 'healthy').map((n) => `${n.nodeId}: ${n.reason}`);
  return given.length ? given.join('; ') : null;
}

/** "draining (3 in flight)" until every data plane confirmed nothing is in flight, then "drained". */
export function adminStateText(backend, b) {
  const state = backend.adminState || 'enabled';
  if (state === 'enabled' || !b || b.adminState !== state) return state;
  return b.state === 'drained' ? (state === 'draining' ? 'drained' : 'disabled (drained)') : `${state} (${b.inFlight} in flight)`;
}

/** 'good' | 'bad' | 'warn' | '' for colouring. */
export function tone(b) {
  if (!b || b.dataPlanes === 0 || unchecked(b)) return '';
  if (b.adminState !== 'enabled') return b.state === 'drained' ? '' : 'warn';
  return b.healthy === b.dataPlanes ? 'good' : b.healthy === 0 ? 'bad' : 'warn';
}
