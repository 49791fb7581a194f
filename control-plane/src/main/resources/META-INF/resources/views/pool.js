import * as api from '../api.js';
import { trafficChart } from '../chart.js';
import {
  poolHealth, describe, reasons, adminStateText, tone,
} from '../health.js';
import { requestWithRail } from '../safety.js';
import {
  h, DASH, rate, errorRate, badge, empty, renderIfChanged, field, showFieldErrors, showFormError, confirmAction,
} from '../dom.js';

const ALGORITHMS = ['round-robin', 'weighted-round-robin', 'least-requests', 'power-of-two-choices', 'random', 'consistent-hash'];

/** The settings an admin edits here, by their path in the pool document (also the API's error field), in groups. */
const GROUPS = [
  {
    id: 'balancing', title: 'Load balancing',
    settings: [
      { path: 'description', label: 'Description', type: 'text' },
      { path: 'algorithm', label: 'Algorithm', type: 'select', options: ALGORITHMS },
      { path: 'hashOn', label: 'Hash on (consistent-hash)', type: 'text', hint: 'source-ip, header:<name> or cookie:<name>' },
      {
        path: 'protocol', label: 'Protocol to backends', type: 'select', options: ['http1', 'h2c', 'h2'], default: 'http1',
        hint: 'gRPC needs h2c or h2; h2 needs TLS to backends',
      },
    ],
  },
  {
    id: 'health-check', title: 'Health check',
    settings: [
      { path: 'healthCheck.type', label: 'Type', type: 'select', options: ['http', 'tcp', 'grpc'] },
      { path: 'healthCheck.path', label: 'Path', type: 'text' },
      { path: 'healthCheck.service', label: 'gRPC service', type: 'text', hint: 'grpc only; empty: the server as a whole' },
      { path: 'healthCheck.interval', label: 'Interval', type: 'text', hint: 'a duration, e.g. 5s or 500ms' },
      { path: 'healthCheck.timeout', label: 'Timeout', type: 'text', hint: 'e.g. 2s' },
      { path: 'healthCheck.healthyThreshold', label: 'Healthy threshold (passes)', type: 'number' },
      { path: 'healthCheck.unhealthyThreshold', label: 'Unhealthy threshold (failures)', type: 'number' },
      {
        path: 'healthCheck.probers', label: 'Probers per backend', type: 'number',
        hint: 'data planes that actively probe each backend; empty: all while there are at most 5, else 3',
      },
    ],
  },
  {
    id: 'timeouts', title: 'Timeouts',
    settings: [
      { path: 'timeouts.connect', label: 'Connect', type: 'text', hint: 'e.g. 2s' },
      { path: 'timeouts.request', label: 'Request', type: 'text', hint: 'e.g. 30s' },
      { path: 'timeouts.idle', label: 'Idle', type: 'text', hint: 'e.g. 60s' },
    ],
  },
  {
    id: 'resilience', title: 'Retries and panic mode',
    settings: [
      { path: 'retries.attempts', label: 'Retry attempts', type: 'number' },
      { path: 'panicThresholdPercent', label: 'Panic threshold (%)', type: 'number', hint: 'below this share of healthy backends, traffic goes to all' },
    ],
  },
];
const SETTINGS = GROUPS.flatMap((g) => g.settings.map((s) => ({ ...s, group: g.title })));

function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (o[k] == null || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  o[keys[keys.length - 1]] = value;
}

/** The form's values as a JSON merge patch against `pool`: only the settings the user changed. */
function settingsPatch(inputs, pool) {
  const patch = {};
  for (const { s, input } of inputs) {
    const raw = input.value.trim();
    let v = raw;
    // Numbers that do not parse go as typed, so the API names the field in its error.
    if (s.type === 'number') v = raw === '' ? null : /^-?\d+$/.test(raw) ? Number(raw) : raw;
    // An emptied field goes as null, which a merge patch reads as "back to the default".
    else if (raw === '') v = s.path === 'description' ? '' : null;
    const was = getPath(pool, s.path);
    if (v === (was ?? (s.path === 'description' ? '' : null))) continue;
    // A select shows an absent setting as its default: leaving it there is no change.
    if (was == null && s.default !== undefined && v === s.default) continue;
    setPath(patch, s.path, v);
  }
  return patch;
}

