// The Ballast console: a hash router over a few views, each polled every POLL_MS while it is shown.
import * as api from './api.js';
import * as session from './session.js';
import * as signin from './views/signin.js';
import * as overview from './views/overview.js';
import * as pool from './views/pool.js';
import * as routes from './views/routes.js';
import * as revisions from './views/revisions.js';
import * as events from './views/events.js';
import * as certificates from './views/certificates.js';

const POLL_MS = 1500;
const main = document.getElementById('main');
const banner = document.getElementById('banner');
const topbar = document.getElementById('topbar');
let current = null;
let timer = null;
let generation = 0;

const ctx = {
  can: session.can,
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
};

function setBanner(reachable) {
  if (reachable) {
    banner.hidden = true;
    return;
  }
  banner.textContent = 'The control plane is unreachable. What you see may be out of date; the console retries every few seconds.';
  banner.hidden = false;
}
api.onReachability(setBanner);

function showSignIn() {
  stop();
  topbar.hidden = true;
  document.title = 'Sign in — Ballast';
  current = signin.mount(main, { onSignedIn: () => ctx.navigate('#/overview') });
}

function stop() {
  generation += 1;
  clearTimeout(timer);
  timer = null;
}

/** Polls the shown view; a slow answer never overlaps the next poll, and a left view stops polling. */
function poll(gen) {
  if (gen !== generation) return;
  if (!session.load()) {
    showSignIn();
    return;
  }
  Promise.resolve(current.refresh && current.refresh()).finally(() => {
    if (gen === generation) timer = setTimeout(() => poll(gen), POLL_MS);
  });
}

function route() {
  const s = session.load();
  if (!s) {
    showSignIn();
    return;
  }
  stop();
  topbar.hidden = false;
  document.getElementById('whoami').textContent = `${s.name} (${s.role})`;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  let view;
  let title;
  if (parts[0] === 'pools' && parts[1]) {
    view = pool.mount(main, ctx, parts[1]);
    title = `Pool ${parts[1]}`;
  } else if (parts[0] === 'pools') {
    // The pool list is the overview's pools table; this entry takes the reader straight to it.
    view = overview.mount(main, ctx);
    title = 'Pools';
    document.getElementById('pools-title').scrollIntoView({ block: 'start' });
  } else if (parts[0] === 'routes') {
    view = routes.mount(main, ctx);
    title = 'Routes';
  } else if (parts[0] === 'revisions') {
    view = revisions.mount(main, ctx);
    title = 'Revisions';
  } else if (parts[0] === 'certificates') {
    view = certificates.mount(main, ctx);
    title = 'Certificates';
  } else if (parts[0] === 'events') {
    view = events.mount(main, ctx);
    title = 'Health events';
  } else {
    view = overview.mount(main, ctx);
    title = 'Overview';
  }
  document.title = `${title} — Ballast`;
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === (parts[0] || 'overview')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  current = view;
  poll(generation);
}

document.getElementById('signout').addEventListener('click', () => {
  session.clear();
  location.hash = '';
  showSignIn();
});
window.addEventListener('ballast:signed-out', showSignIn);
window.addEventListener('hashchange', route);
// Idle expiry counts the user's own activity, not the background polling.
for (const type of ['keydown', 'pointerdown']) window.addEventListener(type, () => session.touch(), { passive: true });

route();
