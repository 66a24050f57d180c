import type { ProxiedResponse } from './dynamo-proxy.js';

/** The view every local table streams: the proxy publishes old and new images of each write. */
export const localStreamViewType = 'NEW_AND_OLD_IMAGES';

/** DynamoDB's stream label (the creation time, ISO 8601 without the zone) and ARN of a table. */
export function streamOf(region: string, accountId: string, table: string, creationDateTime: number): { label: string; arn: string } {
  const label = new Date(creationDateTime * 1000).toISOString().replace('Z', '');
  return { label, arn: `arn:aws:dynamodb:${region}:${accountId}:table/${table}/stream/${label}` };
}

/**
 * Adds what DynamoDB reports for a table with a stream (dynalite has none) to a DescribeTable
 * (`Table`), CreateTable or UpdateTable (`TableDescription`) answer: `StreamSpecification`,
 * `LatestStreamLabel` and `LatestStreamArn`.
 */
export function withStreamDescription(response: ProxiedResponse, field: 'Table' | 'TableDescription', region: string, accountId: string): ProxiedResponse {
  if (response.status !== 200) return response;
  const json = JSON.parse(response.body) as Record<string, Record<string, unknown> | undefined>;
  const table = json[field];
  if (typeof table?.TableName !== 'string' || typeof table.CreationDateTime !== 'number') return response;
  const stream = streamOf(region, accountId, table.TableName, table.CreationDateTime);
  json[field] = {
    ...table,
    StreamSpecification: { StreamEnabled: true, StreamViewType: localStreamViewType },
    LatestStreamLabel: stream.label,
    LatestStreamArn: stream.arn,
  };
  // The body changed, so dynalite's checksum of it no longer holds.
  const { 'x-amz-crc32': _crc, ...headers } = response.headers;
  return { status: response.status, headers, body: JSON.stringify(json) };
}
