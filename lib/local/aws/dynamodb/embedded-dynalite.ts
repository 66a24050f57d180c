import type http from 'node:http';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { type BatchOperation, create, createKey, type Store, type TableDescription, validateKey } from 'dynalite/db/index.js';
import { checkTypes, checkValidations, toLowerFirst } from 'dynalite/validations/index.js';
import { cacheExpressionParses } from './expression-cache.js';
import { randomBase64 } from '../random-ids.js';
import { changesOf, type Images, type ItemChange, recordingStore, stagingStore } from './store-views.js';
import type { Item } from './stream-records.js';

/** An answer as dynalite's HTTP handler would have sent it. */
export interface DynaliteAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An answer to an internal request: its JSON and what it wrote. */
export interface DynaliteResult {
  status: number;
  json: Record<string, unknown>;
  changes: ItemChange[];
  /** Images of the items the request read or wrote (a failed condition's item is here). */
  images: Images;
}

type Action = (store: Store, data: Record<string, unknown>, callback: (error: DynaliteError | null, data?: Record<string, unknown>) => void) => void;
type Validation = { types: Record<string, unknown>; custom: (data: Record<string, unknown>, store: unknown) => string | undefined };
type DynaliteError = Error & { statusCode?: number; body?: Record<string, unknown> };

/** dynalite's operations (index.js validOperations), each with its action and its validation. */
const operations = ['BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive', 'GetItem', 'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable'];
const require = createRequire(import.meta.url);
const actions = new Map<string, { action: Action; validation: Validation }>(
  operations.map((op) => [op, { action: require(`dynalite/actions/${toLowerFirst(op)}.js`) as Action, validation: require(`dynalite/validations/${toLowerFirst(op)}.js`) as Validation }]),
);
const recordedOperations = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
cacheExpressionParses();

/**
 * dynalite in this process: its LevelDB store, its validations and its actions, called directly
 * instead of over a loopback HTTP server (which cost a request, a response and two JSON passes
 * per storage operation). `request` does what dynalite's HTTP handler does with a request that
 * reached the endpoint — the same checks, in the same order, with the same answers and
 * x-amz-crc32 — and every write notes the images of the items it changed (store-views.ts).
 */
export class EmbeddedDynalite {
  private constructor(readonly store: Store) {}

