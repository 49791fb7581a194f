// Reads the health API's answers defensively: older control planes lack it, and the shape grew over time.
// Every reader answers plain objects with null for what is unknown, which the views show as "—".

function count(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** One backend's aggregated health: {name, healthy, total, state, reason, summary, drain, inFlight}. */
export function backendHealth(b) {
  const proxies = Array.isArray(b.proxies) ? b.proxies : Array.isArray(b.observations) ? b.observations : null;
  const healthy = count(b.healthyOn) ?? count(b.healthyCount) ?? count(b.healthy)
    ?? (proxies ? proxies.filter((p) => (p.state || p.status) === 'healthy').length : null);
  const total = count(b.total) ?? count(b.proxyCount) ?? count(b.reporting) ?? (proxies ? proxies.length : null);
  const reasons = proxies ? proxies.map((p) => p.reason).filter(Boolean) : [];
  return {
    name: b.name || b.backend,
    pool: b.pool || null,
    healthy,
    total,
    state: b.state || b.status || b.health || null,
    reason: b.reason || b.lastReason || reasons[0] || null,
    summary: typeof b.summary === 'string' ? b.summary : null,
    drain: typeof b.drain === 'string' ? b.drain : typeof b.drainState === 'string' ? b.drainState : null,
    inFlight: count(b.inFlight),
  };
}

/** name → health for `GET /pools/{pool}/health`. */
export function poolHealth(data) {
  const list = data ? (Array.isArray(data) ? data : data.backends || data.items || []) : [];
  return new Map(list.map(backendHealth).map((b) => [b.name, b]));
}

/** pool → (backend → health) for `GET /health`, flat (`items:[{pool, backend…}]`) or nested (`pools:[{name, backends}]`). */
export function fleetHealth(data) {
  const out = new Map();
  if (!data) return out;
  const pools = Array.isArray(data.pools) ? data.pools : null;
  if (pools) {
    for (const p of pools) out.set(p.name || p.pool, poolHealth(p));
    return out;
  }
  for (const b of (Array.isArray(data) ? data : data.items || data.backends || []).map(backendHealth)) {
    if (!b.pool) continue;
    if (!out.has(b.pool)) out.set(b.pool, new Map());
    out.get(b.pool).set(b.name, b);
  }
  return out;
}

/** "healthy on 2 of 3 proxies", or the API's own summary. */
export function describe(h) {
  if (!h) return null;
  if (h.summary) return h.summary;
  if (h.healthy !== null && h.total !== null) {
    if (h.total === 0) return 'no proxy reports it yet';
    return `healthy on ${h.healthy} of ${h.total} ${h.total === 1 ? 'proxy' : 'proxies'}`;
  }
  return h.state;
}

/** 'good' | 'bad' | 'warn' | '' for colouring. */
export function tone(h) {
  if (!h) return '';
  if (h.healthy !== null && h.total !== null && h.total > 0) {
    return h.healthy === h.total ? 'good' : h.healthy === 0 ? 'bad' : 'warn';
  }
  if (h.state === 'healthy') return 'good';
  if (h.state === 'unhealthy') return 'bad';
  return '';
}
