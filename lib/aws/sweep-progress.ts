import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Lease } from '../core/lease/index.js';
import { canonicalJson } from '../core/spec/index.js';
import type { DesiredStatus } from './container-runtime.js';
import { writeFenced } from './fenced-transaction.js';
import { itemKey } from './state/keys.js';

/**
 * Where a sweep that could not cover the fleet within its budget stopped, so the next one goes
 * on from there instead of starting over (and never reaching the services at the end of the
 * list). `{}` is a sweep at rest: the last one planned every service and finished its listing.
 */
export interface SweepPosition {
  /** The service the next sweep plans first; the rest follow by name, wrapping round. */
  nextService?: string;
  /** The cluster listing under way: the status being listed and the page to ask for next. */
  listing?: { desiredStatus: DesiredStatus; nextToken?: string };
}

/** Keeps the position between sweeps. */
export interface SweepProgress {
  load(): Promise<SweepPosition>;
  /** Writes only when `position` differs from what `load` answered: a sweep at rest writes nothing. */
  save(position: SweepPosition): Promise<void>;
}

/** No memory between sweeps: each one starts from the first service (local mode's start-up sweep). */
export function sweepFromTheStart(): SweepProgress {
  return { load: async () => ({}), save: async () => undefined };
}

/** The sweep's position item, one per table. */
export const sweepProgressKey = itemKey('sweep', 'progress');

/**
 * The sweep's position in the table, written by the dispatcher's leader under its lease (a
 * former leader's write is refused like any other). One GetItem a sweep; a PutItem only when the
 * position moved, which at rest (a fleet the sweep covers each minute) it never does.
 */
export class DynamoSweepProgress implements SweepProgress {
  private loaded = '{}';

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly lease: Pick<Lease, 'name' | 'token'>,
  ) {}

  async load(): Promise<SweepPosition> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: sweepProgressKey }));
    const position = (Item?.position ?? {}) as SweepPosition;
    this.loaded = canonicalJson(position);
    return position;
  }

  async save(position: SweepPosition): Promise<void> {
    const text = canonicalJson(position);
    if (text === this.loaded) return;
    await writeFenced({ documents: this.documents, tableName: this.tableName, lease: this.lease }, [
      { Put: { TableName: this.tableName, Item: { ...sweepProgressKey, position } } },
    ]);
    this.loaded = text;
  }
}
