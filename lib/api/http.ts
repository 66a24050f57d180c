import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  PayloadTooLargeError,
  PreconditionFailedApiError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.js';

/** Request bodies above this are refused with 413 before parsing. */
export const maxBodyBytes = 64 * 1024;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Where a 201's new object lives: the request's own path, with API Gateway's stage prefix
 * (`requestContext.path` is `/v1/services/web` where `path` is `/services/web`).
 */
export function createdLocation(event: APIGatewayProxyEvent): Record<string, string> {
  return { Location: event.requestContext?.path ?? event.path };
}

export function etag(generation: number): string {
  return `"${generation}"`;
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/**
 * The JSON body of a request: 413 over 64 KiB, 415 unless the content type is JSON, 400 when
 * it does not parse. `optional` bodies may be empty.
 */
export function parseJsonBody(event: APIGatewayProxyEvent, { optional = false } = {}): unknown {
  const raw = event.body == null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const size = Buffer.byteLength(raw, 'utf8');
  if (size > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes, size);
  if (raw.trim() === '') {
    if (optional) return undefined;
    throw new ValidationError([{ field: '', message: 'a JSON body is required' }]);
  }
  const contentType = header(event, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType || !(mediaType === 'application/json' || mediaType.endsWith('+json'))) {
    throw new UnsupportedMediaTypeError(contentType);
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ValidationError([{ field: '', message: `malformed JSON: ${(error as Error).message}` }]);
  }
}

/** The generation an `If-Match: "<generation>"` header names, if any. */
export function ifMatchGeneration(event: APIGatewayProxyEvent): number | undefined {
  const value = header(event, 'if-match');
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(value);
  if (!match) throw new PreconditionFailedApiError(`If-Match must be an ETag like "3", got ${value}`);
  return Number(match[1]);
}

/** A `{name}` path parameter, URL-decoded; a malformed escape is the caller's 400, not a 500. */
export function pathName(event: APIGatewayProxyEvent): string {
  const raw = event.pathParameters?.name ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError([{ field: 'name', message: 'is not a valid URL-encoded path segment' }]);
  }
}
