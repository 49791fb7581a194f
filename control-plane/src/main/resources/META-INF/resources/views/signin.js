import * as api from '../api.js';
import * as session from '../session.js';
import { h, field } from '../dom.js';

export function mount(main, { onSignedIn }) {
  const token = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'alert', role: 'alert', hidden: true, id: 'signin-error' });
  const submit = h('button', { type: 'submit', id: 'signin' }, 'Sign in');
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Ballast'),
    field('API token', token, 'A token from your administrator, or the admin token printed at the control plane’s first start.'),
    error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      const me = await api.get('/me', { token: token.value.trim() });
      session.save(token.value.trim(), me);
      onSignedIn();
    } catch (err) {
      error.textContent = err.status === 401 ? 'That token is not valid.'
        : err.status === 403 ? 'That token cannot use the console (data-plane tokens only connect data planes).'
          : err.message;
      error.hidden = false;
      token.focus();
    } finally {
      submit.disabled = false;
    }
  });
  main.replaceChildren(form);
  token.focus();
  return {};
}
