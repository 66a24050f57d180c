import type { DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, test } from 'vitest';
import { LocalBus } from '../../lib/local/bus.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';

function setup(options: Partial<ConstructorParameters<typeof LocalBus>[0]> = {}) {
  const clock = new VirtualClock();
  const logged: string[] = [];
  const bus = new LocalBus({ clock, log: (message) => logged.push(message), ...options });
  return { clock, bus, logged };
}

const record = (n: number): DynamoDBRecord => ({ eventName: 'INSERT', dynamodb: { SequenceNumber: String(n) } });

describe('LocalBus concurrency', () => {
  test('runs at most maxConcurrentInvocations at once and queues the rest, losing none', async () => {
    const { bus } = setup({ maxConcurrentInvocations: 2 });
    let running = 0;
    let peak = 0;
    const handled: number[] = [];
    bus.subscribe({ source: ['burst'] }, async (e: EventBridgeEvent<string, { n: number }>) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      handled.push(e.detail.n);
      running--;
    });
    bus.putEvents(Array.from({ length: 7 }, (_, n) => ({ source: 'burst', 'detail-type': 'x', detail: { n } })));
    await bus.idle();
    expect(peak).toBe(2);
    expect(handled.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('LocalBus events', () => {
  test('delivers EventBridge-shaped events to subscriptions whose pattern matches', async () => {
    const { bus, clock } = setup();
    const ecs: EventBridgeEvent<string, unknown>[] = [];
    const all: string[] = [];
    bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (e) => void ecs.push(e));
    bus.subscribe({}, (e: EventBridgeEvent<string, unknown>) => void all.push(e.source));
    bus.putEvents([
      { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: { lastStatus: 'RUNNING' }, resources: ['arn:task'] },
      { source: 'aws.ecs', 'detail-type': 'ECS Container Instance State Change', detail: {} },
      { source: 'corral', 'detail-type': 'ECS Task State Change', detail: {} },
    ]);
    expect(ecs).toEqual([]); // never inside the caller's stack
    await bus.idle();
    expect(ecs).toHaveLength(1);
    expect(ecs[0]).toMatchObject({
      version: '0',
      source: 'aws.ecs',
      'detail-type': 'ECS Task State Change',
      account: '000000000000',
      region: 'us-east-1',
      time: new Date(clock.now()).toISOString().replace('.000Z', 'Z'),
      resources: ['arn:task'],
      detail: { lastStatus: 'RUNNING' },
    });
    expect(ecs[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(all).toEqual(['aws.ecs', 'aws.ecs', 'corral']);
  });

  test('a throwing target is retried twice after backoff on the clock, then dropped with a log line', async () => {
    const { bus, clock, logged } = setup();
    const attempts: number[] = [];
    bus.subscribe({ source: ['test'] }, () => {
      attempts.push(clock.now() - start);
      throw new Error('boom');
    });
    const start = clock.now();
    bus.putEvents([{ source: 'test', 'detail-type': 'x', detail: {} }]);
    await bus.runFor(clock, 10 * 60_000);
    expect(attempts).toEqual([0, 60_000, 180_000]);
    expect(logged).toHaveLength(3);
    expect(logged[2]).toContain('dropping');
  });
});

describe('LocalBus streams', () => {
  test('batches go out in order, one at a time, at most batchSize records each', async () => {
    const { bus } = setup();
    const batches: string[][] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    bus.addStreamTarget(
      'corral',
      async (event: DynamoDBStreamEvent) => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((resolve) => setImmediate(resolve));
        batches.push(event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ''));
        concurrent--;
      },
      { batchSize: 2 },
    );
    for (let n = 1; n <= 5; n++) bus.publishStreamRecord('corral', record(n));
    bus.publishStreamRecord('other-table', record(99));
    await bus.idle();
    expect(batches).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(maxConcurrent).toBe(1);
  });

  test('a failing batch is retried with backoff until it succeeds, and holds back the records behind it', async () => {
    const { bus, clock, logged } = setup();
    const seen: { at: number; records: string[] }[] = [];
    let failuresLeft = 3;
    const start = clock.now();
    bus.addStreamTarget('corral', (event: DynamoDBStreamEvent) => {
      seen.push({ at: clock.now() - start, records: event.Records.map((r) => r.dynamodb?.SequenceNumber ?? '') });
      if (failuresLeft-- > 0) throw new Error('handler down');
    });
    bus.publishStreamRecord('corral', record(1));
    await bus.idle();
    bus.publishStreamRecord('corral', record(2));
    await bus.runFor(clock, 60_000);
    // Failed at 0, retried after 1 s, 2 s and 4 s; the 4th attempt (at 7 s) succeeds, then record 2 follows.
    expect(seen).toEqual([
      { at: 0, records: ['1'] },
      { at: 1_000, records: ['1', '2'] },
      { at: 3_000, records: ['1', '2'] },
      { at: 7_000, records: ['1', '2'] },
    ]);
    expect(logged).toHaveLength(3);
  });
});

describe('LocalBus schedules and queues', () => {
  test('a schedule fires a ScheduledEvent every period of clock time until unscheduled', async () => {
    const { bus, clock } = setup();
    const start = clock.now();
    const events: ScheduledEvent[] = [];
    bus.schedule('sweep', 60_000, (e) => void events.push(e));
    await bus.runFor(clock, 3 * 60_000 + 1);
    expect(events.map((e) => Date.parse(e.time) - start)).toEqual([60_000, 120_000, 180_000]);
    expect(events[0]).toMatchObject({ source: 'aws.events', 'detail-type': 'Scheduled Event', resources: ['arn:aws:events:us-east-1:000000000000:rule/sweep'] });
    bus.unschedule('sweep');
    await bus.runFor(clock, 10 * 60_000);
    expect(events).toHaveLength(3);
  });

  test('a queue message reaches its target as an SQSEvent after the delay', async () => {
    const { bus, clock } = setup();
    const received: { at: number; event: SQSEvent }[] = [];
    const start = clock.now();
    bus.addQueueTarget('requeue', (event) => void received.push({ at: clock.now() - start, event }));
    bus.sendMessage('requeue', '{"service":"web"}', 30);
    bus.sendMessage('requeue', '{"service":"api"}', 0);
    await bus.runFor(clock, 29_000);
    expect(received.map((r) => r.event.Records[0].body)).toEqual(['{"service":"api"}']);
    await bus.runFor(clock, 2_000);
    expect(received.map((r) => [r.at, r.event.Records[0].body])).toEqual([
      [0, '{"service":"api"}'],
      [30_000, '{"service":"web"}'],
    ]);
    expect(received[1].event.Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:requeue',
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });
});

describe('LocalBus queue batching, as Lambda’s SQS event source', () => {
  test('a batching window gathers a burst into one invocation; a full batch goes at once', async () => {
    const { bus, clock } = setup();
    const batches: { at: number; bodies: string[] }[] = [];
    const start = clock.now();
    bus.addQueueTarget('events', (event) => void batches.push({ at: clock.now() - start, bodies: event.Records.map((r) => r.body) }), { batchSize: 3, batchingWindowMs: 1_000 });
    for (const n of [1, 2]) bus.sendMessage('events', `m${n}`);
    await bus.runFor(clock, 500);
    expect(batches).toEqual([]);
    await bus.runFor(clock, 600);
    expect(batches).toEqual([{ at: 1_000, bodies: ['m1', 'm2'] }]);
    for (const n of [3, 4, 5, 6]) bus.sendMessage('events', `m${n}`);
    await bus.idle();
    expect(batches[1]).toEqual({ at: 1_100, bodies: ['m3', 'm4', 'm5'] });
    await bus.runFor(clock, 1_000);
    expect(batches[2]).toEqual({ at: 2_100, bodies: ['m6'] });
    expect(batches).toHaveLength(3);
  });
});

describe('LocalBus settling', () => {
  test('runFor plays a chain of timer → event → handler → new timer in order', async () => {
    const { bus, clock } = setup();
    const start = clock.now();
    const log: string[] = [];
    bus.subscribe({ source: ['chain'] }, async (e: EventBridgeEvent<string, { step: number }>) => {
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`step ${e.detail.step} at ${clock.now() - start}`);
      if (e.detail.step < 3) {
        clock.setTimeout(() => bus.putEvents([{ source: 'chain', 'detail-type': 'x', detail: { step: e.detail.step + 1 } }]), 1_000);
      }
    });
    bus.putEvents([{ source: 'chain', 'detail-type': 'x', detail: { step: 1 } }]);
    await bus.runFor(clock, 10_000);
    expect(log).toEqual(['step 1 at 0', 'step 2 at 1000', 'step 3 at 2000']);
    expect(clock.now() - start).toBe(10_000);
  });

  test('idle waits for tracked work; runUntil stops when the predicate holds', async () => {
    const { bus, clock } = setup();
    let done = false;
    void bus.track(new Promise<void>((resolve) => setTimeout(() => {
      done = true;
      resolve();
    }, 20)));
    await bus.idle();
    expect(done).toBe(true);

    let ticks = 0;
    bus.schedule('tick', 1_000, () => void ticks++);
    const start = clock.now();
    expect(await bus.runUntil(clock, () => ticks >= 3, 60_000)).toBe(true);
    expect(clock.now() - start).toBe(3_000);
    expect(await bus.runUntil(clock, () => ticks >= 1_000, 5_000)).toBe(false);
  });

  test('work waiting on a future clock timer does not hang runFor', async () => {
    const { bus, clock } = setup({ stallMs: 20 });
    const start = clock.now();
    let finishedAt: number | undefined;
    bus.subscribe({ source: ['sleepy'] }, async () => {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 5_000));
      finishedAt = clock.now() - start;
    });
    bus.putEvents([{ source: 'sleepy', 'detail-type': 'x', detail: {} }]);
    await bus.runFor(clock, 10_000);
    expect(finishedAt).toBe(5_000);
  });
});