/** {a: {b: 1}} → {'a.b': 1} */
function flat(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) flat(v, `${prefix}${k}.`, out);
    else out[prefix + k] = v;
  }
  return out;
}

/** "Health check interval": a setting's label with its group, where the label alone is ambiguous. */
function label(path) {
  const s = SETTINGS.find((x) => x.path === path);
  if (!s) return path;
  return s.group === 'Load balancing' || s.group === 'Retries and panic mode' ? s.label : `${s.group} ${s.label.toLowerCase()}`;
}

function display(v) {
  if (v === undefined || v === null || v === '') return DASH;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** "1.2 ms / 8.0 ms", or a dash when nothing finished lately. */
function latencyText(p50, p99) {
  if (typeof p50 !== 'number' || typeof p99 !== 'number') return DASH;
  return `${msText(p50)} / ${msText(p99)}`;
}

function msText(v) {
  return v < 10 ? `${v.toFixed(1)} ms` : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;
}

/** "0 B/s", "12.5 KiB/s", "3.2 MiB/s". */
function byteRate(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  if (v < 1024) return `${Math.round(v)} B/s`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KiB/s`;
  return `${(v / (1024 * 1024)).toFixed(1)} MiB/s`;
}

/** "3 min 20 s", "2 h 5 min", "0 s". */
function duration(millis) {
  const s = Math.max(0, Math.round(millis / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86400)} d`;
}

/** The reason of the newest data-plane report, e.g. "healthy" or "unhealthy:Timeout". */
function lastReport(hb) {
  const newest = (hb.nodes || []).filter((n) => n.at).sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  return newest ? newest.reason || newest.state : DASH;
}

/** What a health check found, the way an operator says it: "OK 200", "refused", "timeout", "503". */
function checkResult(c) {
  if (c.passed) return c.status ? `OK ${c.status}` : 'OK';
  if (c.failure === 'ConnectionRefused') return 'refused';
  if (c.failure === 'Timeout') return 'timeout';
  if (c.failure === 'ResponseCodeMismatch' && c.status) return String(c.status);
  return c.failure || 'failed';
}

/** "last check 3 s ago: OK 200", the latest over every data plane; each one's own on hover. */
function lastCheck(c) {
  if (!c) return null;
  const ago = (at) => duration(Math.max(0, Date.now() - Date.parse(at)));
  const perNode = (c.nodes || []).map((n) => `${n.nodeId}: ${checkResult(n)}, ${ago(n.at)} ago`).join('\n');
  return h('div', { class: 'muted last-check', title: perNode },
    `last check ${ago(c.at)} ago: ${checkResult(c)}`);
}

/** The pool's numbers of the latest bucket/** The pool's numbers of the latest bucket (the newest point of the series) and its latency over the last minute. */
function poolSummary(traffic) {
  const last = (traffic.points || [])[traffic.points.length - 1] || {};
  const inFlight = Object.values(traffic.backends || {}).reduce((n, b) => n + (b.inFlight || 0), 0);
  return {
    requests: last.requestsPerSecond, errors: last.errorsPerSecond, inFlight, queued: traffic.queued, latency: traffic.latency,
    bytesIn: traffic.bytesInPerSecond, bytesOut: traffic.bytesOutPerSecond,
  };
}

function stats(sum) {
  const item = (label, value, id) => h('div', { class: 'stat', id }, h('dt', {}, label), h('dd', {}, value));
  return h('dl', { class: 'stats' },
    item('Requests', rate(sum.requests), 'stat-requests'),
    item('5xx', errorRate(sum.requests, sum.errors), 'stat-errors'),
    item('In flight', String(sum.inFlight), 'stat-in-flight'),
    item('Queued', typeof sum.queued === 'number' ? String(sum.queued) : DASH, 'stat-queued'),
    item('Bytes in / out', `${byteRate(sum.bytesIn)} / ${byteRate(sum.bytesOut)}`, 'stat-bytes'),
    item('Latency p50', sum.latency ? msText(sum.latency.p50Ms) : DASH, 'stat-p50'),
    item('Latency p99', sum.latency ? msText(sum.latency.p99Ms) : DASH, 'stat-p99'));
}

/** A form on the overview: an admin creates a pool by name, then edits it on its page. */
export function newPoolForm(ctx) {
  const name = h('input', { id: 'new-pool-name', type: 'text', 'data-field': 'name', required: true, placeholder: 'web', autocomplete: 'off' });
  const form = h('form', { class: 'card inline-form', id: 'new-pool', 'aria-labelledby': 'new-pool-title' },
    h('h2', { id: 'new-pool-title' }, 'Create a pool'),
    field('Pool name', name, 'lower-case letters, digits and dashes'),
    h('p', { class: 'alert', role: 'alert', hidden: true }),
    h('button', { type: 'submit', id: 'create-pool' }, 'Create pool'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const alert = form.querySelector('.alert');
    alert.hidden = true;
    try {
      await api.request('POST', '/pools', { name: name.value.trim() });
      ctx.navigate(`#/pools/${encodeURIComponent(name.value.trim())}`);
    } catch (err) {
      showFormError(form, alert, err);
    }
  });
  return form;
}

export function mount(main, ctx, poolName) {
  const path = `/pools/${api.enc(poolName)}`;
  const chart = h('div', { class: 'chart-wrap', id: 'traffic-chart' }, 'Loading…');
  const backendsLive = h('div', { class: 'live', id: 'backends-live' }, 'Loading…');
  const settingsBox = h('div', { id: 'settings' });
  const summaryLive = h('div', { id: 'pool-summary' });
  const notice = h('div', { 'aria-live': 'polite', class: 'notice', id: 'pool-notice' });
  const sections = [
    h('p', { class: 'crumbs' }, h('a', { href: '#/overview' }, 'Overview'), ' › pool'),
    h('h1', {}, 'Pool ', h('span', { id: 'pool-name' }, poolName)),
    notice,
    h('section', { 'aria-labelledby': 'traffic-title' },
      h('h2', { id: 'traffic-title' }, 'Traffic, last 15 minutes'),
      summaryLive,
      h('p', { class: 'legend' }, h('span', { class: 'key requests' }), ' requests per second ', h('span', { class: 'key errors' }), ' 5xx per second'),
      chart),
    h('section', { 'aria-labelledby': 'backends-title' }, h('h2', { id: 'backends-title' }, 'Backends'), backendsLive),
  ];
  if (ctx.can('admin')) sections.push(addBackendForm());
  sections.push(h('section', { 'aria-labelledby': 'settings-title' }, h('h2', { id: 'settings-title' }, 'Settings'), settingsBox));
  if (ctx.can('admin')) sections.push(h('section', { class: 'danger-zone' }, h('button', { type: 'button', class: 'danger', id: 'delete-pool', onclick: deletePool }, 'Delete pool')));
  main.replaceChildren(...sections);

  // `latest` is the pool as last polled; `base` the version the settings form was drawn from, whose
  // ETag a save sends as If-Match so that it cannot overwrite a change it has not seen.
  let latest = null;
  let base = null;

  function say(text, isError) {
    notice.replaceChildren(h('p', { class: isError ? 'alert' : 'ok', role: isError ? 'alert' : 'status' }, text));
  }

  async function adminAction(b, action) {
    const verbs = {
      drain: ['Drain', 'It takes no new requests; requests in flight finish.'],
      enable: ['Enable', 'It takes traffic again once healthy.'],
      disable: ['Disable', 'It takes no traffic at all.'],
    };
    const [verb, effect] = verbs[action];
    if (!(await confirmAction(`${verb} ${b.name}?`, `${verb} backend ${b.name} of pool ${poolName} on every data plane. ${effect}`, verb))) return;
    try {
      const done = await requestWithRail('POST', `${path}/backends/${api.enc(b.name)}/${action}`, undefined, { verb });
      if (!done) return;
      say(`${b.name}: ${action} saved; data planes apply it within seconds.`);
      refresh();
    } catch (err) {
      say(`${verb} ${b.name} failed: ${err.message}`, true);
    }
  }

  async function removeBackend(b) {
    if (!(await confirmAction(`Remove ${b.name}?`, `Remove backend ${b.name} (${b.host}:${b.port}) from pool ${poolName}. Data planes stop sending to it at once.`, 'Remove'))) return;
    try {
      const done = await requestWithRail('DELETE', `${path}/backends/${api.enc(b.name)}`, undefined, { verb: 'Remove' });
      if (!done) return;
      say(`Removed ${b.name}.`);
      refresh();
    } catch (err) {
      say(`Removing ${b.name} failed: ${err.message}`, true);
    }
  }

  async function deletePool() {
    if (!(await confirmAction(`Delete pool ${poolName}?`, 'The pool and its backends are deleted. A route that uses it must be changed first.', 'Delete'))) return;
    try {
      await api.request('DELETE', path);
      ctx.navigate('#/overview');
    } catch (err) {
      say(`Deleting the pool failed: ${err.message}`, true);
    }
  }

  function backendsTable(d) {
    const { backends, health, traffic } = d;
    if (backends.length === 0) {
      return empty('This pool has no backends, so it answers 503.',
        ctx.can('admin') ? h('p', {}, 'Add one with the form below.') : h('p', {}, 'Ask an admin to add backends.'));
    }
    const headers = ['Backend', 'Health', 'Admin state', 'Weight', 'In flight', 'Connections', 'Requests', 'Failed attempts', 'p50 / p99', 'Down (15 min)'];
    if (ctx.can('operator')) headers.push('Actions');
    return h('div', { class: 'table-wrap' }, h('table', { id: 'backends' },
      h('caption', {}, 'Rates over the last 10 seconds and latency over the last minute, summed over every data plane.'),
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, backends.map((b) => {
        const hb = health[b.name] || null;
        const t = traffic[b.name] || {};
        const why = reasons(hb);
        const actions = [];
        if (ctx.can('operator')) {
          if (b.adminState !== 'draining') actions.push(h('button', { type: 'button', class: 'secondary', onclick: () => adminAction(b, 'drain'), 'aria-label': `Drain ${b.name}` }, 'Drain'));
          if (b.adminState !== 'enabled') actions.push(h('button', { type: 'button', class: 'secondary', onclick: () => adminAction(b, 'enable'), 'aria-label': `Enable ${b.name}` }, 'Enable'));
          if (b.adminState !== 'disabled') actions.push(h('button', { type: 'button', class: 'secondary', onclick: () => adminAction(b, 'disable'), 'aria-label': `Disable ${b.name}` }, 'Disable'));
        }
        if (ctx.can('admin')) actions.push(h('button', { type: 'button', class: 'danger', onclick: () => removeBackend(b), 'aria-label': `Remove ${b.name}` }, 'Remove'));
        return h('tr', { dataset: { backend: b.name } },
          h('th', { scope: 'row' }, b.name, h('div', { class: 'muted address' }, `${b.host}:${b.port}`)),
          h('td', { class: 'health' }, hb ? badge(describe(hb), tone(hb)) : 'not reported yet',
            hb && hb.since ? h('div', { class: 'muted since', title: `Last report: ${lastReport(hb)}` }, 'for ', duration(Date.now() - Date.parse(hb.since))) : null,
            why ? h('div', { class: 'muted reason' }, why) : null,
            lastCheck(t.lastCheck)),
          h('td', { class: 'admin-state' }, badge(adminStateText(b, hb), b.adminState === 'enabled' ? '' : 'warn')),
          h('td', { class: 'num' }, b.weight ?? DASH),
          h('td', { class: 'num' }, hb ? hb.inFlight : DASH),
          h('td', { class: 'num connections', title: 'Connections open to this backend now, busy or idle, over every data plane' },
            typeof t.connections === 'number' ? String(t.connections) : DASH),
          h('td', { class: 'num requests' }, rate(t.requestsPerSecond),
            h('div', { class: 'muted bytes', title: 'Bytes from clients (in) and to them (out) for the requests this backend served' },
              `${byteRate(t.bytesInPerSecond)} in · ${byteRate(t.bytesOutPerSecond)} out`)),
          h('td', { class: 'num', title: 'Attempts sent to this backend that failed or answered 5xx, including those retried on another backend (their clients got an answer)' },
            errorRate(t.requestsPerSecond, t.errorsPerSecond, 'failed')),
          h('td', { class: 'num latency' }, latencyText(t.p50Ms, t.p99Ms)),
          h('td', { class: 'num downtime', title: 'Time at least one data plane found it unhealthy or ejected' },
            hb && typeof hb.downSeconds === 'number' ? duration(hb.downSeconds * 1000) : DASH),
          ctx.can('operator') ? h('td', { class: 'actions' }, h('div', { class: 'row-actions' }, actions)) : null);
      }))));
  }

  function addBackendForm() {
    const host = h('input', { id: 'backend-host', type: 'text', 'data-field': 'host', required: true, placeholder: '10.0.0.11', autocomplete: 'off' });
    const port = h('input', { id: 'backend-port', type: 'number', 'data-field': 'port', required: true, min: 1, max: 65535, placeholder: '8080' });
    const name = h('input', { id: 'backend-name', type: 'text', 'data-field': 'name', placeholder: 'host:port', autocomplete: 'off' });
    const weight = h('input', { id: 'backend-weight', type: 'number', 'data-field': 'weight', min: 0, max: 1000, placeholder: '100' });
    const form = h('form', { class: 'card inline-form', id: 'add-backend', 'aria-labelledby': 'add-backend-title' },
      h('h2', { id: 'add-backend-title' }, 'Add a backend'),
      h('div', { class: 'grid' }, field('Host', host), field('Port', port), field('Name (optional)', name), field('Weight (0–1000, optional)', weight)),
      h('p', { class: 'alert', role: 'alert', hidden: true }),
      h('button', { type: 'submit', id: 'add-backend-submit' }, 'Add backend'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const alert = form.querySelector('.alert');
      alert.hidden = true;
      const body = { host: host.value.trim(), port: Number(port.value) };
      if (name.value.trim()) body.name = name.value.trim();
      if (weight.value !== '') body.weight = Number(weight.value);
      try {
        await api.request('POST', `${path}/backends`, body);
        form.reset();
        showFieldErrors(form, []);
        say(`Added ${body.name || `${body.host}:${body.port}`}.`);
        refresh();
      } catch (err) {
        showFormError(form, alert, err);
      }
    });
    return form;
  }

  function drawSettings() {
    const pool = base.pool;
    if (!ctx.can('admin')) {
      settingsBox.replaceChildren(h('div', { class: 'settings-groups' }, GROUPS.map((g) => h('section', { class: 'settings-group', 'aria-labelledby': `settings-${g.id}` },
        h('h3', { id: `settings-${g.id}` }, g.title),
        h('dl', { class: 'settings' }, g.settings.flatMap((s) => [h('dt', {}, s.label), h('dd', { dataset: { field: s.path } }, display(getPath(pool, s.path)))]))))));
      return;
    }
    const inputs = SETTINGS.map((s) => {
      const id = `setting-${s.path.replace(/\./g, '-')}`;
      const value = getPath(pool, s.path);
      const input = s.type === 'select'
        ? h('select', { id, 'data-field': s.path }, s.options.map((o) => h('option', { value: o, selected: o === value }, o)))
        : h('input', { id, type: 'text', inputmode: s.type === 'number' ? 'numeric' : null, 'data-field': s.path, value: value ?? '' });
      return { s, input };
    });
    const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
    const form = h('form', { id: 'settings-form', class: 'card', novalidate: true },
      h('div', { class: 'settings-groups' }, GROUPS.map((g) => h('fieldset', { class: 'settings-group', id: `group-${g.id}` },
        h('legend', {}, g.title),
        h('div', { class: 'grid' }, inputs.filter(({ s }) => s.group === g.title).map(({ s, input }) => field(s.label, input, s.hint)))))),
      alert,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'save-settings' }, 'Save settings'),
        h('button', { type: 'button', class: 'secondary', id: 'discard-settings', onclick: reloadSettings }, 'Discard changes')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      alert.hidden = true;
      const patch = settingsPatch(inputs, base.pool);
      if (Object.keys(patch).length === 0) {
        showFieldErrors(form, []);
        say('Nothing to save: no setting was changed.');
        return;
      }
      try {
        const merged = await savePatch(patch);
        // Redrawn from the saved pool, so the form shows what is stored now, including a merged-in change.
        drawSettings();
        say(merged ? 'Settings saved. Someone else had changed other things meanwhile; their changes are kept.' : 'Settings saved.');
      } catch (err) {
        if (err.conflicts) {
          showFieldErrors(form, []);
          alert.replaceChildren(
            h('p', {}, `Not saved: someone else changed this pool since you opened it (${err.conflicts.join(', ')}). Your edits are still in the form.`),
            h('button', { type: 'button', class: 'secondary', id: 'load-theirs', onclick: reloadSettings }, 'Load their version (discards your edits)'));
          alert.hidden = false;
          return;
        }
        showFormError(form, alert, err);
      }
    });
    settingsBox.replaceChildren(form);
  }

  function reloadSettings() {
    base = latest;
    drawSettings();
  }

  /**
   * PATCHes with If-Match. On 412, looks at what changed meanwhile: if nobody touched the settings this
   * patch changes (say, a backend was drained, which also bumps the pool's version), it is sent again
   * against the new version; otherwise it throws with `conflicts`. Answers true when it had to merge.
   */
  async function savePatch(patch) {
    try {
      const r = await api.request('PATCH', path, patch, { etag: base.etag });
      base = { pool: r.data, etag: r.etag };
      return false;
    } catch (err) {
      if (err.status !== 412) throw err;
      const now = await api.request('GET', path);
      const conflicts = Object.keys(flat(patch))
        .filter((p) => JSON.stringify(getPath(now.data, p)) !== JSON.stringify(getPath(base.pool, p)));
      if (conflicts.length) {
        latest = { pool: now.data, etag: now.etag };
        throw Object.assign(new Error('conflict'), {
          conflicts: conflicts.map((p) => `${label(p)} is now ${display(getPath(now.data, p))}`),
        });
      }
      // Only the user's own edits go again: the form still shows the old values of what the other change touched.
      const r = await api.request('PATCH', path, patch, { etag: now.etag });
      base = { pool: r.data, etag: r.etag };
      return true;
    }
  }

  async function refresh() {
    try {
      const [poolAnswer, traffic, healthData] = await Promise.all([
        api.request('GET', path), api.get(`${path}/traffic`), api.get(`${path}/health`)]);
      latest = { pool: poolAnswer.data, etag: poolAnswer.etag };
      if (!base) reloadSettings();
      const health = Object.fromEntries(poolHealth(healthData));
      renderIfChanged(summaryLive, traffic ? poolSummary(traffic) : null, (sum) => (sum ? stats(sum) : ''));
      renderIfChanged(backendsLive, { backends: latest.pool.backends || [], health, traffic: (traffic && traffic.backends) || {} }, backendsTable);
      renderIfChanged(chart, traffic ? traffic.points : null, (points) => (points ? trafficChart(points, { title: `Pool ${poolName}`, width: Math.max(320, Math.min(720, chart.clientWidth - 16)) })
        : empty('This control plane keeps no traffic history.')));
    } catch (e) {
      if (e.status === 404) {
        main.replaceChildren(h('h1', {}, 'No such pool'), empty(`Pool ${poolName} does not exist (any more).`, h('a', { href: '#/overview' }, 'Back to the overview')));
        return;
      }
      if (e.status !== 0) say(e.message, true);
    }
  }
  return { refresh };
}
