import * as api from '../api.js';
import { h, DASH, when, badge, empty, errorBox, renderIfChanged } from '../dom.js';

const WINDOWS = [['15 min', 15 * 60], ['1 hour', 3600], ['24 hours', 86400], ['7 days', 7 * 86400]];
const PAGE = 500;
/** At most this many events are kept on the page; older ones drop off the bottom. */
const KEEP = 2000;

function tone(state) {
  return state === 'healthy' ? 'good' : state === 'unhealthy' || state === 'ejected' ? 'bad' : 'warn';
}

/**
 * The health transitions the data planes reported (`GET /health/events`: one item per transition with the data
 * planes that saw it, oldest first, paged by `after`), shown newest first. The first load pages through the chosen period; each poll then asks only for what
 * came after the newest event already shown.
 */
export function mount(main) {
  const pool = h('select', { id: 'events-pool' }, h('option', { value: '' }, 'every pool'));
  const backend = h('input', { id: 'events-backend', type: 'text', placeholder: 'every backend', autocomplete: 'off' });
  const state = h('select', { id: 'events-state' }, ['', 'initial', 'healthy', 'unhealthy', 'ejected', 'draining', 'disabled'].map((s) => h('option', { value: s }, s || 'any state')));
  const since = h('select', { id: 'events-since' }, WINDOWS.map(([label, s], i) => h('option', { value: s, selected: i === 1 }, `last ${label}`)));
  const live = h('div', { class: 'live' }, 'Loading…');
  const filters = h('form', { class: 'card filters', 'aria-label': 'Filters' },
    h('div', { class: 'grid' },
      h('div', { class: 'field' }, h('label', { for: 'events-pool' }, 'Pool'), pool),
      h('div', { class: 'field' }, h('label', { for: 'events-backend' }, 'Backend'), backend),
      h('div', { class: 'field' }, h('label', { for: 'events-state' }, 'New state'), state),
      h('div', { class: 'field' }, h('label', { for: 'events-since' }, 'Period'), since)));
  filters.addEventListener('submit', (e) => e.preventDefault());
  main.replaceChildren(h('h1', {}, 'Health events'), filters, live);

  // What is shown: the filters it was fetched with, the events (oldest first) and the cursor after the newest.
  let shown = null;
  filters.addEventListener('change', () => {
    shown = null;
    refresh();
  });

  function query() {
    const q = new URLSearchParams({ limit: String(PAGE), since: new Date(Date.now() - Number(since.value) * 1000).toISOString() });
    if (pool.value) q.set('pool', pool.value);
    if (backend.value.trim()) q.set('backend', backend.value.trim());
    return q;
  }

  function timeline(d) {
    const events = d.events.filter((e) => !d.state || e.state === d.state).slice().reverse();
    if (events.length === 0) return empty('No health changes match these filters.', h('p', {}, 'Widen the period or clear the filters.'));
    return h('ol', { class: 'timeline', id: 'events' }, events.map((e) => h('li', { dataset: { pool: e.pool, backend: e.backend } },
      when(e.at), ' ',
      e.from ? [badge(e.from, tone(e.from)), h('span', { 'aria-label': 'to' }, ' → ')] : null,
      badge(e.state, tone(e.state)), ' ',
      h('strong', {}, `${e.pool} / ${e.backend}`),
      h('span', { class: 'muted' }, ` on ${e.nodes.map((n) => n.nodeId).join(', ') || DASH}`),
      reasons(e))));
  }

  /** One reason when every data plane gave the same; otherwise each data plane's own ("dp-1: unhealthy:Timeout"). */
  function reasons(e) {
    const told = e.nodes.filter((r) => r.reason && r.reason !== e.state);
    if (told.length === 0) return null;
    const distinct = [...new Set(told.map((r) => r.reason))];
    const text = distinct.length === 1 ? distinct[0] : told.map((r) => `${r.nodeId || DASH}: ${r.reason}`).join('; ');
    return h('div', { class: 'muted reason' }, text);
  }

  /**
   * The API answers one item per transition with every data plane that reported it. A data plane that reports
   * later makes the transition come again in a later poll, complete and under the same id: it replaces the one
   * shown, in place.
   */
  function merge(shownEvents, more) {
    const byId = new Map(shownEvents.map((e) => [e.id, e]));
    for (const e of more) byId.set(e.id, e);
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  /** The cursor after a page: its `next`, or on the last page the newest report in it. */
  function cursorAfter(page, was) {
    if (page.next) return page.next;
    let newest = Number(was || 0);
    for (const e of page.items) for (const n of e.nodes) newest = Math.max(newest, n.eventId);
    return newest ? String(newest) : was;
  }

  async function fetchAfter(q, cursor) {
    let out = [];
    let next = cursor;
    for (;;) {
      if (next) q.set('after', next);
      const page = await api.get(`/health/events?${q}`);
      out = merge(out, page.items);
      next = cursorAfter(page, next);
      if (!page.next || out.length >= KEEP) break;
    }
    return { events: out, cursor: next };
  }

  async function fillPools() {
    const pools = api.items(await api.get('/pools?limit=1000')).map((p) => p.name);
    const have = [...pool.options].map((o) => o.value).filter(Boolean);
    if (JSON.stringify(have) === JSON.stringify(pools)) return;
    const keep = pool.value;
    pool.replaceChildren(h('option', { value: '' }, 'every pool'), ...pools.map((p) => h('option', { value: p }, p)));
    pool.value = pools.includes(keep) ? keep : '';
  }

  async function refresh() {
    try {
      await fillPools();
      const q = query();
      const key = `${pool.value}|${backend.value.trim()}|${since.value}`;
      if (!shown || shown.key !== key) {
        const first = await fetchAfter(q, null);
        if (key !== `${pool.value}|${backend.value.trim()}|${since.value}`) return; // changed meanwhile
        shown = { key, events: first.events, cursor: first.cursor };
      } else {
        // New events only; the `since` of the query no longer matters once a cursor is set.
        const was = shown;
        const more = await fetchAfter(q, was.cursor);
        if (shown !== was) return; // the filters changed meanwhile
        was.events = merge(was.events, more.events).slice(-KEEP);
        was.cursor = more.cursor;
      }
      renderIfChanged(live, { events: shown.events, state: state.value }, timeline);
    } catch (e) {
      if (e.status !== 0) live.replaceChildren(errorBox(e));
    }
  }
  return { refresh };
}
