// @ts-check
import { useEffect, useState } from 'preact/hooks';

/** How often the page asks again: a change shows within two seconds. */
export const pollMs = 1000;

/** A non-2xx answer of the API, with its error code and message. */
export class ApiFailure extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = code;
  }
}

/** Whether the API answers: one state for the whole page, shown by its banner. */
const connection = {
  connected: true,
  /** @type {string | undefined} */
  reason: undefined,
  /** @type {number | undefined} */
  lastAnswerAt: undefined,
  /** @type {Set<() => void>} */
  listeners: new Set(),
};

/**
 * @param {boolean} connected
 * @param {string} [reason]
 */
function setConnected(connected, reason) {
  if (connected) connection.lastAnswerAt = Date.now();
  if (connection.connected === connected && connection.reason === reason) return;
  connection.connected = connected;
  connection.reason = reason;
  for (const listener of connection.listeners) listener();
}

/** @returns {{ connected: boolean, reason?: string, lastAnswerAt?: number }} */
export function useConnection() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    connection.listeners.add(listener);
    return () => {
      connection.listeners.delete(listener);
    };
  }, []);
  return { connected: connection.connected, reason: connection.reason, lastAnswerAt: connection.lastAnswerAt };
}

/**
 * @param {Response} response
 * @returns {Promise<ApiFailure>}
 */
async function failureOf(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    const error = body.error ?? {};
    return new ApiFailure(response.status, String(error.code ?? ''), String(error.message ?? body.message ?? body.Message ?? text));
  } catch {
    return new ApiFailure(response.status, '', text || `HTTP ${response.status}`);
  }
}

/**
 * One API call. A network failure or a 5xx (the gateway, or `corral dashboard` unable to reach
 * it) marks the page disconnected; any other answer marks it connected.
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, ifMatch?: number }} [options]
 * @returns {Promise<{ text: string, data: any }>}
 */
export async function request(method, path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json', 'x-corral-dashboard': '1' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch (error) {
    setConnected(false, 'the page cannot reach its server');
    throw error;
  }
  if (response.status >= 500) {
    const failure = await failureOf(response);
    setConnected(false, failure.message);
    throw failure;
  }
  setConnected(true);
  if (!response.ok) throw await failureOf(response);
  const text = await response.text();
  return { text, data: text === '' ? {} : JSON.parse(text) };
}

/** Items a list page holds at most: the fewest calls for a large fleet. */
const listPageLimit = 500;

/**
 * Every item of a paginated list (`/services`, `/jobs`), following `nextToken` page after
 * page, as one answer `{[key]: items}`; its text is what the page compares to see a change.
 * @param {string} path
 * @param {string} key
 * @returns {Promise<{ text: string, data: any }>}
 */
export async function requestEveryPage(path, key) {
  /** @type {unknown[]} */
  const items = [];
  const seen = new Set();
  /** @type {string | undefined} */
  let token;
  do {
    const query = new URLSearchParams({ limit: String(listPageLimit), ...(token === undefined ? {} : { nextToken: token }) });
    const { data } = await request('GET', `${path}?${query}`);
    items.push(...(data[key] ?? []));
    // A token answered twice would loop for ever: stop at what was read.
    token = typeof data.nextToken === 'string' && !seen.has(data.nextToken) ? data.nextToken : undefined;
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  const data = { [key]: items };
  return { text: JSON.stringify(data), data };
}

/**
 * Polls `path` every `pollMs` (not while the tab is hidden) and keeps the last good answer; the
 * state changes only when the answer does, so an unchanged page does not redraw. With `list`
 * (the answer's array, e.g. "services") every page of the list is read each time.
 * @param {string | undefined} path
 * @param {string} [list]
 * @returns {{ data: any, error: Error | undefined, refresh: () => void }}
 */
export function usePoll(path, list) {
  const [state, setState] = useState(/** @type {{ path?: string, text?: string, data: any, error: Error | undefined }} */ ({ data: undefined, error: undefined }));
  const [wake, setWake] = useState(0);
  useEffect(() => {
    if (!path) return undefined;
    let stopped = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const tick = async () => {
      if (document.visibilityState !== 'hidden') {
        try {
          const { text, data } = list === undefined ? await request('GET', path) : await requestEveryPage(path, list);
          if (!stopped) setState((old) => (old.path === path && old.text === text && !old.error ? old : { path, text, data, error: undefined }));
        } catch (error) {
          if (!stopped) setState((old) => ({ path, text: old.path === path ? old.text : undefined, data: old.path === path ? old.data : undefined, error: /** @type {Error} */ (error) }));
        }
      }
      if (!stopped) timer = setTimeout(tick, pollMs);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') setWake((n) => n + 1);
    };
    document.addEventListener('visibilitychange', onVisible);
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [path, list, wake]);
  const current = state.path === path ? state : { data: undefined, error: undefined };
  return { data: current.data, error: current.error, refresh: () => setWake((n) => n + 1) };
}
