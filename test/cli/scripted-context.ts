import { CorralApi } from '../../lib/cli/api-client.js';
import type { CliContext } from '../../lib/cli/context.js';
import type { HttpRequestSpec, HttpResponse } from '../../lib/cli/http.js';
import { painter } from '../../lib/cli/render/color.js';

export interface ScriptedContext {
  ctx: CliContext;
  printed: string[];
  warned: string[];
  redrawn: string[];
  /** Virtual time in ms since the start. */
  elapsed(): number;
}

/**
 * A CliContext whose API is the real client fed canned HTTP answers by `send`, on virtual time
 * (sleep advances the clock at once), printing into arrays.
 */
export function scriptedContext(send: (request: HttpRequestSpec) => Promise<HttpResponse>, tty = false): ScriptedContext {
  let clock = 0;
  const printed: string[] = [];
  const warned: string[] = [];
  const redrawn: string[] = [];
  const endpoint = new URL('http://127.0.0.1:3000');
  const api = new CorralApi({ endpoint, send });
  const ctx: CliContext = {
    format: 'table',
    wide: false,
    paint: painter(false),
    tty,
    print: (text) => printed.push(text),
    warn: (text) => warned.push(text),
    redraw: (text) => redrawn.push(text),
    outputClosed: () => false,
    api: async () => api,
    connection: async () => ({ api, endpoint, aws: {} }),
    env: {},
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  };
  return { ctx, printed, warned, redrawn, elapsed: () => clock };
}

export function jsonResponse(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
