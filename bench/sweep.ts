import { reconcileService } from '../lib/reconciler/runner.js';
import { sweep } from '../lib/reconciler/sweep.js';
import { startLocalRuntime, zeroDelays } from '../lib/local/runtime.js';
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
  /** One whole dispatcher tick on the same fleet (leader lease, jobs pass, sweep), for the idle bill. */
  idleTick: IdleTick;
}

/**
 * ECS calls of one steady-state sweep of `services` services with `replicas` tasks each, in
 * local mode (zero delays, virtual time), with stopped-task churn: one task of every tenth
 * service was stopped and replaced a few sweeps before, so ECS still lists it. The minimum:
 * the RUNNING and STOPPED listings at 100 a page, plus DescribeTasks of the live tasks at 100 a
 * call (stopped tasks described once before cannot have changed).
 */
export async function benchSweep(services: number, replicas: number): Promise<SweepFigures> {
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
    await sweep(deps);
    // Churn: one task of every tenth service stops; the next sweeps replace it and settle.
    for (const name of names.filter((_, i) => i % 10 === 0)) {
      const listed = await rt.clients.ecs.send(new ListTasksCommand({ cluster: rt.clusterName, startedBy: `corral/${name}`, maxResults: 1 }));
      await rt.clients.ecs.send(new StopTaskCommand({ cluster: rt.clusterName, task: listed.taskArns![0], reason: 'bench churn' }));
    }
    for (let round = 0; round < 3; round++) {
      await rt.bus.runFor(clock, 5_000);
      await sweep(deps);
    }
    await resetStats(rt.awsUrl);
    const start = performance.now();
    const result = await sweep(deps);
    const wallMs = performance.now() - start;
    const byOperation = await readStats(rt.awsUrl);
    let stoppedTasks = 0;
    let nextToken: string | undefined;
    do {
      const page = await rt.clients.ecs.send(new ListTasksCommand({ cluster: rt.clusterName, desiredStatus: 'STOPPED', ...(nextToken ? { nextToken } : {}) }));
      stoppedTasks += page.taskArns?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    // One whole tick as the schedule fires it, then the sizes of what it read.
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
    const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
    const live = result.tasks - stoppedTasks;
    return {
      services, tasks: result.tasks, stoppedTasks, reconciled: result.reconciled, byOperation,
      minimumCalls: pages(live) + pages(stoppedTasks) + Math.ceil(live / 100), wallMs,
      idleTick: { calls: tickCalls, specBytes: sizes.spec, statusBytes: sizes.status, wallMs: tickWallMs, lambdaMemoryGb: 0.5 },
    };
  } finally {
    await rt.close();
  }
}
