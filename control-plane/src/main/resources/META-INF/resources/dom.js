// Small DOM helpers. Text always goes through textContent (never innerHTML), so names and messages that
// come from the API cannot inject markup.

/** h('a', {href: '#/x', class: 'btn'}, 'text', child…); `on*` attributes become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

export const DASH = '—';

export function num(v, digits = 1) {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : DASH;
}

export function rate(v) {
  return typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(1)} req/s` : DASH;
}

/** 5xx as a share of requests, e.g. "2.5 % 5xx". */
/** "1.5 % 5xx"; a backend's row says "failed" (its failed attempts include retried ones no client saw). */
export function errorRate(requests, errors, what = '5xx') {
  if (typeof requests !== 'number' || typeof errors !== 'number') return DASH;
  if (requests <= 0) return errors > 0 ? `100 % ${what}` : `0 % ${what}`;
  return `${Math.min(100, (100 * errors) / requests).toFixed(1)} % ${what}`;
}

export function ms(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;
}

/** "12 s ago" style, with the absolute time in the title. */
export function ago(iso) {
  if (!iso) return DASH;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return DASH;
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  const text = s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : s < 86400 ? `${Math.floor(s / 3600)} h ago` : `${Math.floor(s / 86400)} d ago`;
  return h('time', { datetime: iso, title: new Date(t).toLocaleString() }, text);
}

export function when(iso) {
  if (!iso) return DASH;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? DASH : h('time', { datetime: iso }, new Date(t).toLocaleString());
}

export function badge(text, tone) {
  return h('span', { class: `badge ${tone || ''}` }, text);
}

export function empty(message, ...next) {
  return h('div', { class: 'empty' }, h('p', {}, message), ...next);
}

export function errorBox(e) {
  return h('div', { class: 'alert', role: 'alert' }, e && e.message ? e.message : String(e));
}

/** A modal confirmation; resolves true only when the user confirms. */
export function confirmAction(title, text, confirmLabel = 'Confirm') {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  dialog.showModal();
  document.getElementById('confirm-cancel').focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

/**
 * Gives every body cell its column's heading as `data-label`: on a phone the stylesheet shows each row as a
 * card of "label value" lines instead of a table wider than the screen.
 */
function labelCells(table) {
  const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.children].forEach((cell, i) => {
      if (cell.tagName === 'TD' && headings[i]) cell.dataset.label = headings[i];
    });
  }
}

/** Re-renders `el` only when `data` changed, so polling does not steal focus or reset scroll. */
export function renderIfChanged(el, data, render) {
  const key = JSON.stringify(data);
  if (el.dataset.rendered === key) return;
  const focusedId = document.activeElement && el.contains(document.activeElement) ? document.activeElement.id : null;
  el.dataset.rendered = key;
  replaceChildren(el, render(data));
  el.querySelectorAll('table').forEach(labelCells);
  if (focusedId) {
    const again = document.getElementById(focusedId);
    if (again) again.focus();
  }
}

/** A labelled form field; `error` holds the API's message for it. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  input.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint' }, hint) : null, error);
}

/** Puts each `{field, message}` next to the input whose data-field matches; answers the ones left over. */
export function showFieldErrors(form, errors) {
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  const unplaced = [];
  for (const err of errors) {
    const input = [...form.querySelectorAll('[data-field]')].find((i) => i.dataset.field === err.field);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      document.getElementById(`${input.id}-error`).textContent = err.message;
    } else {
      unplaced.push(err);
    }
  }
  const first = form.querySelector('[aria-invalid]');
  if (first) first.focus();
  return unplaced;
}

/** Shows an API error on a form: field errors by their inputs, anything else in the form's `alert`. */
export function showFormError(form, alert, err) {
  const rest = showFieldErrors(form, err.fieldErrors);
  if (rest.length || !err.fieldErrors.length) {
    alert.textContent = rest.length ? rest.map((r) => `${r.field}: ${r.message}`).join('; ') : err.message;
    alert.hidden = false;
  }
}
