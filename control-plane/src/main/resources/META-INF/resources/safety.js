// The API's safety rail: a change that leaves a pool with no enabled backend is refused with 409
// `unsafe-change` unless it is repeated with `?force=true`. The console asks the user before forcing.
import * as api from './api.js';
import { confirmAction } from './dom.js';

/** True for the API's "unsafe change refused" problem. */
export function isUnsafe(err) {
  return err instanceof api.ApiError && err.status === 409 && /\/unsafe-change$/.test(err.problem.type || '');
}

/** The pools the refused change would leave without an enabled backend (from `errors: [{field: "pools.x"}]`). */
function emptiedPools(err) {
  const pools = err.fieldErrors.map((e) => String(e.field || '').replace(/^pools\./, '')).filter(Boolean);
  return pools.length ? pools : ['a pool'];
}

function withForce(path) {
  return `${path}${path.includes('?') ? '&' : '?'}force=true`;
}

/**
 * Sends the request; when the safety rail refuses it, explains what would happen and, if the user agrees,
 * sends it again with `force=true`. Answers the API's answer, or null when the user declined.
 */
export async function requestWithRail(method, path, body, { verb, ...options } = {}) {
  try {
    return await api.request(method, path, body, options);
  } catch (err) {
    if (!isUnsafe(err)) throw err;
    const pools = emptiedPools(err);
    const which = pools.length === 1 ? `pool ${pools[0]}` : `pools ${pools.join(', ')}`;
    const ok = await confirmAction(`${verb} anyway?`,
      `This leaves ${which} with no enabled backend, so ${pools.length === 1 ? 'it answers' : 'they answer'} every request with 503. ${verb} anyway?`,
      `${verb} anyway`);
    if (!ok) return null;
    return api.request(method, withForce(path), body, options);
  }
}
