import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './condition-failures.js';
import { ConflictError, GenerationMismatchError } from './store-errors.js';

/**
 * Read-modify-write on items that carry a `generation`, shared by the service and job stores.
 * Every commit is conditional on the generation read; `If-Match` names the one the caller saw.
 */
export interface WriteOptions {
  /** The generation the caller read (`If-Match`); absent means "whatever is current". */
  ifMatch?: number;
}

/** Unconditional updates retry this often when a concurrent writer got in first. */
const maxWriteAttempts = 8;

/** Refuses a write whose `If-Match` is not the current generation (absent counts as none). */
export function checkIfMatch(options: WriteOptions, current: { generation: number } | undefined): void {
  if (options.ifMatch === undefined) return;
  if (current?.generation !== options.ifMatch) throw new GenerationMismatchError(options.ifMatch, current?.generation);
}

/**
 * Runs a read-modify-write. A lost race with `If-Match` is the caller's 412; without it, the
 * change is re-applied on the fresh state, so both writers' changes land as two generations.
 */
export async function withGenerationRetry<T>(options: WriteOptions, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (options.ifMatch !== undefined) throw new GenerationMismatchError(options.ifMatch, undefined, { cause: error });
      if (tries >= maxWriteAttempts) throw new ConflictError('too many concurrent changes; try again', { cause: error });
    }
  }
}

/** Every item of a query, following LastEvaluatedKey. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
