// A readable diff of two configuration snapshots: one line per changed setting, with lists of named
// things (pools, backends, routes) matched by name rather than by position.

function flatten(value, path, out) {
  if (Array.isArray(value)) {
    const named = value.length > 0 && value.every((v) => v && typeof v === 'object' && typeof v.name === 'string');
    if (named) {
      for (const v of value) flatten(v, `${path}[${v.name}]`, out);
    } else {
      out.set(path, JSON.stringify(value));
    }
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) out.set(path, '{}');
    for (const k of keys) flatten(value[k], path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value === undefined ? 'null' : JSON.stringify(value));
  }
  return out;
}

/** [{path, kind: 'added'|'removed'|'changed', before, after}], sorted by path. */
export function diffSnapshots(older, newer) {
  const a = flatten(older || {}, '', new Map());
  const b = flatten(newer || {}, '', new Map());
  const out = [];
  for (const [path, before] of a) {
    if (!b.has(path)) out.push({ path, kind: 'removed', before });
    else if (b.get(path) !== before) out.push({ path, kind: 'changed', before, after: b.get(path) });
  }
  for (const [path, after] of b) {
    if (!a.has(path)) out.push({ path, kind: 'added', after });
  }
  return out.sort((x, y) => x.path.localeCompare(y.path));
}

/** "pools[web].backends[a].weight" → "pool web › backend a › weight". */
export function readablePath(path) {
  return path
    .replace(/^pools\[([^\]]+)\]/, 'pool $1')
    .replace(/^routes\[([^\]]+)\]/, 'route $1')
    .replace(/\.backends\[([^\]]+)\]/g, ' › backend $1')
    .replace(/^\./, '')
    .replace(/\.(?=[A-Za-z])/, ' › ');
}
