import { AwsError } from './errors.js';

/**
 * Opaque `nextToken`s: base64url of the position after which the next page starts, bound to the
 * request's filters so a token is not reused with different ones (as the services refuse it).
 */
export function encodeToken(position: number, filterKey: string): string {
  return Buffer.from(JSON.stringify({ p: position, f: filterKey })).toString('base64url');
}

export function decodeToken(token: string | undefined, filterKey: string, error: (message: string) => AwsError): number {
  if (token === undefined) return -1;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as { p?: unknown; f?: unknown };
    if (typeof parsed.p === 'number' && parsed.f === filterKey) return parsed.p;
  } catch {
    // fall through to the service's own error
  }
  throw error('Invalid nextToken');
}

/** One page of `items` (sorted by `position`) after `after`, with the token for the next page. */
export function page<T>(
  items: T[],
  position: (item: T) => number,
  after: number,
  maxResults: number,
  filterKey: string,
): { items: T[]; nextToken?: string } {
  const rest = items.filter((item) => position(item) > after);
  const pageItems = rest.slice(0, maxResults);
  if (rest.length <= maxResults) return { items: pageItems };
  return { items: pageItems, nextToken: encodeToken(position(pageItems[pageItems.length - 1]), filterKey) };
}
