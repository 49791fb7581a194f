import * as api from '../api.js';
import { h, DASH, empty, errorBox, renderIfChanged, field, showFieldErrors, showFormError, confirmAction } from '../dom.js';

export function mount(main, ctx) {
  const live = h('div', { class: 'live' }, 'Loading…');
  const notice = h('div', { 'aria-live': 'polite' });
  const parts = [h('h1', {}, 'Routes'), h('p', { class: 'muted' }, 'The most specific route wins: an exact host before a wildcard, then an exact path, the longer path prefix, a path regex, then more match conditions, then the higher priority.'), notice, live];
  const form = ctx.can('admin') ? routeForm() : null;
  if (form) parts.push(form);
  main.replaceChildren(...parts);

  async function remove(r) {
    if (!(await confirmAction(`Delete route ${r.name}?`, `Requests for ${(r.hosts || ['*']).join(', ')} ${pathText(r)} stop reaching pool ${r.pool}.`, 'Delete'))) return;
    try {
      await api.request('DELETE', `/routes/${api.enc(r.name)}`);
      refresh();
    } catch (err) {
      notice.replaceChildren(errorBox(err));
    }
  }

  function table(routes) {
    if (routes.length === 0) {
      return empty('No routes: the data planes answer every request with 404.',
        h('p', {}, ctx.can('admin') ? 'Create one below to send traffic to a pool.' : 'Ask an admin to create one.'));
    }
    return h('div', { class: 'table-wrap' }, h('table', { id: 'routes' },
      h('thead', {}, h('tr', {}, ['Route', 'Hosts', 'Path', 'Conditions', 'Priority', 'Pool', 'Rate limit', 'Strip prefix', ctx.can('admin') ? 'Actions' : null]
        .filter(Boolean).map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, routes.map((r) => h('tr', { dataset: { route: r.name } },
        h('th', { scope: 'row' }, r.name),
        h('td', {}, (r.hosts || ['*']).join(', ')),
        h('td', {}, h('code', {}, pathText(r))),
        h('td', {}, conditionsText(r.match)),
        h('td', { class: 'num' }, r.priority ?? 0),
        h('td', {}, r.pool ? h('a', { href: `#/pools/${encodeURIComponent(r.pool)}` }, r.pool) : answerText(r),
          r.mirror ? [' ', h('span', { class: 'muted' }, `mirrored to ${r.mirror.pool} (${r.mirror.percent ?? 100}%)`)] : null),
        h('td', { class: 'rate-limit' }, rateLimitText(r.rateLimit)),
        h('td', {}, r.stripPrefix ? 'yes' : 'no'),
        ctx.can('admin') ? h('td', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => form.edit(r) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', onclick: () => remove(r) }, 'Delete')) : null)))));
  }

  /**
   * One form for both creating a route (POST) and editing one (PUT with If-Match on the ETag read when
   * editing began, so it cannot overwrite a change made meanwhile).
   */
  function routeForm() {
    const name = h('input', { id: 'route-name', 'data-field': 'name', required: true, autocomplete: 'off' });
    const hosts = h('input', { id: 'route-hosts', 'data-field': 'hosts', placeholder: '*', autocomplete: 'off' });
    const prefix = h('input', { id: 'route-prefix', 'data-field': 'pathPrefix', placeholder: '/', autocomplete: 'off' });
    const pathKind = h('select', { id: 'route-path-kind' },
      h('option', { value: 'pathPrefix' }, 'prefix'), h('option', { value: 'pathExact' }, 'exact path'), h('option', { value: 'pathRegex' }, 'regex (whole path)'));
    // The field errors of the chosen kind land on the one path input.
    pathKind.addEventListener('change', () => { prefix.dataset.field = pathKind.value; });
    const match = h('textarea', { id: 'route-match', 'data-field': 'match', rows: 3, spellcheck: 'false',
      placeholder: '{"methods":["GET"],"headers":[{"name":"X-Beta","present":true}],"query":[{"name":"v","exact":"2"}]}' });
    const ACTIONS = ['redirect', 'directResponse', 'rewrite', 'requestHeaders', 'responseHeaders', 'pools', 'httpsRedirect', 'hsts'];
    // These two have their own fields; the JSON box refuses them, so a route never has two competing values.
    const OWN_FIELDS = { mirror: 'Mirror', rateLimit: 'Rate limit' };
    const actions = h('textarea', { id: 'route-actions', 'data-field': 'actions', rows: 3, spellcheck: 'false',
      placeholder: '{"rewrite":{"pathPrefix":"/v2/"},"requestHeaders":{"set":{"X-Client":"${client_ip}"}}} or {"redirect":{"scheme":"https","code":308}}' });
    const pool = h('input', { id: 'route-pool', 'data-field': 'pool', autocomplete: 'off', list: 'route-pools' });
    const pools = h('datalist', { id: 'route-pools' });
    const priority = h('input', { id: 'route-priority', 'data-field': 'priority', type: 'number', placeholder: '0' });
    const strip = h('input', { id: 'route-strip', 'data-field': 'stripPrefix', type: 'checkbox' });
    // Numbers are text inputs (as on the pool page): the API, not the browser, judges them, so its message
    // shows next to the field.
    const number = (id, dataField, placeholder) => h('input', { id, 'data-field': dataField, type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder });
    const mirrorPool = h('select', { id: 'route-mirror-pool', 'data-field': 'mirror.pool' }, h('option', { value: '' }, 'none'));
    const mirrorPercent = number('route-mirror-percent', 'mirror.percent', '100');
    const mirrorMaxBody = number('route-mirror-maxbody', 'mirror.maxBody', '65536');
    const rps = number('route-ratelimit-rps', 'rateLimit.requestsPerSecond');
    const burst = number('route-ratelimit-burst', 'rateLimit.burst');
    const keyKind = h('select', { id: 'route-ratelimit-key' },
      h('option', { value: 'source-ip' }, 'source IP'), h('option', { value: 'header' }, 'a header'));
    const keyHeader = h('input', { id: 'route-ratelimit-header', 'data-field': 'rateLimit.key', autocomplete: 'off', placeholder: 'X-Api-Key', disabled: true });
    const scope = h('select', { id: 'route-ratelimit-scope', 'data-field': 'rateLimit.scope' },
      h('option', { value: 'fleet' }, 'the whole fleet'), h('option', { value: 'node' }, 'each data plane'));
    // The header name counts only with a header key: disabled otherwise, so nothing typed there is silently unused.
    const syncKey = () => { keyHeader.disabled = keyKind.value !== 'header'; };
    keyKind.addEventListener('change', syncKey);
    const title = h('h2', { id: 'route-form-title' }, 'Create a route');
    const submit = h('button', { type: 'submit', id: 'route-submit' }, 'Create route');
    const cancel = h('button', { type: 'button', class: 'secondary', id: 'route-cancel', hidden: true }, 'Cancel editing');
    const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
    const form = h('form', { class: 'card inline-form', id: 'new-route', 'aria-labelledby': 'route-form-title' },
      title,
      h('div', { class: 'grid' }, field('Name', name), field('Hosts (comma separated)', hosts, 'exact names or *.example.com; empty means every host'),
        field('Path is a', pathKind), field('Path', prefix), field('Pool', pool), field('Priority', priority, 'higher wins between equally specific routes')),
      field('Match conditions (JSON, optional)', match, 'methods; headers with exact, prefix, regex or present, and invert; query parameters with exact, regex or present'),
      h('div', { class: 'settings-groups' },
        h('fieldset', { class: 'settings-group', id: 'route-mirror' }, h('legend', {}, 'Mirror'),
          h('p', { class: 'hint' }, 'Copies requests to another pool; its answers are discarded and never delay the client.'),
          h('div', { class: 'grid' }, field('Mirror to pool', mirrorPool),
            field('Percent of requests', mirrorPercent, '0-100; empty: 100'),
            field('Largest body copied (bytes)', mirrorMaxBody, '0-1048576; empty: 65536; a longer request is not copied'))),
        h('fieldset', { class: 'settings-group', id: 'route-ratelimit' }, h('legend', {}, 'Rate limit'),
          h('p', { class: 'hint' }, 'Over the limit a request is answered 429. Empty requests per second: no limit.'),
          h('div', { class: 'grid' }, field('Requests per second', rps, '1-1000000'),
            field('Burst', burst, '1-1000000; empty: the requests per second'),
            field('Per', keyKind), field('Header name', keyHeader, 'a request without it counts by source IP'),
            field('Holds for', scope)))),
      field('Actions (JSON, optional)', actions, 'redirect or directResponse (then no pool), rewrite, requestHeaders, responseHeaders ({set, add, remove}; values may use ${client_ip}, ${request_id}, ${host}, ${scheme}), pools: [{pool, weight}] for a weighted split instead of Pool, or the HTTPS policy: httpsRedirect (true: 308 from plain HTTP), hsts ("max-age=31536000; includeSubDomains"). Mirror and rate limit have their own fields above.'),
      h('div', { class: 'field checkbox' }, h('label', { for: 'route-strip' }, strip, ' Strip the path prefix before forwarding')),
      pools, alert, h('div', { class: 'actions' }, submit, cancel));
    let editing = null; // {name, etag} while editing an existing route

    function reset() {
      editing = null;
      form.reset();
      syncKey();
      name.readOnly = false;
      title.textContent = 'Create a route';
      submit.textContent = 'Create route';
      cancel.hidden = true;
      alert.hidden = true;
      showFieldErrors(form, []);
    }
    cancel.addEventListener('click', reset);

    form.edit = async (r) => {
      try {
        const answer = await api.request('GET', `/routes/${api.enc(r.name)}`);
        const route = answer.data;
        reset();
        editing = { name: route.name, etag: answer.etag };
        name.value = route.name;
        name.readOnly = true;
        hosts.value = (route.hosts || []).join(', ');
        pathKind.value = route.pathExact != null ? 'pathExact' : route.pathRegex != null ? 'pathRegex' : 'pathPrefix';
        prefix.dataset.field = pathKind.value;
        prefix.value = route[pathKind.value] || '';
        match.value = route.match ? JSON.stringify(route.match) : '';
        const given = Object.fromEntries(ACTIONS.filter((k) => route[k] != null).map((k) => [k, route[k]]));
        actions.value = Object.keys(given).length ? JSON.stringify(given) : '';
        pool.value = route.pool || '';
        showMirror(route.mirror);
        showRateLimit(route.rateLimit);
        loadPools();
        priority.value = route.priority ?? '';
        strip.checked = !!route.stripPrefix;
        title.textContent = `Edit route ${route.name}`;
        submit.textContent = 'Save route';
        cancel.hidden = false;
        form.scrollIntoView({ block: 'nearest' });
        hosts.focus();
      } catch (err) {
        notice.replaceChildren(errorBox(err));
      }
    };

    function showMirror(m) {
      choosePool(mirrorPool, m ? m.pool : '');
      mirrorPercent.value = m ? m.percent ?? '' : '';
      mirrorMaxBody.value = m ? m.maxBody ?? '' : '';
    }

    function showRateLimit(l) {
      rps.value = l ? l.requestsPerSecond ?? '' : '';
      burst.value = l ? l.burst ?? '' : '';
      const header = l && l.key && l.key.startsWith('header:') ? l.key.slice('header:'.length) : null;
      keyKind.value = header != null ? 'header' : 'source-ip';
      keyHeader.value = header || '';
      syncKey();
      scope.value = (l && l.scope) || 'fleet';
    }

    /** The mirror as the fields say, or null when they are all empty (then the route mirrors nothing). */
    function mirrorBody() {
      const m = {};
      if (mirrorPool.value) m.pool = mirrorPool.value;
      if (mirrorPercent.value.trim()) m.percent = asNumber(mirrorPercent.value);
      if (mirrorMaxBody.value.trim()) m.maxBody = asNumber(mirrorMaxBody.value);
      // A percent without a pool still goes: the API answers that the pool is missing, rather than the
      // console dropping what was typed.
      return Object.keys(m).length ? m : null;
    }

    /** The rate limit as the fields say, or null when nothing differs from "no limit". */
    function rateLimitBody() {
      const l = {};
      if (rps.value.trim()) l.requestsPerSecond = asNumber(rps.value);
      if (burst.value.trim()) l.burst = asNumber(burst.value);
      if (keyKind.value === 'header') l.key = `header:${keyHeader.value.trim()}`;
      if (scope.value !== 'fleet') l.scope = scope.value;
      if (!Object.keys(l).length) return null;
      return { key: 'source-ip', scope: 'fleet', ...l };
    }

    // Pool names to pick from: suggestions for Pool, the choices for the mirror. Read when the form opens, when
    // editing begins and when Pool is used, rather than on every poll (pools can be many).
    async function loadPools() {
      try {
        const names = api.items(await api.get('/pools?limit=1000')).map((p) => p.name);
        pools.replaceChildren(...names.map((n) => h('option', { value: n })));
        const chosen = mirrorPool.value;
        mirrorPool.replaceChildren(h('option', { value: '' }, 'none'), ...names.map((n) => h('option', { value: n }, n)));
        choosePool(mirrorPool, chosen);
      } catch {
        // Pool's suggestions only; the mirror keeps the choices it has, and a route's own mirror pool is always one.
      }
    }
    pool.addEventListener('focus', loadPools);
    loadPools();

    form.addEventListener('reset', () => { prefix.dataset.field = 'pathPrefix'; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      alert.hidden = true;
      const body = { name: name.value.trim(), stripPrefix: strip.checked };
      if (pool.value.trim()) body.pool = pool.value.trim();
      if (hosts.value.trim()) body.hosts = hosts.value.split(',').map((x) => x.trim()).filter(Boolean);
      if (prefix.value.trim()) body[pathKind.value] = prefix.value.trim();
      if (match.value.trim()) {
        try {
          body.match = JSON.parse(match.value);
        } catch {
          showFormError(form, alert, { problem: { title: 'Match conditions are not valid JSON', errors: [] },
            fieldErrors: [{ field: 'match', message: 'must be a JSON object such as {"methods":["GET"]}' }] });
          return;
        }
      }
      if (priority.value !== '') body.priority = Number(priority.value);
      const mirror = mirrorBody();
      if (mirror) body.mirror = mirror;
      const rateLimit = rateLimitBody();
      if (rateLimit) body.rateLimit = rateLimit;
      if (actions.value.trim()) {
        let given;
        try {
          given = JSON.parse(actions.value);
        } catch {
          given = null;
        }
        const owned = given && typeof given === 'object' ? Object.keys(given).filter((k) => OWN_FIELDS[k]) : [];
        if (owned.length) {
          showFormError(form, alert, { problem: { title: 'Actions are not valid', errors: [] },
            fieldErrors: [{ field: 'actions', message: `${owned.join(' and ')}: set in the ${owned.map((k) => OWN_FIELDS[k]).join(' and ')} fields above, not here` }] });
          return;
        }
        if (!given || typeof given !== 'object' || Object.keys(given).some((k) => !ACTIONS.includes(k))) {
          showFormError(form, alert, { problem: { title: 'Actions are not valid', errors: [] },
            fieldErrors: [{ field: 'actions', message: `must be a JSON object with some of ${ACTIONS.join(', ')}` }] });
          return;
        }
        Object.assign(body, given);
      }
      try {
        if (editing) await api.request('PUT', `/routes/${api.enc(editing.name)}`, body, { etag: editing.etag });
        else await api.request('POST', '/routes', body);
        notice.replaceChildren(h('p', { class: 'ok', role: 'status' }, editing ? `Saved route ${body.name}.` : `Created route ${body.name}.`));
        reset();
        refresh();
        loadPools();
      } catch (err) {
        if (err.status === 412) {
          alert.replaceChildren(h('p', {}, `Not saved: someone else changed route ${editing.name} since you began editing. Your edits are still in the form.`),
            h('button', { type: 'button', class: 'secondary', onclick: () => form.edit(editing) }, 'Load their version (discards your edits)'));
          alert.hidden = false;
          return;
        }
        // hosts[2] → hosts: the list is one input here. An error about the whole mirror or rate limit (e.g. a
        // mirror on a redirect) goes by their first field.
        err.problem.errors = err.fieldErrors.map((f) => ({ ...f, field: WHOLE[f.field] || f.field.replace(/\[\d+\]$/, '') }));
        showFormError(form, alert, err);
      }
    });
    return form;
  }

  async function refresh() {
    try {
      renderIfChanged(live, api.items(await api.get('/routes?limit=1000')), table);
    } catch (e) {
      if (e.status !== 0) live.replaceChildren(errorBox(e));
    }
  }
  return { refresh };
}

const WHOLE = { mirror: 'mirror.pool', rateLimit: 'rateLimit.requestsPerSecond' };

/** A whole number typed as digits, else the text as typed: the API then names the field in its error. */
function asNumber(raw) {
  const t = raw.trim();
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** Selects `name` in a select of pools, adding it when it is not (yet) a choice, e.g. before the list loads. */
function choosePool(select, name) {
  if (name && ![...select.options].some((o) => o.value === name)) select.append(h('option', { value: name }, name));
  select.value = name || '';
}

/** "100 req/s, burst 200, per source IP, whole fleet". */
function rateLimitText(l) {
  if (!l) return DASH;
  const per = l.key && l.key.startsWith('header:') ? `per ${l.key.slice('header:'.length)} header` : 'per source IP';
  return `${l.requestsPerSecond} req/s, burst ${l.burst ?? l.requestsPerSecond}, ${per}, ${l.scope === 'node' ? 'each data plane' : 'whole fleet'}`;
}

/** What a route without a pool answers: its redirect or fixed response. */
function answerText(r) {
  if (r.pools) return r.pools.map((p) => `${p.pool} ${p.weight ?? 1}`).join(' · ');
  if (r.redirect) return `redirect ${r.redirect.code || 301}`;
  if (r.directResponse) return `answers ${r.directResponse.status}`;
  return DASH;
}

/** A route's path as the data planes match it: a prefix, = an exact path, ~ a regex. */
function pathText(r) {
  if (r.pathExact != null) return `= ${r.pathExact}`;
  if (r.pathRegex != null) return `~ ${r.pathRegex}`;
  return r.pathPrefix || '/';
}

/** One short line per condition kind, e.g. "GET, POST · X-Beta present · ?v = 2". */
function conditionsText(m) {
  if (!m) return DASH;
  const parts = [];
  if (m.methods && m.methods.length) parts.push(m.methods.join(', '));
  for (const c of m.headers || []) parts.push(`${c.invert ? 'not ' : ''}${c.name} ${test(c)}`);
  for (const c of m.query || []) parts.push(`?${c.name} ${test(c)}`);
  return parts.length ? parts.join(' · ') : DASH;
}

function test(c) {
  if (c.exact != null) return `= ${c.exact}`;
  if (c.prefix != null) return `starts with ${c.prefix}`;
  if (c.regex != null) return `~ ${c.regex}`;
  return 'present';
}
