import * as api from '../api.js';
import { h, DASH, empty, errorBox, renderIfChanged, field, showFieldErrors, showFormError, confirmAction } from '../dom.js';

export function mount(main, ctx) {
  const live = h('div', { class: 'live' }, 'Loading…');
  const notice = h('div', { 'aria-live': 'polite' });
  const parts = [h('h1', {}, 'Routes'), h('p', { class: 'muted' }, 'The most specific route wins: an exact host before a wildcard, then the longer path prefix, then the higher priority.'), notice, live];
  if (ctx.can('admin')) parts.push(createForm());
  main.replaceChildren(...parts);

  async function remove(r) {
    if (!(await confirmAction(`Delete route ${r.name}?`, `Requests for ${(r.hosts || ['*']).join(', ')}${r.pathPrefix || '/'} stop reaching pool ${r.pool}.`, 'Delete'))) return;
    try {
      await api.request('DELETE', `/routes/${api.enc(r.name)}`);
      refresh();
    } catch (err) {
      notice.replaceChildren(errorBox(err));
    }
  }

  function table(routes) {
    if (routes.length === 0) {
      return empty('No routes: the proxies answer every request with 404.',
        h('p', {}, ctx.can('admin') ? 'Create one below to send traffic to a pool.' : 'Ask an admin to create one.'));
    }
    return h('div', { class: 'table-wrap' }, h('table', { id: 'routes' },
      h('thead', {}, h('tr', {}, ['Route', 'Hosts', 'Path prefix', 'Priority', 'Pool', 'Strip prefix', ctx.can('admin') ? 'Actions' : null]
        .filter(Boolean).map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, routes.map((r) => h('tr', { dataset: { route: r.name } },
        h('th', { scope: 'row' }, r.name),
        h('td', {}, (r.hosts || ['*']).join(', ')),
        h('td', {}, h('code', {}, r.pathPrefix || '/')),
        h('td', { class: 'num' }, r.priority ?? 0),
        h('td', {}, r.pool ? h('a', { href: `#/pools/${encodeURIComponent(r.pool)}` }, r.pool) : DASH),
        h('td', {}, r.stripPrefix ? 'yes' : 'no'),
        ctx.can('admin') ? h('td', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: () => remove(r) }, 'Delete')) : null)))));
  }

  function createForm() {
    const name = h('input', { id: 'route-name', 'data-field': 'name', required: true, autocomplete: 'off' });
    const hosts = h('input', { id: 'route-hosts', 'data-field': 'hosts', placeholder: '*', autocomplete: 'off' });
    const prefix = h('input', { id: 'route-prefix', 'data-field': 'pathPrefix', placeholder: '/', autocomplete: 'off' });
    const pool = h('input', { id: 'route-pool', 'data-field': 'pool', required: true, autocomplete: 'off' });
    const priority = h('input', { id: 'route-priority', 'data-field': 'priority', type: 'number', placeholder: '0' });
    const alert = h('p', { class: 'alert', role: 'alert', hidden: true });
    const form = h('form', { class: 'card inline-form', id: 'new-route', 'aria-labelledby': 'new-route-title' },
      h('h2', { id: 'new-route-title' }, 'Create a route'),
      h('div', { class: 'grid' }, field('Name', name), field('Hosts (comma separated)', hosts, 'exact names or *.example.com; empty means every host'),
        field('Path prefix', prefix), field('Pool', pool), field('Priority', priority)),
      alert, h('button', { type: 'submit' }, 'Create route'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      alert.hidden = true;
      const body = { name: name.value.trim(), pool: pool.value.trim() };
      if (hosts.value.trim()) body.hosts = hosts.value.split(',').map((s) => s.trim()).filter(Boolean);
      if (prefix.value.trim()) body.pathPrefix = prefix.value.trim();
      if (priority.value !== '') body.priority = Number(priority.value);
      try {
        await api.request('POST', '/routes', body);
        form.reset();
        showFieldErrors(form, []);
        refresh();
      } catch (err) {
        // hosts[2] → hosts: the list is one input here.
        err.problem.errors = err.fieldErrors.map((f) => ({ ...f, field: f.field.replace(/\[\d+\]$/, '') }));
        showFormError(form, alert, err);
      }
    });
    return form;
  }

  async function refresh() {
    try {
      renderIfChanged(live, api.items(await api.get('/routes?limit=500')), table);
    } catch (e) {
      if (e.status !== 0) live.replaceChildren(errorBox(e));
    }
  }
  return { refresh };
}
