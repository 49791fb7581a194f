// The only way the console talks to the control plane: the public REST API under /api/v1.
import * as session from './session.js';

const BASE = '/api/v1';
const listeners = new Set();

/** A non-2xx answer; `problem` is the RFC 9457 body when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** `errors: [{field, message}]` of a validation problem. */
  get fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

/** Called with true/false whenever the control plane becomes reachable or unreachable. */
export function onReachability(listener) {
  listeners.add(listener);
}

function reachable(ok) {
  listeners.forEach((l) => l(ok));
}

export async function request(method, path, body, { token, etag } = {}) {
  const bearer = token || (session.load() || {}).token;
  const headers = { Accept: 'application/json, application/problem+json' };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  if (etag) headers['If-Match'] = etag;
  let response;
  try {
    response = await fetch(BASE + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store',
    });
  } catch (e) {
    reachable(false);
    throw new ApiError(0, { title: 'The control plane is unreachable', detail: String(e.message || e) });
  }
  // A 502/503/504 from a proxy in front of us, or a database outage, is also "unreachable" to the user.
  reachable(response.status < 502 || response.status > 504);
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  if (response.status === 401 && !token) {
    session.clear();
    window.dispatchEvent(new Event('ballast:signed-out'));
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, data, etag: response.headers.get('ETag') };
}

export const get = (path, opts) => request('GET', path, undefined, opts).then((r) => r.data);

export const enc = encodeURIComponent;

/** Items of a list answer (`{items}`), or of a bare array. */
export function items(data) {
  if (Array.isArray(data)) return data;
  return data && Array.isArray(data.items) ? data.items : [];
}
