// The console's session: the API token in sessionStorage (gone when the tab closes) with an idle expiry.
// No cookies are used, so the browser never attaches credentials by itself and there is no CSRF surface:
// every API call carries the token explicitly in the Authorization header.

const KEY = 'ballast.session';
export const IDLE_LIMIT_MS = 8 * 60 * 60 * 1000;

export function load() {
  let raw;
  try {
    raw = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    raw = null;
  }
  if (!raw || typeof raw.token !== 'string' || Date.now() > raw.expiresAt) {
    clear();
    return null;
  }
  return raw;
}

export function save(token, me) {
  sessionStorage.setItem(KEY, JSON.stringify({ token, name: me.name, role: me.role, expiresAt: Date.now() + IDLE_LIMIT_MS }));
}

/** Pushes the idle expiry forward; called on user activity, not on background polling. */
export function touch() {
  const s = load();
  if (s) {
    s.expiresAt = Date.now() + IDLE_LIMIT_MS;
    sessionStorage.setItem(KEY, JSON.stringify(s));
  }
}

export function clear() {
  sessionStorage.removeItem(KEY);
}

const RANK = { viewer: 1, operator: 2, admin: 3 };

/** True when the signed-in role is at least `role`. */
export function can(role) {
  const s = load();
  return !!s && (RANK[s.role] || 0) >= RANK[role];
}
