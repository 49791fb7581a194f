// Renders the API's revision diff (`GET /revisions/{n}/diff?against=m`): per resource, the fields whose
// values differ with their before and after values.
import { h } from './dom.js';

const VERB = { created: '+ created', deleted: '− deleted', updated: '~ changed' };
const TONE = { created: 'added', deleted: 'removed', updated: 'changed' };

function value(v) {
  return v === null || v === undefined ? 'unset' : JSON.stringify(v);
}

function fieldLine(change, f) {
  if (change === 'created') return h('li', {}, `${f.field}: `, h('ins', {}, value(f.after)));
  if (change === 'deleted') return h('li', {}, `${f.field}: `, h('del', {}, value(f.before)));
  return h('li', {}, `${f.field}: `, h('del', {}, value(f.before)), ' → ', h('ins', {}, value(f.after)));
}

/** changes: [{type, name, change: created|updated|deleted, fields: [{field, before, after}]}] */
export function diffList(changes) {
  return h('ul', { class: 'diff' }, changes.map((c) => h('li', { class: `diff-${TONE[c.change]}`, dataset: { resource: `${c.type}:${c.name}` } },
    h('span', { class: 'diff-kind' }, VERB[c.change]), ' ', h('strong', {}, `${c.type} ${c.name}`),
    h('ul', { class: 'diff-fields' }, (c.fields || []).map((f) => fieldLine(c.change, f))))));
}
