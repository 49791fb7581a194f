import * as api from '../api.js';
import { diffList } from '../diff.js';
import { requestWithRail } from '../safety.js';
import { h, DASH, when, empty, errorBox, renderIfChanged, confirmAction } from '../dom.js';

/** "1 created, 2 changed" from `{created, updated, deleted}`. */
function summary(s) {
  const parts = [[s.created, 'created'], [s.updated, 'changed'], [s.deleted, 'deleted']].filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}`);
  return parts.length ? parts.join(', ') : 'no change';
}

export function mount(main, ctx) {
  const live = h('div', { class: 'live' }, 'Loading…');
  const notice = h('div', { 'aria-live': 'polite', id: 'revisions-notice' });
  const from = h('select', { id: 'diff-from' });
  const to = h('select', { id: 'diff-to' });
  const diffOut = h('div', { id: 'diff', 'aria-live': 'polite' });
  const diffForm = h('form', { class: 'card inline-form', id: 'diff-form', 'aria-labelledby': 'diff-title' },
    h('h2', { id: 'diff-title' }, 'Compare two revisions'),
    h('div', { class: 'grid' }, h('div', { class: 'field' }, h('label', { for: 'diff-from' }, 'Older'), from),
      h('div', { class: 'field' }, h('label', { for: 'diff-to' }, 'Newer'), to)),
    h('button', { type: 'submit', id: 'show-diff' }, 'Show differences'), diffOut);
  diffForm.addEventListener('submit', (e) => {
    e.preventDefault();
    showDiff(Number(from.value), Number(to.value));
  });
  main.replaceChildren(h('h1', {}, 'Revisions'), notice, diffForm, live);

  let known = [];

  async function showDiff(a, b) {
    diffOut.replaceChildren('Loading…');
    try {
      const diff = await api.get(`/revisions/${b}/diff?against=${a}`);
      if (diff.changes.length === 0) {
        diffOut.replaceChildren(empty(`Revisions ${a} and ${b} configure the same thing.`));
        return;
      }
      const { created, updated, deleted } = diff.summary;
      diffOut.replaceChildren(h('p', {}, `From revision ${a} to ${b}: ${created} created, ${updated} changed, ${deleted} deleted.`), diffList(diff.changes));
      diffOut.scrollIntoView({ block: 'nearest' });
    } catch (err) {
      diffOut.replaceChildren(errorBox(err));
    }
  }

  async function rollback(r) {
    if (!(await confirmAction(`Roll back to revision ${r.number}?`,
      `The configuration becomes what revision ${r.number} had. This makes a new revision; nothing is lost, and it reaches every data plane within seconds.`, 'Roll back'))) return;
    try {
      const answer = await requestWithRail('POST', `/revisions/${r.number}/rollback`, undefined, { verb: 'Roll back' });
      if (!answer) return;
      const made = answer.data.changed ? ` as revision ${answer.data.revision}` : ' (nothing differed, so no new revision)';
      notice.replaceChildren(h('p', { class: 'ok', role: 'status' }, `Rolled back to revision ${r.number}${made}.`));
      refresh();
    } catch (err) {
      notice.replaceChildren(errorBox(err));
    }
  }

  function table(revisions) {
    if (revisions.length === 0) return empty('No revisions yet: every change to pools or routes makes one.');
    const admin = ctx.can('admin');
    return h('div', { class: 'table-wrap' }, h('table', { id: 'revisions' },
      h('thead', {}, h('tr', {}, ['Revision', 'When', 'Author', 'Message', 'Summary', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, revisions.map((r, i) => h('tr', { dataset: { revision: r.number } },
        h('th', { scope: 'row', class: 'num' }, r.number),
        h('td', {}, when(r.createdAt)),
        h('td', {}, r.author || DASH),
        h('td', {}, r.message || DASH),
        h('td', {}, summary(r.summary)),
        h('td', { class: 'actions' },
          i === 0 ? null : h('button', { type: 'button', class: 'secondary', onclick: () => { from.value = String(r.number); to.value = String(revisions[0].number); showDiff(r.number, revisions[0].number); } }, 'Diff with latest'),
          // Not on the current revision (nothing to undo) nor on revision 1 (the empty start: it would delete everything).
          admin && i > 0 && r.number > 1 ? h('button', { type: 'button', class: 'secondary rollback', onclick: () => rollback(r) }, 'Roll back to this') : null))))));
  }

  function fillSelects(revisions) {
    const numbers = revisions.map((r) => r.number);
    if (JSON.stringify(numbers) === JSON.stringify(known)) return;
    const keepFrom = from.value;
    const keepTo = to.value;
    known = numbers;
    const options = () => revisions.map((r) => h('option', { value: r.number }, `${r.number} — ${r.message || r.author || ''}`));
    from.replaceChildren(...options());
    to.replaceChildren(...options());
    from.value = keepFrom && numbers.includes(Number(keepFrom)) ? keepFrom : String(numbers[Math.min(1, numbers.length - 1)] ?? '');
    to.value = keepTo && numbers.includes(Number(keepTo)) ? keepTo : String(numbers[0] ?? '');
  }

  async function refresh() {
    try {
      const revisions = api.items(await api.get('/revisions?limit=100'));
      renderIfChanged(live, revisions, table);
      fillSelects(revisions);
    } catch (e) {
      if (e.status !== 0) live.replaceChildren(errorBox(e));
    }
  }
  return { refresh };
}