  static create(options: { path?: string }): EmbeddedDynalite {
    return new EmbeddedDynalite(create({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.store.lifecycleManager.gracefulClose((error) => (error ? reject(error) : resolve())));
  }

  /**
   * dynalite's HTTP handler's checks of a request that reached the endpoint (index.js
   * httpHandler, from the end of the body on), in its order: its answer when one fails, else the
   * parsed request and the content type its answer will carry.
   */
  check(operation: string, body: string, headers: http.IncomingHttpHeaders): { answer: DynaliteAnswer } | { data: Record<string, unknown>; contentType: string } {
    const contentType = String(headers['content-type'] ?? '').split(';')[0].trim();
    if (body && contentType !== 'application/json' && contentType !== 'application/x-amz-json-1.0') {
      return { answer: { status: 404, headers: { 'x-amz-crc32': '3552371480', 'x-amzn-requestid': requestId() }, body: '<UnknownOperationException/>\n' } };
    }
    const answerType = contentType !== 'application/x-amz-json-1.0' ? 'application/json' : contentType;
    const refuse = (type: string, fields: Record<string, unknown> = {}) => ({ answer: answerOf(400, { __type: `com.amazon.coral.service#${type}`, ...fields }, answerType) });
    let data: unknown;
    if (body) {
      try {
        data = JSON.parse(body);
      } catch {
        return refuse('SerializationException');
      }
    }
    if (!actions.has(operation)) return refuse('UnknownOperationException');
    const problem = signatureProblem(headers);
    if (problem) return refuse(problem.type, { message: problem.message });
    if (!body) return refuse('SerializationException');
    return { data: data as Record<string, unknown>, contentType: answerType };
  }

  /**
   * One request, validated and run as dynalite runs it, without the checks of an HTTP request's
   * headers. `data` is validated in place (dynalite's checkTypes reuses it): pass a fresh object.
   */
  async call(operation: string, data: Record<string, unknown>): Promise<DynaliteResult> {
    const images: Images = new Map();
    const entry = actions.get(operation);
    if (!entry) return { status: 400, json: { __type: 'com.amazon.coral.service#UnknownOperationException' }, changes: [], images };
    let checked: Record<string, unknown>;
    try {
      checked = checkTypes(data, entry.validation.types);
      checkValidations(checked, entry.validation.types, entry.validation.custom, this.store);
    } catch (error) {
      const failure = error as DynaliteError;
      if (failure.statusCode) return { status: failure.statusCode, json: failure.body ?? {}, changes: [], images };
      throw error;
    }
    const store = recordedOperations.has(operation) ? recordingStore(this.store, images) : this.store;
    const answer = await run(entry.action, store, checked);
    return { ...answer, changes: answer.status === 200 ? changesOf(images) : [], images };
  }

  /** Runs a validated PutItem, UpdateItem or DeleteItem against a transaction's staged view (store-views.ts). */
  stage(operation: string, checked: Record<string, unknown>, read: Images, staged: BatchOperation[]): Promise<{ status: number; json: Record<string, unknown> }> {
    return run(actions.get(operation)!.action, stagingStore(this.store, read, staged), checked);
  }

  /** Stores a transaction's staged writes as one LevelDB batch: all of them or none. */
  commit(staged: BatchOperation[]): Promise<void> {
    if (staged.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.store.db.batch(staged, (error) => (error ? reject(error) : resolve())));
  }

  /** Reads one item by its store key (under a lock the caller holds). */
  readItem(table: string, key: string): Promise<Item | undefined> {
    return new Promise((resolve, reject) =>
      this.store.getItemDb(table).get(key, (error, value) => (error && error.name !== 'NotFoundError' ? reject(error) : resolve((value ?? undefined) as Item | undefined))),
    );
  }

  /**
   * The store keys of items (dynalite's createKey), or the 400 answer DynamoDB gives for the
   * first missing table or bad key (what a GetItem of it would answer). Each table is described once.
   */
  async storeKeys(items: { table: string; key: Item }[]): Promise<string[] | { status: number; json: Record<string, unknown> }> {
    const described = new Map<string, TableDescription | DynaliteError>();
    const keys: string[] = [];
    for (const { table, key } of items) {
      let description = described.get(table);
      if (!description) {
        description = await new Promise<TableDescription | DynaliteError>((resolve) => this.store.getTable(table, false, (error, found) => resolve(error ?? (found as TableDescription))));
        described.set(table, description);
      }
      if (description instanceof Error) return { status: description.statusCode ?? 500, json: description.body ?? { message: description.message } };
      const invalid = validateKey(key, description);
      if (invalid) return { status: invalid.statusCode, json: invalid.body as Record<string, unknown> };
      keys.push(createKey(key, description));
    }
    return keys;
  }
}

function run(action: Action, store: Store, data: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) =>
    action(store, data, (error, answer) => {
      if (error?.statusCode) resolve({ status: error.statusCode, json: error.body ?? {} });
      else if (error) reject(error);
      else resolve({ status: 200, json: answer ?? {} });
    }),
  );
}

/** dynalite's checks of a request's signature: present and well formed (its value is not checked). */
function signatureProblem(headers: http.IncomingHttpHeaders): { type: string; message: string } | undefined {
  const authorization = headers.authorization;
  if (!authorization || authorization.trim().slice(0, 5) !== 'AWS4-') {
    return { type: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' };
  }
  const parameters: Record<string, string> = {};
  for (const pair of authorization.split(/,| /).slice(1).filter(Boolean)) {
    const [name, value] = pair.trim().split('=');
    parameters[name] = value;
  }
  let message = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!parameters[name]) message += `Authorization header requires '${name}' parameter. `;
  }
  if (!headers['x-amz-date'] && !headers.date) message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (!message) return undefined;
  return { type: 'IncompleteSignatureException', message: `${message}Authorization=${authorization}` };
}

/** An answer as dynalite's sendData writes it. */
export function answerOf(status: number, json: unknown, contentType: string): DynaliteAnswer {
  const body = JSON.stringify(json);
  return { status, headers: { 'x-amz-crc32': String(crc32(body)), 'content-type': contentType, 'x-amzn-requestid': requestId() }, body };
}

/** dynalite's request ids: 52 base64 characters, upper-cased, with + and / as 0. */
function requestId(): string {
  return randomBase64(39).toUpperCase().replace(/\+|\//g, '0');
}
