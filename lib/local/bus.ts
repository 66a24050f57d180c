import { createHash, randomUUID } from 'node:crypto';
import type {
  DynamoDBRecord,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  ScheduledEvent,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import type { Clock } from '../clock.js';
import { VirtualClock } from './virtual-clock.js';

/** A Lambda handler as the bus calls it: the AWS event in, anything (or a rejection) out. */
export type BusTarget<E> = (event: E) => unknown;

/** What `putEvents` takes: the fields of a PutEvents entry (detail as an object, not a string). */
export interface BusEventEntry {
  source: string;
  'detail-type': string;
  detail: unknown;
  resources?: string[];
  /** ISO time; defaults to the clock's now. */
  time?: string;
}

/** The subset of EventBridge patterns local mode needs: each listed field must match one value. */
export interface BusEventPattern {
  source?: string[];
  'detail-type'?: string[];
}

export interface LocalBusOptions {
  clock: Clock;
  accountId?: string;
  region?: string;
  /** Delays before the retries of a failed async invocation; Lambda waits about 1 then 2 minutes. */
  asyncRetryDelaysMs?: number[];
  /**
   * Asynchronous invocations running at once, across targets; more wait their turn, as Lambda
   * queues events beyond a function's concurrency. Keeps a burst of task events bounded.
   */
  maxConcurrentInvocations?: number;
  /** First delay before retrying a failed stream batch; doubles each time up to the maximum. */
  streamRetryBaseMs?: number;
  streamRetryMaxMs?: number;
  /** Wall-clock quiet time after which `idle()` treats running work as waiting on a clock timer. */
  stallMs?: number;
  /** Where invocation failures are reported (never thrown). */
  log?: (message: string, error: unknown) => void;
}

export const localBusDefaults = {
  accountId: '000000000000',
  region: 'us-east-1',
  asyncRetryDelaysMs: [60_000, 120_000],
  streamRetryBaseMs: 1_000,
  streamRetryMaxMs: 60_000,
  streamBatchSize: 100,
  stallMs: 500,
  maxConcurrentInvocations: 64,
} as const;

/** How often `idle()` looks again while work is running (wall milliseconds). */
const idlePollMs = 10;

interface Subscription {
  pattern: BusEventPattern;
  target: BusTarget<EventBridgeEvent<string, unknown>>;
}

/** One event source mapping on a table's stream: its own shard iterator over the records. */
interface StreamConsumer {
  target: BusTarget<DynamoDBStreamEvent>;
  filter: (record: DynamoDBRecord) => boolean;
  batchSize: number;
  backlog: DynamoDBRecord[];
  /** A batch is being delivered or waits for its retry; the next one waits behind it. */
  busy: boolean;
  failures: number;
  removed: boolean;
}

interface QueueState {
  target?: BusTarget<SQSEvent>;
  /** Messages whose delay has passed but that no target has taken yet. */
  waiting: SQSRecord[];
  /** Lambda's batching for this queue's target: messages a batch at most, and how long one gathers. */
  batching: { batchSize: number; windowMs: number };
  /** Messages gathering for the next batch, and whether its window's timer runs. */
  gathering: SQSRecord[];
  windowOpen: boolean;
}

/**
 * The in-process stand-in for EventBridge, DynamoDB Streams → Lambda, EventBridge schedules, SQS
 * delay queues and Lambda invocation, handing each target the event shape it gets in AWS.
 *
 * Invocations start on a later microtask (never inside the caller's stack) and run concurrently.
 * Everything the bus starts, and whatever is passed to `track`, is awaited by `idle()`. Delays
 * (schedules, queue delays, retries) are timers on the clock, so a virtual clock driven by
 * `runFor` plays minutes of them in milliseconds.
 */
export class LocalBus {
  readonly clock: Clock;
  private readonly accountId: string;
  private readonly region: string;
  private readonly asyncRetryDelaysMs: readonly number[];
  private readonly streamRetryBaseMs: number;
  private readonly streamRetryMaxMs: number;
  private readonly log: (message: string, error: unknown) => void;

  private readonly running = new Set<Promise<unknown>>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly streams = new Map<string, Set<StreamConsumer>>();
  private readonly schedules = new Map<string, () => void>();
  private readonly queues = new Map<string, QueueState>();
  private messageSequence = 0;
  private activity = 0;
  /** Invocations waiting in `sleep`: running, but only waiting for the clock. */
  private sleepers = 0;
  /** After `close`, nothing is delivered any more: pending timers fire into nothing. */
  private closed = false;
  private readonly stallMs: number;
  private readonly maxConcurrentInvocations: number;
  private invocationsRunning = 0;
  private readonly invocationQueue: (() => void)[] = [];

  constructor(options: LocalBusOptions) {
    this.clock = options.clock;
    this.accountId = options.accountId ?? localBusDefaults.accountId;
    this.region = options.region ?? localBusDefaults.region;
    this.asyncRetryDelaysMs = options.asyncRetryDelaysMs ?? localBusDefaults.asyncRetryDelaysMs;
    this.streamRetryBaseMs = options.streamRetryBaseMs ?? localBusDefaults.streamRetryBaseMs;
    this.streamRetryMaxMs = options.streamRetryMaxMs ?? localBusDefaults.streamRetryMaxMs;
    this.stallMs = options.stallMs ?? localBusDefaults.stallMs;
    this.maxConcurrentInvocations = options.maxConcurrentInvocations ?? localBusDefaults.maxConcurrentInvocations;
    this.log = options.log ?? ((message, error) => console.error(message, error));
  }

  // ---- EventBridge ----

  /** Delivers each entry, as an EventBridge event, to every subscription whose pattern matches. */
  putEvents(entries: BusEventEntry[]): void {
    for (const entry of entries) {
      const event: EventBridgeEvent<string, unknown> = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry['detail-type'],
        source: entry.source,
        account: this.accountId,
        time: entry.time ?? isoSeconds(this.clock.now()),
        region: this.region,
        resources: entry.resources ?? [],
        detail: entry.detail,
      };
      for (const subscription of this.subscriptions) {
        if (matches(subscription.pattern, event)) {
          this.invokeAsync(`event ${event['detail-type']}`, subscription.target, event);
        }
      }
    }
  }

  /** Adds an EventBridge rule with one target; returns a function that removes it. */
  subscribe<E extends EventBridgeEvent<string, unknown>>(pattern: BusEventPattern, target: BusTarget<E>): () => void {
    const subscription: Subscription = { pattern, target: target as BusTarget<EventBridgeEvent<string, unknown>> };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  // ---- DynamoDB Streams ----

  /**
   * An event source mapping from a table's stream (starting at LATEST). Batches go out one at a
   * time in record order, as from a single shard; a failed batch is retried with backoff until it
   * succeeds, and nothing behind it is delivered meanwhile. `filter` plays the mapping's filter
   * criteria: records it rejects are dropped, never delivered. Returns a function that removes it.
   */
  addStreamTarget(
    tableName: string,
    target: BusTarget<DynamoDBStreamEvent>,
    options: { batchSize?: number; filter?: (record: DynamoDBRecord) => boolean } = {},
  ): () => void {
    const consumer: StreamConsumer = {
      target,
      filter: options.filter ?? (() => true),
      batchSize: options.batchSize ?? localBusDefaults.streamBatchSize,
      backlog: [],
      busy: false,
      failures: 0,
      removed: false,
    };
    const consumers = this.streams.get(tableName) ?? new Set<StreamConsumer>();
    consumers.add(consumer);
    this.streams.set(tableName, consumers);
    return () => {
      consumer.removed = true;
      consumers.delete(consumer);
    };
  }

  publishStreamRecord(tableName: string, record: DynamoDBRecord): void {
    for (const consumer of this.streams.get(tableName) ?? []) {
      if (!consumer.filter(record)) continue;
      consumer.backlog.push(record);
      if (!consumer.busy) {
        consumer.busy = true;
        // Deliver on a later microtask so records written together (BatchWriteItem) share a batch.
        this.run(Promise.resolve().then(() => this.deliverStreamBatch(tableName, consumer)));
      }
    }
  }

  private async deliverStreamBatch(tableName: string, consumer: StreamConsumer): Promise<void> {
    if (this.closed || consumer.removed || consumer.backlog.length === 0) {
      consumer.busy = false;
      return;
    }
    const batch = consumer.backlog.slice(0, consumer.batchSize);
    try {
      const failedAt = firstFailedRecord(batch, await consumer.target({ Records: batch }));
      if (failedAt !== undefined) {
        // ReportBatchItemFailures on a stream: the records before the first failed one are done,
        // and the batch is retried from that one on (the shard's checkpoint moves up to it).
        consumer.backlog.splice(0, failedAt);
        throw new PartialBatchFailure(batch.length - failedAt, batch.length);
      }
    } catch (error) {
      consumer.failures++;
      // Worked example with base 1 s, max 60 s: retries after 1, 2, 4, 8, 16, 32, 60, 60 ... seconds.
      const delay = Math.min(this.streamRetryMaxMs, this.streamRetryBaseMs * 2 ** (consumer.failures - 1));
      this.log(`stream batch of ${batch.length} from table ${tableName} failed (attempt ${consumer.failures}); retrying in ${delay} ms`, error);
      this.clock.setTimeout(() => this.run(this.deliverStreamBatch(tableName, consumer)), delay);
      return;
    }
    consumer.failures = 0;
    consumer.backlog.splice(0, batch.length);
    await this.deliverStreamBatch(tableName, consumer);
  }

  // ---- Schedules ----

  /**
   * An EventBridge schedule: `target` gets a ScheduledEvent every `everyMs` of clock time, the
   * first one `everyMs` from now — or, with `onTheClock`, at the next whole multiple of
   * `everyMs` since the epoch (a one-minute schedule at second 0 of every minute), plus
   * `offsetMs` (EventBridge fires rate(1 minute) some seconds into the minute). Replaces a
   * schedule of the same name.
   */
  schedule(name: string, everyMs: number, target: BusTarget<ScheduledEvent>, options: { onTheClock?: boolean; offsetMs?: number } = {}): void {
    if (!(everyMs > 0)) throw new RangeError(`schedule ${name}: everyMs must be positive, got ${everyMs}`);
    this.unschedule(name);
    const now = this.clock.now();
    // Ticks are start + k × everyMs, k ≥ 1. On the clock at 12:00:20.5 with everyMs 60 s: start
    // 12:00:00, first tick 12:01:00; with offsetMs 25 s, start 11:59:25, first tick 12:00:25.
    const offset = options.offsetMs ?? 0;
    const start = options.onTheClock ? Math.floor((now - offset) / everyMs) * everyMs + offset : now;
    const ruleArn = `arn:aws:events:${this.region}:${this.accountId}:rule/${name}`;
    let tick = 0;
    let timer = this.clock.setTimeout(fire, start + everyMs - now);
    const bus = this;
    function fire(): void {
      tick++;
      const event: ScheduledEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: bus.accountId,
        time: isoSeconds(bus.clock.now()),
        region: bus.region,
        resources: [ruleArn],
        detail: {},
      };
      // Each tick is planned from the start, not from the last firing, so ticks never drift.
      timer = bus.clock.setTimeout(fire, start + (tick + 1) * everyMs - bus.clock.now());
      bus.invokeAsync(`schedule ${name}`, target, event);
    }
    this.schedules.set(name, () => this.clock.clearTimeout(timer));
  }

  unschedule(name: string): void {
    this.schedules.get(name)?.();
    this.schedules.delete(name);
  }

  // ---- SQS ----

  /** Sends a message that becomes visible after `delaySeconds` of clock time (0..900, as in SQS). */
  sendMessage(queue: string, body: string, delaySeconds = 0): void {
    if (!(delaySeconds >= 0 && delaySeconds <= 900)) {
      throw new RangeError(`queue ${queue}: delaySeconds must be 0..900, got ${delaySeconds}`);
    }
    const sentAt = this.clock.now();
    const sequence = ++this.messageSequence;
    const deliver = (): void => {
      const record: SQSRecord = {
        messageId: randomUUID(),
        receiptHandle: `local-${sequence}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(sentAt),
          SenderId: this.accountId,
          ApproximateFirstReceiveTimestamp: String(this.clock.now()),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${this.region}:${this.accountId}:${queue}`,
        awsRegion: this.region,
      };
      const state = this.queue(queue);
      if (state.target) this.gather(queue, state, record);
      else state.waiting.push(record);
    };
    if (delaySeconds === 0) this.run(Promise.resolve().then(deliver));
    else this.clock.setTimeout(deliver, delaySeconds * 1000);
  }

  /**
   * Makes `target` the queue's consumer; messages that arrived before it are delivered now. As
   * Lambda's SQS event source does, a batch holds up to `batchSize` messages (default 1) and,
   * with `batchingWindowMs`, gathers for that long after its first message unless it fills first.
   * A message the target reports in `batchItemFailures` (or fails on) is redelivered like a
   * failed invocation.
   */
  addQueueTarget(queue: string, target: BusTarget<SQSEvent>, batching: { batchSize?: number; batchingWindowMs?: number } = {}): void {
    const state = this.queue(queue);
    state.target = async (event: SQSEvent) => {
      const result = await target(event);
      const failedAt = firstFailedRecord(event.Records, result);
      if (failedAt !== undefined) throw new PartialBatchFailure(event.Records.length - failedAt, event.Records.length);
      return result;
    };
    state.batching = { batchSize: batching.batchSize ?? 1, windowMs: batching.batchingWindowMs ?? 0 };
    for (const record of state.waiting.splice(0)) this.gather(queue, state, record);
  }

  private gather(queue: string, state: QueueState, record: SQSRecord): void {
    state.gathering.push(record);
    const flush = () => {
      state.windowOpen = false;
      while (state.gathering.length > 0) {
        this.invokeAsync(`queue ${queue}`, state.target!, { Records: state.gathering.splice(0, state.batching.batchSize) });
      }
    };
    if (state.gathering.length >= state.batching.batchSize || state.batching.windowMs === 0) {
      if (!state.windowOpen) flush();
      else if (state.gathering.length >= state.batching.batchSize) this.invokeAsync(`queue ${queue}`, state.target!, { Records: state.gathering.splice(0, state.batching.batchSize) });
      return;
    }
    if (state.windowOpen) return;
    state.windowOpen = true;
    this.clock.setTimeout(flush, state.batching.windowMs);
  }

  private queue(name: string): QueueState {
    let state = this.queues.get(name);
    if (!state) {
      state = { waiting: [], batching: { batchSize: 1, windowMs: 0 }, gathering: [], windowOpen: false };
      this.queues.set(name, state);
    }
    return state;
  }

  // ---- Invocation and settling ----

  /**
   * An asynchronous Lambda invocation: runs concurrently with everything else; on failure it is
   * retried after each of `asyncRetryDelaysMs` (twice by default), then dropped with a log line.
   */
  invokeAsync<E>(description: string, target: BusTarget<E>, event: E, attempt = 0): void {
    if (this.closed) return;
    this.run(
      (async () => {
        // Start on a later microtask: an invocation never runs inside the caller's stack.
        await Promise.resolve();
        await this.invocationSlot();
        try {
          await target(event);
        } catch (error) {
          const delay = this.asyncRetryDelaysMs[attempt];
          if (delay === undefined) {
            this.log(`${description}: invocation failed after ${attempt + 1} attempts; dropping the event`, error);
            return;
          }
          this.log(`${description}: invocation failed (attempt ${attempt + 1}); retrying in ${delay} ms`, error);
          this.clock.setTimeout(() => this.invokeAsync(description, target, event, attempt + 1), delay);
        } finally {
          this.releaseInvocationSlot();
        }
      })(),
    );
  }

  /**
   * Stops all deliveries: schedules end and pending messages, retries and events are dropped,
   * as when local mode shuts down. Work already running is left to finish (see `idle`).
   */
  close(): void {
    this.closed = true;
    for (const name of [...this.schedules.keys()]) this.unschedule(name);
    this.subscriptions.clear();
  }

  private async invocationSlot(): Promise<void> {
    if (this.invocationsRunning < this.maxConcurrentInvocations) {
      this.invocationsRunning++;
      return;
    }
    await new Promise<void>((resolve) => this.invocationQueue.push(resolve));
  }

  /** Hands the slot straight to the next waiting invocation, if any. */
  private releaseInvocationSlot(): void {
    const next = this.invocationQueue.shift();
    if (next) next();
    else this.invocationsRunning--;
  }

  /** Reports a failure of work the bus hosts (rotation steps, emulator faults) the same way as its own. */
  reportFailure(message: string, error: unknown): void {
    this.log(message, error);
  }

  /**
   * Waits `ms` of clock time, as a Lambda handler sleeps. Unlike a plain timer await, `idle()`
   * knows such work waits only for the clock: once everything running is asleep it lets
   * `runFor` move time at once, without the stall guard's wall-clock pause.
   */
  sleep(ms: number): Promise<void> {
    this.sleepers++;
    return new Promise<void>((resolve) =>
      this.clock.setTimeout(() => {
        // Awake from the moment the timer fires, before the sleeper's continuation runs, so the
        // `idle()` that follows the firing waits for it.
        this.sleepers--;
        resolve();
      }, ms),
    );
  }

  /** Makes `idle()` wait for work the bus did not start itself; returns the same promise. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.run(promise);
    return promise;
  }

  private run(promise: Promise<unknown>): void {
    const settled = promise.then(
      () => undefined,
      (error: unknown) => this.log('tracked work failed', error),
    );
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
  }

  /**
   * Counts as progress for `idle()`'s stall guard; the local endpoint calls it on every request,
   * so a handler busy with HTTP calls is never mistaken for one waiting on a clock timer.
   */
  noteActivity(): void {
    this.activity++;
  }

  /**
   * Resolves once nothing the bus knows of is running and nothing is due now. With a virtual
   * clock, timers due at the current time are fired here; timers in the future do not count.
   *
   * Stall guard: with a virtual clock, work that awaits a future timer (say `sleep(clock, 5000)`)
   * can only finish once the clock moves, so when nothing settles and no request reaches the
   * endpoint for `stallMs` of wall time while a future timer is pending, `idle()` resolves and
   * lets `runFor` advance time instead of waiting forever.
   */
  async idle(): Promise<void> {
    let lastActivity = this.activity;
    let quietSince = performance.now();
    for (;;) {
      if (this.fireDueTimers()) continue;
      if (this.running.size > 0) {
        if (this.running.size <= this.sleepers && this.waitsOnFutureTimer()) return;
        const settled = await Promise.race([
          Promise.race(this.running).then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), idlePollMs)),
        ]);
        if (settled || this.activity !== lastActivity) {
          lastActivity = this.activity;
          quietSince = performance.now();
        } else if (this.waitsOnFutureTimer() && performance.now() - quietSince >= this.stallMs) {
          return;
        }
        continue;
      }
      // Let pending I/O callbacks (HTTP responses, sockets) run, then confirm nothing new started.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.running.size === 0 && !this.hasDueTimers()) return;
    }
  }

  /**
   * Advances a virtual clock to `now + ms`, one due time at a time, settling all async work
   * (`idle()`) after each firing, so chains like timer → event → handler → HTTP call → new timer
   * play out in order.
   */
  async runFor(clock: VirtualClock, ms: number): Promise<void> {
    await this.runUntil(clock, () => false, ms);
  }

  /**
   * Like `runFor`, but stops as soon as `predicate` holds (checked after each settled step);
   * returns whether it held within `maxMs`.
   */
  async runUntil(clock: VirtualClock, predicate: () => boolean | Promise<boolean>, maxMs: number): Promise<boolean> {
    const end = clock.now() + maxMs;
    await this.idle();
    for (;;) {
      if (await predicate()) return true;
      const next = clock.nextTimerAt();
      if (next === undefined || next > end) break;
      clock.advanceTo(Math.max(next, clock.now()));
      await this.idle();
    }
    clock.advanceTo(end);
    await this.idle();
    return predicate();
  }

  private waitsOnFutureTimer(): boolean {
    return this.clock instanceof VirtualClock && this.clock.nextTimerAt() !== undefined;
  }

  private hasDueTimers(): boolean {
    if (!(this.clock instanceof VirtualClock)) return false;
    const next = this.clock.nextTimerAt();
    return next !== undefined && next <= this.clock.now();
  }

  private fireDueTimers(): boolean {
    if (!this.hasDueTimers()) return false;
    (this.clock as VirtualClock).advance(0);
    return true;
  }
}

