import { createHash } from 'node:crypto';
import type { BatchOperation } from 'dynalite/db/index.js';
import type { Clock } from '../../../clock.js';
import type { EmbeddedDynalite } from './embedded-dynalite.js';
import { checkItemRequest, type CheckedItemRequest, ItemRequestInvalid, type ItemOperation } from './item-requests.js';
import type { ItemLocks } from './item-locks.js';
import { imageKey, type Images, noteRead } from './store-views.js';
import { canonical, type Item } from './stream-records.js';

/** What the transactions need from the proxy around dynalite. */
export interface TransactionBackend {
  readonly dynalite: EmbeddedDynalite;
  readonly locks: ItemLocks;
  readonly clock: Clock;
  /** The key attribute names of `table`, undefined when the table does not exist. */
  keyNames(table: string): Promise<string[] | undefined>;
  /** Emits the stream record of one committed change. */
  publish(table: string, before: Item | undefined, after: Item | undefined): void;
}

export interface DynamoAnswer {
  status: number;
  json: Record<string, unknown>;
}

/** DynamoDB's limits and messages for transactions (service model and developer guide). */
const maxActions = 100;
const idempotencyWindowMs = 10 * 60_000;
const errorPrefix = 'com.amazonaws.dynamodb.v20120810#';
const validationType = 'com.amazon.coral.validate#ValidationException';
const oneItemTwiceMessage = 'Transaction request cannot include multiple operations on one item';

type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
const writeKinds: readonly WriteKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];
/** The single-item request each action is checked as; a ConditionCheck is a delete never applied. */
const operationOf: Record<WriteKind, ItemOperation> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'DeleteItem' };

interface Action {
  kind: WriteKind;
  table: string;
  key: Item;
  checked: CheckedItemRequest;
  returnOldItem: boolean;
}

interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
}

/**
 * TransactWriteItems and TransactGetItems over dynalite, which has neither, with DynamoDB's
 * semantics: at most 100 actions, no two on one item, every condition judged against the state
 * before the transaction, all or nothing, and a TransactionCanceledException whose
 * CancellationReasons follow the request's order. Isolation comes from the proxy's item locks
 * (item-locks.ts): a transaction holds the lock of every item it touches while it reads, judges
 * and applies, so a single write to one of them waits, and transactions on other items of the
 * table do not; its writes are stored as one LevelDB batch, so a GetItem, Query or Scan sees all
 * of them or none (BatchGetItem and TransactGetItems hold their items' locks too).
 */
export class Transactions {
  private readonly tokens = new Map<string, { digest: string; expiresAt: number }>();

  constructor(private readonly backend: TransactionBackend) {}

  async write(request: Record<string, unknown>): Promise<DynamoAnswer> {
    const items = transactItems(request);
    const token = request.ClientRequestToken;
    if (token !== undefined && (typeof token !== 'string' || token.length < 1 || token.length > 36)) {
      return invalid(`1 validation error detected: Value '${String(token)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`);
    }
    if (typeof items === 'string') return invalid(items);
    // Only a token's replay needs the request's digest, taken before validation rewrites the actions in place.
    const digest = typeof token === 'string' ? createHash('sha256').update(canonical(items)).digest('hex') : undefined;
    let actions: Action[];
    try {
      actions = await this.writeActions(items);
    } catch (error) {
      if (error instanceof ItemRequestInvalid) return { status: 400, json: { ...error.body } };
      if (error instanceof MissingTable) return notFound();
      throw error;
    }
    if (hasDuplicate(actions)) return invalid(oneItemTwiceMessage);
    const release = await this.backend.locks.lock(actions);
    try {
      const keys = await this.backend.dynalite.storeKeys(actions);
      if (!Array.isArray(keys)) return keys;
      const replay = digest === undefined ? undefined : this.replay(token as string, digest);
      if (replay) return replay;
      const answer = await this.commit(actions, keys);
      if (answer.status === 200 && digest !== undefined) {
        this.tokens.set(token as string, { digest, expiresAt: this.backend.clock.now() + idempotencyWindowMs });
      }
      return answer;
    } finally {
      release();
    }
  }

  async get(request: Record<string, unknown>): Promise<DynamoAnswer> {
    const items = transactItems(request);
    if (typeof items === 'string') return invalid(items);
    const gets: { table: string; key: Item; request: Record<string, unknown> }[] = [];
    for (const entry of items) {
      const get = (entry as { Get?: Record<string, unknown> })?.Get;
      if (typeof get !== 'object' || get === null || typeof get.TableName !== 'string' || typeof get.Key !== 'object' || get.Key === null) {
        return invalid("1 validation error detected: Value null at 'transactItems.member.get' failed to satisfy constraint: Member must not be null");
      }
      gets.push({ table: get.TableName, key: get.Key as Item, request: { ...get, ConsistentRead: true } });
    }
    if (hasDuplicate(gets)) return invalid(oneItemTwiceMessage);
    const release = await this.backend.locks.lock(gets);
    try {
      const responses: { Item?: Item }[] = [];
      for (const get of gets) {
        const answer = await this.backend.dynalite.call('GetItem', { ...get.request });
        if (answer.status !== 200) return { status: answer.status, json: answer.json };
        const item = answer.json.Item as Item | undefined;
        responses.push(item ? { Item: item } : {});
      }
      return { status: 200, json: { Responses: responses } };
    } finally {
      release();
    }
  }

