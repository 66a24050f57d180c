import { Logger } from '@aws-lambda-powertools/logger';
import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaderElector } from '../../lib/aws/leader-election.js';
import { createDispatcherHandler } from '../../lib/dispatcher/handler.js';
import { WakeUps } from '../../lib/dispatcher/wake-ups.js';
import { BusWakeUpQueue } from '../../lib/local/bus-wake-up-queue.js';
import { lambdaContext } from '../../lib/local/lambda-context.js';
import type { VirtualClock } from '../../lib/local/virtual-clock.js';
import { startTestRuntime, type TestRuntime } from '../support/local-mode.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ reconcile: false });
});
afterAll(async () => {
  await rt?.close();
});

/** The one-minute schedule's event, now. */
const tick = (): ScheduledEvent => ({
  version: '0', id: 'tick', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000',
  time: new Date(rt.clock.now()).toISOString(), region: 'us-east-1', resources: [], detail: {},
});

describe('a dispatcher pass longer than its lease', () => {
  it('keeps leading while the pass renews as it goes, so a contender cannot take over mid-pass', async () => {
    const leases = rt.reconcilerDeps.leases;
    const clock = rt.clock as VirtualClock;
    const contender = new LeaderElector({ store: leases, name: 'dispatcher', holder: 'contender' });
    const contended: boolean[] = [];
    let token: number | undefined;
    const handler = createDispatcherHandler({
      elector: new LeaderElector({ store: leases, name: 'dispatcher', holder: 'long' }),
      wakeUpElector: new LeaderElector({ store: leases, name: 'dispatcher', holder: 'long-wake-up' }),
      tasks: [{
        name: 'long pass',
        // 50 s in 5 s steps, three times the 15 s lease, renewing before each step's work.
        run: async (lease, _now, _trigger, keepLeading) => {
          token = lease.token;
          for (let step = 0; step < 10; step++) {
            clock.advance(5_000);
            await keepLeading();
            contended.push(await contender.tryAcquireOrRenew(clock.now()));
          }
        },
      }],
      jobs: rt.jobs,
      wakeUps: new WakeUps(new BusWakeUpQueue(rt.bus, 'corral-dispatcher-wake-ups'), rt.jobs),
      clock,
      sleep: (ms) => rt.bus.sleep(ms),
      logger: new Logger({ serviceName: 'corral-dispatcher', logLevel: 'SILENT' }),
      metrics: rt.metrics.forFunction(),
    });
    expect(await handler(tick(), lambdaContext('corral-dispatcher'))).toEqual({ led: true });
    expect(contended).toEqual(Array(10).fill(false));
    expect(token).toBeDefined();
    expect(rt.metrics.sum('LeaseLost')).toBe(0);
  });
});

describe('a dispatcher overtaken during its pass', () => {
  it('stops leading and counts LeaseLost once', async () => {
    const leases = rt.reconcilerDeps.leases;
    const metrics = rt.metrics.forFunction();
    const handler = createDispatcherHandler({
      elector: new LeaderElector({ store: leases, name: 'dispatcher', holder: 'paused' }),
      wakeUpElector: new LeaderElector({ store: leases, name: 'dispatcher', holder: 'paused-wake-up' }),
      tasks: [{
        name: 'long pass',
        // The pass outlives the lease (a paused Lambda): a successor takes it, and the renewal
        // this leader tries next is refused by the lease store.
        run: async (lease, now) => {
          await leases.acquire('dispatcher', 'successor', now + 61_000, { leaseDurationMs: 60_000 });
          await leases.renew(lease, now + 61_000);
        },
      }],
      jobs: rt.jobs,
      wakeUps: new WakeUps(new BusWakeUpQueue(rt.bus, 'corral-dispatcher-wake-ups'), rt.jobs),
      clock: rt.clock,
      sleep: (ms) => rt.bus.sleep(ms),
      logger: new Logger({ serviceName: 'corral-dispatcher', logLevel: 'SILENT' }),
      metrics,
    });
    expect(await handler(tick(), lambdaContext('corral-dispatcher'))).toEqual({ led: false });
    // logMetrics published the invocation's aggregate document as the handler ended.
    expect(rt.metrics.sum('LeaseLost')).toBe(1);
    expect(rt.metrics.sum('FencedWriteRejected')).toBe(0);
    expect((await leases.read('dispatcher'))?.holder).toBe('successor');
  });
});
