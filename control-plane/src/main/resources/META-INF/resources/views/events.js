import * as api from '../api.js';
import { h, DASH, when, badge, empty, errorBox, renderIfChanged } from '../dom.js';

const WINDOWS = [['15 min', 15 * 60], ['1 hour', 3600], ['24 hours', 86400], ['7 days', 7 * 86400]];

export function mount(main) {
  const pool = h('select', { id: 'events-pool' }, h('option', { value: '' }, 'every pool'));
  const backend = h('input', { id: 'events-backend', type: 'text', placeholder: 'every backend', autocomplete: 'off' });
  const state = h('select', { id: 'events-state' }, ['', 'healthy', 'unhealthy'].map((s) => h('option', { value: s }, s || 'any state')));
  const since = h('select', { id: 'events-since' }, WINDOWS.map(([label, s], i) => h('option', { value: s, selected: i === 1 }, `last ${label}`)));
  const live = h('div', { class: 'live' }, 'Loading…');
  const filters = h('form', { class: 'card filters', 'aria-label': 'Filters' },
    h('div', { class: 'grid' },
      h('div', { class: 'field' }, h('label', { for: 'events-pool' }, 'Pool'), pool),
      h('div', { class: 'field' }, h('label', { for: 'events-backend' }, 'Backend'), backend),
      h('div', { class: 'field' }, h('label', { for: 'events-state' }, 'New state'), state),
      h('div', { class: 'field' }, h('label', { for: 'events-since' }, 'Period'), since)));
  filters.addEventListener('submit', (e) => e.preventDefault());
  filters.addEventListener('change', () => refresh());
  main.replaceChildren(h('h1', {}, 'Health events'), filters, live);

  function timeline(d) {
    if (d.unsupported) return empty('This control plane does not record health events yet.');
    if (d.events.length === 0) return empty('No health changes match these filters.', h('p', {}, 'Widen the period or clear the filters.'));
    return h('ol', { class: 'timeline', id: 'events' }, d.events.map((e) => h('li', {},
      when(e.at || e.time || e.timestamp), ' ',
      badge(e.state || e.to || DASH, (e.state || e.to) === 'healthy' ? 'good' : (e.state || e.to) === 'unhealthy' ? 'bad' : ''), ' ',
      h('strong', {}, `${e.pool || DASH} / ${e.backend || DASH}`),
      e.node || e.nodeId ? h('span', { class: 'muted' }, ` on ${e.node || e.nodeId}`) : null,
      e.reason ? h('div', { class: 'muted reason' }, e.reason) : null)));
  }

  async function refresh() {
    try {
      const pools = api.items(await api.get('/pools?limit=500')).map((p) => p.name);
      const have = [...pool.options].map((o) => o.value).filter(Boolean);
      if (JSON.stringify(have) !== JSON.stringify(pools)) {
        const keep = pool.value;
        pool.replaceChildren(h('option', { value: '' }, 'every pool'), ...pools.map((p) => h('option', { value: p }, p)));
        pool.value = pools.includes(keep) ? keep : '';
      }
      const q = new URLSearchParams({ limit: '200', since: new Date(Date.now() - Number(since.value) * 1000).toISOString() });
      if (pool.value) q.set('pool', pool.value);
      if (backend.value.trim()) q.set('backend', backend.value.trim());
      const data = await api.getOptional(`/health/events?${q}`, null);
      const events = api.items(data).filter((e) => !state.value || (e.state || e.to) === state.value);
      renderIfChanged(live, { unsupported: data === null, events }, timeline);
    } catch (e) {
      if (e.status !== 0) live.replaceChildren(errorBox(e));
    }
  }
  return { refresh };
}
