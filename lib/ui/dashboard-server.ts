import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { joinUrl, type RequestSigner } from '../cli/api-client.js';
import { sendHttp, type HttpRequestSpec, type HttpResponse } from '../cli/http.js';
import { uiBasePath, uiResponse } from './assets.js';

export interface DashboardOptions {
  /** The Corral API the page's calls go to (API Gateway, with its stage path). */
  endpoint: URL;
  /** SigV4 signer with the user's credentials; absent for an unsigned (local) API. */
  sign?: RequestSigner;
  /** 127.0.0.1 unless told otherwise: the page acts with the user's credentials. */
  host?: string;
  port?: number;
  send?: (request: HttpRequestSpec) => Promise<HttpResponse>;
}

export interface DashboardServer {
  /** The page's address. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The page sends it on every change; a cross-site form or script cannot without a CORS preflight, which is never granted. */
export const dashboardHeader = 'x-corral-dashboard';

/** Request headers the API reads; nothing else (cookies, the browser's own) is forwarded or signed. */
const forwardedRequestHeaders = ['accept', 'content-type', 'if-match'];
/** Answer headers the page reads. */
const forwardedResponseHeaders = ['content-type', 'etag', 'location', 'x-amzn-requestid', 'x-request-id', 'x-amz-apigw-id'];
const maxBodyBytes = 1024 * 1024;

/**
 * `corral dashboard`: serves the status page on loopback and forwards its API calls to the
 * deployed API, signed as the CLI signs its own. The page's origin is the only one allowed to
 * change anything, so another site open in the same browser cannot act with these credentials.
 */
export async function startDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const host = options.host ?? '127.0.0.1';
  const send = options.send ?? ((request: HttpRequestSpec) => sendHttp(request));
  const sign = options.sign ?? (async (request: HttpRequestSpec) => request);
  let port = options.port ?? 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // The page shows the message (endpoint unreachable, no credentials) in its disconnected banner.
      reply(res, 502, { error: { code: 'DashboardUpstreamError', message: error instanceof Error ? error.message : String(error), details: [] } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const incoming = new URL(req.url ?? '/', 'http://localhost');
    if (!isOwnHost(req.headers.host, port)) {
      // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) gets nothing.
      reply(res, 421, { error: { code: 'MisdirectedRequest', message: 'the dashboard answers only on 127.0.0.1, localhost or [::1]', details: [] } });
      return;
    }
    if (incoming.pathname === '/') {
      res.writeHead(302, { Location: uiBasePath }).end();
      return;
    }
    const page = uiResponse(method, incoming.pathname);
    if (page) {
      res.writeHead(page.status, page.headers).end(page.body);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD' && !isFromThePage(req, port)) {
      reply(res, 403, { error: { code: 'Forbidden', message: `changes are accepted only from the dashboard page (header ${dashboardHeader}, same origin)`, details: [] } });
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      reply(res, 413, { error: { code: 'PayloadTooLarge', message: 'request body exceeds 1 MiB', details: [] } });
      return;
    }
    const url = joinUrl(options.endpoint, incoming.pathname);
    url.search = incoming.search;
    const headers: Record<string, string> = { host: url.host };
    for (const name of forwardedRequestHeaders) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (body !== '') headers['content-length'] = String(Buffer.byteLength(body));
    const answer = await send(await sign({ method, url, headers, ...(body === '' ? {} : { body }) }));
    const out: Record<string, string> = { 'Cache-Control': 'no-store' };
    for (const name of forwardedResponseHeaders) {
      if (answer.headers[name] !== undefined) out[name] = answer.headers[name];
    }
    res.writeHead(answer.status, out).end(answer.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${uiBasePath}`,
    port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].some((name) => hostHeader === `${name}:${port}`);
}

/** Same origin (when the browser says) and the page's own header. */
function isFromThePage(req: IncomingMessage, port: number): boolean {
  if (req.headers[dashboardHeader] !== '1') return false;
  const origin = req.headers.origin;
  if (origin !== undefined && !['127.0.0.1', 'localhost', '[::1]'].some((name) => origin === `http://${name}:${port}`)) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin';
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}