/** A batch whose target answered with item failures, as the bus reports it. */
class PartialBatchFailure extends Error {
  constructor(failed: number, of: number) {
    super(`${failed} of ${of} records reported as failed (batchItemFailures)`);
    this.name = 'PartialBatchFailure';
  }
}

/**
 * The index of the first record a target's answer names in `batchItemFailures` (by SQS message
 * id or stream sequence number), or undefined when it names none.
 */
function firstFailedRecord(records: readonly (DynamoDBRecord | SQSRecord)[], answer: unknown): number | undefined {
  const failures = (answer as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return undefined;
  const failed = new Set(failures.map((f) => f.itemIdentifier));
  const index = records.findIndex((record) => failed.has('messageId' in record ? record.messageId : record.dynamodb?.SequenceNumber));
  // An identifier that names no record of the batch fails the whole batch, as Lambda does.
  return index === -1 ? 0 : index;
}

function matches(pattern: BusEventPattern, event: EventBridgeEvent<string, unknown>): boolean {
  if (pattern.source && !pattern.source.includes(event.source)) return false;
  if (pattern['detail-type'] && !pattern['detail-type'].includes(event['detail-type'])) return false;
  return true;
}

/** EventBridge times are ISO 8601 to the second: "2026-01-01T00:00:00Z". */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
