import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ApiHandler } from '../api/app.js';
import { uiResponse } from '../ui/assets.js';
import { publishedOpenApiText } from '../api/openapi/published.js';
import { requestIdHeader } from '../api/request-id.js';
import { lambdaContext } from './lambda-context.js';

/** API Gateway's own payload limit; the handler enforces the contract's 64 KiB below it. */
const gatewayPayloadLimit = 10 * 1024 * 1024;

export interface LocalApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the API Lambda handler over plain HTTP the way API Gateway's REST proxy integration
 * would call it, so local mode runs the very same handler as the cloud. `GET /openapi.json`
 * answers the published OpenAPI document. Every answer carries `x-request-id`, including the
 * ones this server makes itself (as API Gateway's own answers carry its request id).
 */
export async function startApiServer(
  handler: ApiHandler,
  { host = '127.0.0.1', port = 3000, track }: { host?: string; port?: number; track?: <T>(work: Promise<T>) => Promise<T> } = {},
): Promise<LocalApiServer> {
  const server: Server = createServer((req, res) => {
    const requestId = randomUUID();
    const answer = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json', [requestIdHeader]: requestId });
      res.end(body);
    };
    // The status page is local mode's (and `corral dashboard`'s): the deployed API serves no HTML.
    const page = uiResponse(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost').pathname);
    if (page) {
      res.writeHead(page.status, { ...page.headers, [requestIdHeader]: requestId });
      res.end(page.body);
      return;
    }
    const work = (async () => {
      const body = await readBody(req);
      if (body === undefined) {
        answer(413, JSON.stringify({ error: { code: 'PayloadTooLarge', message: 'request body exceeds 10 MB', details: [], requestId } }));
        return;
      }
      if (req.method === 'GET' && new URL(req.url ?? '/', 'http://localhost').pathname === '/openapi.json') {
        answer(200, publishedOpenApiText);
        return;
      }
      const result = await handler(toEvent(req, body, requestId), lambdaContext('corral-api'));
      res.writeHead(result.statusCode, { ...stringHeaders(result.headers) });
      res.end(result.body);
    })().catch((error: unknown) => {
      answer(500, JSON.stringify({ error: { code: 'InternalError', message: (error as Error).name, details: [], requestId } }));
    });
    void (track ? track(work) : work);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > gatewayPayloadLimit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toEvent(req: IncomingMessage, body: string, requestId: string): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => { query[key] = value; });
  return {
    httpMethod: req.method ?? 'GET',
    path: url.pathname,
    resource: url.pathname,
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      requestId,
      httpMethod: req.method ?? 'GET',
      path: url.pathname,
      stage: 'local',
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

function stringHeaders(headers: Record<string, boolean | number | string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)]));
}