  private async writeActions(items: unknown[]): Promise<Action[]> {
    const actions: Action[] = [];
    for (const entry of items) {
      const present = writeKinds.filter((kind) => (entry as Record<string, unknown> | null)?.[kind] != null);
      if (present.length !== 1) throw new ItemRequestInvalid({ __type: validationType, message: 'TransactItems can only contain one of Check, Put, Update or Delete' });
      const kind = present[0];
      const body = { ...((entry as Record<string, Record<string, unknown>>)[kind]) };
      const onFailure = body.ReturnValuesOnConditionCheckFailure;
      if (onFailure !== undefined && onFailure !== 'ALL_OLD' && onFailure !== 'NONE') {
        throw new ItemRequestInvalid({
          __type: validationType,
          message: `1 validation error detected: Value '${String(onFailure)}' at 'transactItems.member.${kind}.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
        });
      }
      if (kind === 'ConditionCheck' && typeof body.ConditionExpression !== 'string') {
        throw new ItemRequestInvalid({ __type: validationType, message: "1 validation error detected: Value null at 'transactItems.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null" });
      }
      delete body.ReturnValuesOnConditionCheckFailure;
      const checked = checkItemRequest(operationOf[kind], kind === 'Update' ? { ...body, ReturnValues: 'ALL_NEW' } : body);
      const table = checked.request.TableName as string;
      actions.push({ kind, table, key: await this.keyOf(table, kind, checked.request), checked, returnOldItem: onFailure === 'ALL_OLD' });
    }
    return actions;
  }

  private async keyOf(table: string, kind: WriteKind, request: Record<string, unknown>): Promise<Item> {
    const names = await this.backend.keyNames(table);
    if (names === undefined) throw new MissingTable();
    const source = (kind === 'Put' ? request.Item : request.Key) as Item;
    const missing = names.find((name) => !(name in source));
    if (missing !== undefined) {
      throw new ItemRequestInvalid({ __type: validationType, message: kind === 'Put' ? `One or more parameter values were invalid: Missing the key ${missing} in the item` : 'The provided key element does not match the schema' });
    }
    return Object.fromEntries(names.map((name) => [name, source[name]]));
  }

  private replay(token: string, digest: string): DynamoAnswer | undefined {
    const seen = this.tokens.get(token);
    if (seen === undefined || seen.expiresAt <= this.backend.clock.now()) return undefined;
    if (seen.digest === digest) return { status: 200, json: {} };
    return error(400, 'IdempotentParameterMismatchException', { Message: 'Request parameters do not match the earlier request with the same client request token' });
  }

  /**
   * Under the items' locks: read every item once, judge every condition, then apply every write to
   * a staged view of the store and store the lot as one batch (store-views.ts), so a write that
   * fails on the data leaves nothing behind.
   */
  private async commit(actions: Action[], keys: string[]): Promise<DynamoAnswer> {
    const { dynalite } = this.backend;
    const read: Images = new Map();
    const before: (Item | undefined)[] = [];
    for (const [i, action] of actions.entries()) {
      before.push(await dynalite.readItem(action.table, keys[i]));
      noteRead(read, action.table, keys[i], before[i]);
    }
    const reasons: CancellationReason[] = actions.map((action, i) =>
      action.checked.conditionHolds(before[i])
        ? { Code: 'None' }
        : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(action.returnOldItem && before[i] ? { Item: before[i] } : {}) },
    );
    if (reasons.some((r) => r.Code !== 'None')) return cancelled(reasons);

    const staged: BatchOperation[] = [];
    for (const [i, action] of actions.entries()) {
      if (action.kind === 'ConditionCheck') continue;
      const answer = await dynalite.stage(action.checked.operation, action.checked.parsed, read, staged);
      if (answer.status !== 200) {
        if (String(answer.json.__type ?? '').endsWith('ValidationException')) {
          return cancelled(actions.map((_, j) => (j === i ? { Code: 'ValidationError', Message: String(answer.json.message ?? '') } : { Code: 'None' })));
        }
        return answer;
      }
    }
    await dynalite.commit(staged);
    actions.forEach((action, i) => {
      const image = read.get(imageKey(action.table, keys[i]));
      if (image?.written) this.backend.publish(action.table, before[i], image.after);
    });
    return { status: 200, json: {} };
  }
}

class MissingTable extends Error {
  override readonly name = 'MissingTable';
}

/** The list of actions, or the ValidationException message DynamoDB gives for a bad one. */
function transactItems(request: Record<string, unknown>): unknown[] | string {
  const items = request.TransactItems;
  if (!Array.isArray(items)) return "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null";
  if (items.length < 1 || items.length > maxActions) {
    const bound = items.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${maxActions}`;
    return `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length ${bound}`;
  }
  return items;
}

function hasDuplicate(targets: { table: string; key: Item }[]): boolean {
  const seen = new Set(targets.map((t) => `${t.table}\u0000${canonical(t.key)}`));
  return seen.size !== targets.length;
}

function cancelled(reasons: CancellationReason[]): DynamoAnswer {
  const codes = reasons.map((r) => r.Code).join(', ');
  return error(400, 'TransactionCanceledException', {
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    CancellationReasons: reasons,
  });
}

function invalid(message: string): DynamoAnswer {
  return { status: 400, json: { __type: validationType, message } };
}

function notFound(): DynamoAnswer {
  return error(400, 'ResourceNotFoundException', { message: 'Requested resource not found' });
}

function error(status: number, type: string, fields: Record<string, unknown>): DynamoAnswer {
  return { status, json: { __type: `${errorPrefix}${type}`, ...fields } };
}
