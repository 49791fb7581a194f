// The rollout panel of the overview: the newest canary rollout (GET /rollouts?limit=1), its cohort members and gate
// readings, and for admins the promote and abort buttons. Mounted by overview.js into a section of its own.
import * as api from '../api.js';
import { h, DASH, badge, empty, errorBox, renderIfChanged, confirmAction, when } from '../dom.js';

const STATE_TONE = { baking: 'warn', promoted: 'good', aborted: 'bad' };

function headline(r) {
  const parts = [`Rollout ${r.id}: revision ${r.revision} on cohort `, h('code', {}, r.cohort), `, the rest on revision ${r.baseRevision}.`];
  if (r.state === 'baking') {
    parts.push(' Bake time ', r.bakeTime, ', until ', when(r.bakeEndsAt), '.');
    if (r.waitingFor === 'promote') parts.push(' Bake time over: waiting for an admin to promote it.');
    if (r.waitingFor === 'heartbeats') parts.push(' Bake time over: waiting for the cohort\'s heartbeats.');
  } else {
    parts.push(` Ended by ${r.endedBy || '?'} at `, when(r.endedAt), '.');
    if (r.abortRevision) parts.push(` Revision ${r.abortRevision} put revision ${r.baseRevision} back.`);
  }
  return h('p', { class: 'rollout-headline' }, badge(r.state, STATE_TONE[r.state]), ' ', ...parts);
}

function membersTable(r) {
  const members = r.members || [];
  if (members.length === 0) return empty(`No data plane matches the cohort ${r.cohort}.`);
  return h('div', { class: 'table-wrap' }, h('table', { id: 'rollout-members' },
    h('caption', {}, 'Cohort members'),
    h('thead', {}, h('tr', {}, ['Node', 'Applied revision', 'Target revision', 'Sync'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, members.map((m) => h('tr', { dataset: { node: m.nodeId } },
      h('th', { scope: 'row' }, m.nodeId),
      h('td', { class: 'num' }, m.appliedRevision ?? DASH),
      h('td', { class: 'num' }, m.targetRevision ?? DASH),
      h('td', {}, m.connected ? m.syncState : 'OFFLINE'))))));
}

function side(name, s) {
  if (!s) return null;
  const rate = s.errorRatePercent === null || s.errorRatePercent === undefined ? DASH : `${s.errorRatePercent.toFixed(1)} %`;
  const p99 = s.p99Millis === null || s.p99Millis === undefined ? DASH : `${s.p99Millis.toFixed(1)} ms`;
  return h('tr', {}, h('th', { scope: 'row' }, name), h('td', { class: 'num' }, String((s.nodes || []).length)),
    h('td', { class: 'num' }, String(s.requests)), h('td', { class: 'num' }, rate), h('td', { class: 'num' }, p99));
}

function readingsTables(readings) {
  if (!readings) return h('p', { class: 'muted' }, 'No gate reading yet.');
  return h('div', {},
    h('div', { class: 'table-wrap' }, h('table', { id: 'rollout-gates' },
      h('caption', {}, 'Gates'),
      h('thead', {}, h('tr', {}, ['Gate', 'Limit', 'Reading', 'Verdict'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, (readings.gates || []).map((g) => h('tr', { dataset: { gate: g.name } },
        h('th', { scope: 'row' }, g.name), h('td', {}, g.limit), h('td', {}, g.value),
        h('td', {}, g.exceeded ? badge('tripped', 'bad') : /^not enough/.test(g.value) ? badge('no verdict yet', 'warn') : badge('ok', 'good'))))))),
    h('div', { class: 'table-wrap' }, h('table', { id: 'rollout-traffic' },
      h('caption', {}, 'Traffic on each side since it ran its revision'),
      h('thead', {}, h('tr', {}, ['Side', 'Data planes', 'Requests', '5xx rate', 'p99'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, side('cohort', readings.cohort), side('rest of the fleet', readings.rest)))));
}

function panel(r, ctx, act) {
  const children = [headline(r)];
  if (r.reason) children.push(h('p', { class: r.state === 'aborted' ? 'alert' : 'muted', id: 'rollout-reason' }, r.reason));
  if (r.state === 'baking' && ctx.can('admin')) {
    children.push(h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'rollout-promote', onclick: () => act('promote', r) }, 'Promote now'),
      h('button', { type: 'button', id: 'rollout-abort', class: 'danger', onclick: () => act('abort', r) }, 'Abort')));
  }
  children.push(membersTable(r), readingsTables(r.readings));
  return h('div', {}, ...children);
}

/** Mounts the panel into `section` (which it hides while there is no rollout); returns `{refresh}`. */
export function mount(section, ctx) {
  const title = h('h2', { id: 'rollout-title' }, 'Rollout');
  const live = h('div', { class: 'live' });
  const alert = h('div', { role: 'alert' });
  section.setAttribute('aria-labelledby', 'rollout-title');
  section.id = 'rollout';
  section.hidden = true;
  section.replaceChildren(title, alert, live);

  async function act(what, r) {
    const ok = what === 'promote'
      ? await confirmAction(`Promote rollout ${r.id}?`, `Revision ${r.revision} goes to every data plane now, whatever the gates say.`, 'Promote')
      : await confirmAction(`Abort rollout ${r.id}?`, `A new revision equal to revision ${r.baseRevision} is recorded and the cohort goes back to it.`, 'Abort');
    if (!ok) return;
    try {
      await api.request('POST', `/rollouts/${r.id}/${what}`);
      alert.replaceChildren();
    } catch (e) {
      alert.replaceChildren(errorBox(e));
    }
    await refresh();
  }

  async function refresh() {
    let newest;
    try {
      newest = api.items(await api.get('/rollouts?limit=1'))[0] || null;
    } catch (e) {
      if (e.status === 404) { section.hidden = true; return; } // a control plane without rollouts
      live.replaceChildren(errorBox(e));
      return;
    }
    section.hidden = !newest;
    if (newest) renderIfChanged(live, newest, (r) => panel(r, ctx, act));
  }
  return { refresh };
}
