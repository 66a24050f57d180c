import type { EventBridgeEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerHandler, type ReconcilerHandlerDependencies } from '../../lib/reconciler/handler.js';
import { reconcileService } from '../../lib/reconciler/runner.js';
import { lambdaContext } from '../../lib/local/lambda-context.js';
import { call } from '../support/http.js';
import { getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';
import { seededRandom } from '../support/seeded-random.js';

type TaskEvent = EventBridgeEvent<'ECS Task State Change', { taskArn: string; startedBy?: string }>;

const replicas = 3;
const spec = (image: string) => ({ image, replicas, rollout: { minHealthySeconds: 0, maxSurge: 1, maxUnavailable: 0 } });

/** An SQS batch of task-event queue messages, as Lambda hands them to the reconciler. */
const batchOf = (events: TaskEvent[]): SQSEvent => ({
  Records: events.map((event, i) => ({ messageId: `m-${i}-${Math.random()}`, body: JSON.stringify(event), eventSource: 'aws:sqs' }) as SQSRecord),
});

/**
 * Task state changes are delivered at least once, in no order and in batches of any size: the
 * reconciler, which observes from the tasks it knows plus those the events name, must keep the
 * rollout bounds and converge whatever the delivery. Each run rolls a service from v1 to v2 while
 * its events reach the handler shuffled, duplicated, replayed late and split into random batches,
 * some handled concurrently.
 */
describe('task events duplicated, reordered and coalesced', () => {
  let rt: TestRuntime;
  let handler: ReturnType<typeof createReconcilerHandler>;
  const inbox: TaskEvent[] = [];
  beforeAll(async () => {
    rt = await startTestRuntime({ reconcile: false });
    handler = createReconcilerHandler(rt.reconcilerDeps as ReconcilerHandlerDependencies);
    rt.bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (event) => void inbox.push(event as TaskEvent));
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('keeps the rollout bounds and converges', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const random = seededRandom(seed);
        const name = `delivery-${run++}`;
        await call(rt.apiUrl, 'PUT', `/services/${name}`, spec('app:1'));
        for (let i = 0; i < 6 && (await getService(rt, name)).status?.phase !== 'Available'; i++) {
          await reconcileService({ ...rt.reconcilerDeps, holder: `setup-${i}` }, name);
          await rt.run(2_000);
        }
        expect((await getService(rt, name)).status.phase).toBe('Available');
        rt.watcher.guardBounds(name, replicas + 1, replicas);
        inbox.length = 0;
        const delivered: TaskEvent[] = [];
        await call(rt.apiUrl, 'PUT', `/services/${name}`, spec('app:2'));
        await reconcileService({ ...rt.reconcilerDeps, holder: 'spec-change' }, name);

        for (let step = 0; step < 60; step++) {
          await rt.bus.idle();
          const fresh = inbox.splice(0).filter((e) => e.detail.startedBy === `corral/${name}`);
          const replays = delivered.filter(() => random() < 0.1);
          const duplicates = fresh.filter(() => random() < 0.3);
          const pending = [...fresh, ...duplicates, ...replays].sort(() => random() - 0.5);
          delivered.push(...fresh);
          const batches: TaskEvent[][] = [];
          while (pending.length > 0) batches.push(pending.splice(0, 1 + Math.floor(random() * 6)));
          // Some batches at once (concurrent invocations), the rest one after the other.
          const concurrent = batches.filter(() => random() < 0.4);
          await Promise.all(concurrent.map((batch) => handler(batchOf(batch), lambdaContext('corral-reconciler'))));
          for (const batch of batches.filter((b) => !concurrent.includes(b))) await handler(batchOf(batch), lambdaContext('corral-reconciler'));
          await rt.run(1_000 + Math.floor(random() * 4_000));
          const status = (await getService(rt, name)).status;
          if (status.phase === 'Available' && status.revision === 2 && (await rt.liveTasks(name)).length === replicas) break;
        }
        const status = (await getService(rt, name)).status;
        expect({ phase: status.phase, revision: status.revision }).toEqual({ phase: 'Available', revision: 2 });
        expect((await rt.liveTasks(name)).every((t) => t.revision === 2)).toBe(true);
        expect(rt.watcher.violations).toEqual([]);
      }),
      { numRuns: 4 },
    );
  }, 60_000);
});
