import * as http from 'node:http';
import * as https from 'node:https';
import { CLI_DEFAULTS } from './defaults.js';
import { EndpointUnreachableError } from './errors.js';

export interface HttpRequestSpec {
  method: string;
  url: URL;
  /** Sent exactly as given (lower-case names); `host` is included so a signature can cover it. */
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpTimeouts {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

const DEFAULT_TIMEOUTS: HttpTimeouts = {
  connectTimeoutMs: CLI_DEFAULTS.connectTimeoutMs,
  requestTimeoutMs: CLI_DEFAULTS.requestTimeoutMs,
};

/**
 * One HTTP(S) exchange. Built on node:http rather than fetch because fetch has no connect
 * timeout of its own: an address that drops packets would otherwise hang for the OS's TCP
 * timeout (minutes) instead of failing in ~3 s with a message naming the URL.
 */
export function sendHttp(request: HttpRequestSpec, timeouts: HttpTimeouts = DEFAULT_TIMEOUTS): Promise<HttpResponse> {
  const { url } = request;
  const transport = url.protocol === 'https:' ? https : http;
  const target = url.origin;
  return new Promise((resolve, reject) => {
    let connected = false;
    const req = transport.request(
      url,
      { method: request.method, headers: request.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => {
          clearTimeout(overall);
          reject(error);
        });
        res.on('end', () => {
          clearTimeout(overall);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    const connectTimer = setTimeout(() => {
      req.destroy(new EndpointUnreachableError(target, `no connection within ${timeouts.connectTimeoutMs / 1000} s`));
    }, timeouts.connectTimeoutMs);
    const overall = setTimeout(() => {
      req.destroy(new Error(`no answer from ${target} within ${timeouts.requestTimeoutMs / 1000} s`));
    }, timeouts.requestTimeoutMs);
    req.on('socket', (socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        connected = true;
        clearTimeout(connectTimer);
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      clearTimeout(overall);
      if (error instanceof EndpointUnreachableError) reject(error);
      else if (!connected) reject(new EndpointUnreachableError(target, error.code ?? error.message, { cause: error }));
      else reject(error);
    });
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}
