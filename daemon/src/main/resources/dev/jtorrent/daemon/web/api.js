// The daemon's qBittorrent Web API, as this page uses it. The SID cookie is HttpOnly and SameSite=Strict: the
// browser sends it with these same-origin requests, and no script can read it.

const BASE = 'api/v2/';

/** The API answered 403: the session is gone (or never was), so the page shows its login form. */
export class LoggedOut extends Error {
  constructor() {
    super('not logged in');
  }
}

async function check(response) {
  if (response.status === 403) {
    throw new LoggedOut();
  }
  if (!response.ok) {
    const text = (await response.text()).trim();
    throw new Error(text || `${response.status} ${response.statusText}`);
  }
  return response;
}

/** GET scope/action with query parameters; the answer as JSON, or text when it is not JSON. */
export async function get(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await check(await fetch(BASE + path + (query ? `?${query}` : ''), {
    credentials: 'same-origin', cache: 'no-store',
  }));
  const type = response.headers.get('content-type') || '';
  return type.startsWith('application/json') ? response.json() : response.text();
}

/** POST scope/action with form fields (url-encoded), or a FormData (multipart, for files). */
export async function post(path, fields = {}) {
  const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
  const response = await check(await fetch(BASE + path, { method: 'POST', body, credentials: 'same-origin' }));
  return response.text();
}

/** Logs in: true if the account took it, false for a wrong name or password; throws when banned. */
export async function login(username, password) {
  const response = await fetch(BASE + 'auth/login', {
    method: 'POST', body: new URLSearchParams({ username, password }), credentials: 'same-origin',
  });
  const text = (await response.text()).trim();
  if (response.status === 403) {
    throw new Error(text || 'Banned after too many failed logins');
  }
  return response.ok && text === 'Ok.';
}

export const EVENTS_URL = BASE + 'jtorrent/events';
