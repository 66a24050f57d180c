import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { PageRequest } from '../aws/kind-pages.js';
import { validateServiceName } from '../core/spec/index.js';
import { ValidationError } from './errors.js';

/** `limit` of `GET /services` and `GET /jobs`: 100 unless asked, 1 to 500. */
export const listLimits = { default: 100, max: 500 } as const;

/** What a list is of; a token of one list is refused by the other. */
export type ListKind = 'service' | 'job';

/**
 * The page a list request asks for, from `limit` and `nextToken` (400 naming the parameter
 * when either is malformed). The token is opaque to callers: base64url of
 * `{"kind": "<list>", "after": "<last name on the page before>"}`. Validated field by field, so a
 * tampered or foreign token is a 400, never a DynamoDB error; forging one gains nothing a
 * caller could not ask for by name.
 */
export function pageRequest(event: APIGatewayProxyEvent, kind: ListKind): PageRequest {
  const query = event.queryStringParameters ?? {};
  const limit = parseLimit(query.limit);
  const token = query.nextToken;
  return token === undefined || token === null ? { limit } : { limit, after: decodeToken(token, kind) };
}

/** The `nextToken` that continues after `after`, for a page that has more. */
export function encodeToken(kind: ListKind, after: string): string {
  return Buffer.from(JSON.stringify({ kind, after })).toString('base64url');
}

function parseLimit(raw: string | undefined | null): number {
  if (raw === undefined || raw === null) return listLimits.default;
  const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= listLimits.max)) {
    throw new ValidationError([{ field: 'limit', message: `must be an integer from 1 to ${listLimits.max} (got ${JSON.stringify(raw.slice(0, 20))})` }]);
  }
  return limit;
}

function decodeToken(raw: string, kind: ListKind): string {
  const refuse = (why: string) => new ValidationError([{ field: 'nextToken', message: `${why}; pass the nextToken of the previous page unchanged` }]);
  if (raw.length === 0 || raw.length > 200 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw refuse('is not a token this API handed out');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw refuse('is not a token this API handed out');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw refuse('is not a token this API handed out');
  const { kind: tokenKind, after, ...rest } = decoded as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof tokenKind !== 'string' || typeof after !== 'string') throw refuse('is not a token this API handed out');
  if (tokenKind !== kind) {
    throw refuse(tokenKind === 'service' || tokenKind === 'job' ? `is a token of the ${tokenKind} list, not the ${kind} list` : 'is not a token this API handed out');
  }
  // Service and job names follow the same rules (lowercase DNS labels). Only the exact bytes
  // handed out pass: base64 decoders forgive stray characters, the comparison does not.
  if (validateServiceName(after).length > 0 || encodeToken(kind, after) !== raw) throw refuse('is not a token this API handed out');
  return after;
}
