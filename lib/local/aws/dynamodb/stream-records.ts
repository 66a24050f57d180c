import { randomBytes } from 'node:crypto';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

export type Item = Record<string, AttributeValue>;

/** Canonical JSON (sorted keys) so two reads of the same item compare equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface StreamRecordContext {
  region: string;
  streamArn: string;
  keyNames: string[];
  /** Epoch milliseconds of the write. */
  now: number;
  sequenceNumber: string;
}

/**
 * The NEW_AND_OLD_IMAGES stream record DynamoDB writes for a change from `before` to `after`
 * (either may be absent), or undefined when the write changed nothing — DynamoDB writes no record
 * then either.
 */
export function streamRecord(before: Item | undefined, after: Item | undefined, context: StreamRecordContext): DynamoDBRecord | undefined {
  if (before === undefined && after === undefined) return undefined;
  if (before !== undefined && after !== undefined && canonical(before) === canonical(after)) return undefined;
  const source = (after ?? before) as Item;
  const keys = Object.fromEntries(context.keyNames.filter((k) => k in source).map((k) => [k, source[k]]));
  const eventName = before === undefined ? 'INSERT' : after === undefined ? 'REMOVE' : 'MODIFY';
  return {
    eventID: randomBytes(16).toString('hex'),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: context.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(context.now / 1000),
      Keys: keys,
      ...(after ? { NewImage: after } : {}),
      ...(before ? { OldImage: before } : {}),
      SequenceNumber: context.sequenceNumber,
      SizeBytes: Buffer.byteLength(JSON.stringify([keys, after ?? {}, before ?? {}])),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: context.streamArn,
  };
}
