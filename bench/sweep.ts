import { reconcileService, type ReconcilerDependencies } from '../lib/reconciler/runner.js';
import { sweep, sweepDefaults, type SweepOptions, type SweepResult } from '../lib/reconciler/sweep.js';
import { DynamoSweepProgress, sweepFromTheStart, type SweepProgress } from '../lib/aws/sweep-progress.js';
import { startLocalRuntime, zeroDelays, type LocalRuntime } from '../lib/local/runtime.js';
import type { Clock } from '../lib/clock.js';
import type { VirtualClock } from '../lib/local/virtual-clock.js';
import { ListTasksCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import type { IdleTick } from './idle-bill.js';
import { type ByOperation, readStats, resetStats } from './counted-calls.js';

export interface SweepFigures {
  services: number;
  tasks: number;
  /** Of `tasks`, the STOPPED ones ECS still lists (the churn). */
  stoppedTasks: number;
  /** Services the measured sweep reconciled under their lease. */
  reconciled: number;
  /** Every call the sweep made, counted by the local endpoint. */
  byOperation: ByOperation;
  minimumCalls: number;
  wallMs: number;
  /**
   * One whole dispatcher tick on the same fleet (leader lease, jobs pass, sweep), for the idle
   * bill; fleets of up to 100 services only, whose sweep fits the pace's burst (a larger one
   * would wait for virtual time that nothing moves on during the tick).
   */
  idleTick?: IdleTick;
  /** ECS throttled the measured sweep (it ran under `ecsRateLimits: "aws"`). */
  throttled: boolean;
  /** The fleet swept at a tenth of the default pace, as a fleet ten times larger would be (`scaledBudget`). */
  scaled?: ScaledSweeps;
}

/** Sweeps at a tenth of the budget until every service was planned and the listing went round once. */
export interface ScaledSweeps {
  /** The most ECS task reads one sweep made. */
  maxReadsPerSweep: number;
  /** Sweeps until every service had been planned at least once. */
  sweepsToPlanAll: number;
  /** Sweeps until the cluster listing finished a pass. */
  sweepsToList: number;
  throttled: boolean;
}

/** A tenth of the default budget, for a fleet a tenth of the size that budget is sized against. */
const tenthBudget: SweepOptions = {
  ...sweepDefaults,
  pace: { capacity: sweepDefaults.pace.capacity / 10, refillPerSecond: sweepDefaults.pace.refillPerSecond / 10 },
};

/**
 * One sweep on virtual time that passes only while the sweep waits for its pace: a wait moves the
 * clock on by its length (firing whatever else falls due, ECS's token buckets refilling with it),
 * so the figures are what the sweep would do against ECS's real buckets in real time.
 */
async function sweepOnTheClock(rt: LocalRuntime, deps: ReconcilerDependencies, progress: SweepProgress, options: SweepOptions = sweepDefaults): Promise<SweepResult> {
  const clock = rt.clock as VirtualClock;
  const waiting: Clock = {
    now: () => clock.now(),
    setTimeout: (fn, ms) => {
      const due = clock.now() + ms;
      const timer = clock.setTimeout(fn, ms);
      queueMicrotask(() => clock.advanceTo(Math.max(clock.now(), due)));
      return timer;
    },
    clearTimeout: (timer) => clock.clearTimeout(timer),
  };
  return sweep({ ...deps, clock: waiting }, { progress }, options);
}

/** The sweep's position item, under a lease of the bench's own (taken before any counting starts). */
async function benchProgress(rt: LocalRuntime): Promise<DynamoSweepProgress> {
  const lease = await rt.reconcilerDeps.leases.acquire('bench-sweep', 'bench', rt.clock.now(), { leaseDurationMs: 24 * 3_600_000 });
  return new DynamoSweepProgress(rt.clients.documents, rt.tableName, lease);
}

export async function benchSweep(services: number, replicas: number, scaledBudget = false): Promise<SweepFigures> {
  // The reconciler is invoked directly rather than by every task event: the figure wanted is one
  // steady-state sweep, and 30,000 start-up events would only slow the set-up down.
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: zeroDelays, reconcile: false });
  const clock = rt.clock as VirtualClock;
  try {
    const names = Array.from({ length: services }, (_, i) => `svc-${i}`);
    for (const name of names) {
      await fetch(`${rt.apiUrl}/services/${name}`, {
        method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image: 'bench:1', replicas, rollout: { minHealthySeconds: 0 } }),
      });
    }
    const reconcile = { ...rt.reconcilerDeps, holder: 'bench-setup' };
    for (let i = 0; i < names.length; i += 16) {
      await Promise.all(names.slice(i, i + 16).map((name) => reconcileService(reconcile, name)));
    }
    await rt.bus.runFor(clock, 5_000);
    const deps = { ...rt.reconcilerDeps, holder: 'bench' };
    await sweepOnTheClock(rt, deps, sweepFromTheStart());
    // Churn: one task of every tenth service stops; the next sweeps replace it and settle.
    for (const name of names.filter((_, i) => i % 10 === 0)) {
      const listed = await rt.clients.ecs.send(new ListTasksCommand({ cluster: rt.clusterName, startedBy: `corral/${name}`, maxResults: 1 }));
      await rt.clients.ecs.send(new StopTaskCommand({ cluster: rt.clusterName, task: listed.taskArns![0], reason: 'bench churn' }));
    }
    for (let round = 0; round < 3; round++) {
      await rt.bus.runFor(clock, 5_000);
      await sweepOnTheClock(rt, deps, sweepFromTheStart());
    }
    // From here ECS throttles as AWS does: the sweep paces itself below its token buckets.
    await fetch(`${rt.awsUrl}/_corral/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ecsRateLimits: 'aws' }) });
    const progress = await benchProgress(rt);
    const scaled = scaledBudget ? await sweepsAtATenth(rt, deps, progress) : undefined;
    await resetStats(rt.awsUrl);
    const start = performance.now();
    const result = await sweepOnTheClock(rt, deps, progress);
    const wallMs = performance.now() - start;
    const byOperation = await readStats(rt.awsUrl);
    let stoppedTasks = 0;
    let nextToken: string | undefined;
    do {
      const page = await rt.clients.ecs.send(new ListTasksCommand({ cluster: rt.clusterName, desiredStatus: 'STOPPED', ...(nextToken ? { nextToken } : {}) }));
      stoppedTasks += page.taskArns?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    const idleTick = services <= 100 ? await measureIdleTick(rt) : undefined;
    const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
    const live = result.tasks - stoppedTasks;
    return {
      services, tasks: result.tasks, stoppedTasks, reconciled: result.reconciled, byOperation, throttled: result.throttled,
      ...(scaled ? { scaled } : {}),
      minimumCalls: pages(live) + pages(stoppedTasks) + Math.ceil(live / 100), wallMs,
      ...(idleTick ? { idleTick } : {}),
    };
  } finally {
    await rt.close();
  }
}

/**
 * A fleet ten times this one, modelled by sweeping this one at a tenth of the budget: every
 * figure of the sweep's work (describes, listing pages) scales with the fleet, and so does the
 * budget, so the sweeps a fleet ten times larger needs under the default budget are these.
 */
async function sweepsAtATenth(rt: LocalRuntime, deps: ReconcilerDependencies, progress: DynamoSweepProgress): Promise<ScaledSweeps> {
  const clock = rt.clock as VirtualClock;
  let maxReadsPerSweep = 0;
  let planned = 0;
  let sweepsToPlanAll = 0;
  let sweepsToList = 0;
  let throttled = false;
  for (let n = 1; n <= 30 && (sweepsToPlanAll === 0 || sweepsToList === 0); n++) {
    const result = await sweepOnTheClock(rt, deps, progress, tenthBudget);
    maxReadsPerSweep = Math.max(maxReadsPerSweep, result.ecsReads);
    throttled ||= result.throttled;
    planned += result.planned;
    if (sweepsToPlanAll === 0 && planned >= result.services) sweepsToPlanAll = n;
    if (sweepsToList === 0 && result.listingDone) sweepsToList = n;
    // The next tick comes a minute after this one began.
    await rt.bus.runFor(clock, 15_000);
  }
  return { maxReadsPerSweep, sweepsToPlanAll, sweepsToList, throttled };
}

/** One whole tick as the schedule fires it, then the sizes of what it read. */
async function measureIdleTick(rt: LocalRuntime): Promise<IdleTick> {
  const clock = rt.clock as VirtualClock;
  await resetStats(rt.awsUrl);
  const tickStart = performance.now();
  await rt.createDispatcher()({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date(clock.now()).toISOString() } as ScheduledEvent);
  const tickWallMs = performance.now() - tickStart;
  const tickCalls = await readStats(rt.awsUrl);
  const sizes = { spec: [] as number[], status: [] as number[] };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await rt.clients.documents.send(new ScanCommand({ TableName: rt.tableName, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      if (!String(item.pk).startsWith('service#')) continue;
      // JSON text: a little above DynamoDB's own item size (names + values), so never an underestimate.
      if (item.sk === 'spec') sizes.spec.push(Buffer.byteLength(JSON.stringify(item)));
      if (item.sk === 'status') sizes.status.push(Buffer.byteLength(JSON.stringify(item)));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { calls: tickCalls, specBytes: sizes.spec, statusBytes: sizes.status, wallMs: tickWallMs, lambdaMemoryGb: 0.5 };
}
