import { RunTaskCommand } from '@aws-sdk/client-ecs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FencedWriteRejectedError } from '../../lib/aws/lease-errors.js';
import { DynamoSweepProgress, sweepProgressKey } from '../../lib/aws/sweep-progress.js';
import { reconcileService } from '../../lib/reconciler/runner.js';
import { sweep, sweepDefaults, type SweepOptions } from '../../lib/reconciler/sweep.js';
import { call } from '../support/http.js';
import { getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

// 12 services of 10 tasks: 120 known ARNs, so two DescribeTasks calls (10 services, then 2).
const services = Array.from({ length: 12 }, (_, i) => `bg-${String(i).padStart(2, '0')}`);
const replicas = 10;
/** One read a sweep, all of it for the describes. */
const oneRead: SweepOptions = { ...sweepDefaults, pace: { capacity: 1, refillPerSecond: 0.001 }, deadlineMs: 0, listingShare: 0 };

describe('a sweep the budget cannot fit in one go', () => {
  let rt: TestRuntime;
  let progress: () => Promise<DynamoSweepProgress>;
  const runSweep = async (options: SweepOptions = sweepDefaults, prepared?: DynamoSweepProgress) =>
    sweep({ ...rt.reconcilerDeps, holder: `sweep-${Math.random()}` }, { progress: prepared ?? (await progress()) }, options);
  const storedPosition = async () => (await rt.clients.documents.send(new GetCommand({ TableName: rt.tableName, Key: sweepProgressKey }))).Item?.position;

  beforeAll(async () => {
    rt = await startTestRuntime({ reconcile: false });
    progress = async () => {
      const lease = await rt.reconcilerDeps.leases.acquire(`dispatcher-${Math.random()}`, 'test', rt.clock.now(), { leaseDurationMs: 60_000 });
      return new DynamoSweepProgress(rt.clients.documents, rt.tableName, lease);
    };
    for (const name of services) await call(rt.apiUrl, 'PUT', `/services/${name}`, { image: 'nginx:1', replicas, rollout: { minHealthySeconds: 0 } });
    for (let round = 0; round < 4; round++) {
      await Promise.all(services.map((name) => reconcileService({ ...rt.reconcilerDeps, holder: `setup-${round}` }, name)));
      await rt.run(5_000);
    }
    for (const name of services) expect((await getService(rt, name)).status.phase).toBe('Available');
    await runSweep();
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('at rest, reads its position once and writes nothing', async () => {
    const prepared = await progress();
    rt.aws.resetStats();
    const result = await runSweep(sweepDefaults, prepared);
    expect(result).toMatchObject({ services: 12, planned: 12, deferred: 0, reconciled: 0, listingDone: true, throttled: false });
    const dynamo = Object.entries(rt.aws.stats().byOperation).filter(([op]) => op.startsWith('dynamodb:'));
    expect(Object.fromEntries(dynamo)).toEqual({ 'dynamodb:Query': 1, 'dynamodb:BatchGetItem': 1, 'dynamodb:GetItem': 1 });
    expect(await storedPosition()).toBeUndefined();
  });

  it('plans what its reads reached, and the next sweep begins with the services it did not reach', async () => {
    rt.aws.resetStats();
    const first = await runSweep(oneRead);
    expect(first).toMatchObject({ planned: 10, deferred: 2, ecsReads: 1, listingDone: false });
    expect(rt.aws.stats().byOperation['ecs:DescribeTasks']).toBe(1);
    // Sorted by name, the two it did not reach are the last two; the listing has not begun.
    expect(await storedPosition()).toEqual({ nextService: 'bg-10', listing: { desiredStatus: 'RUNNING' } });

    const second = await runSweep(oneRead);
    // bg-10 and bg-11 first, then eight from the start of the list.
    expect(second).toMatchObject({ planned: 10, deferred: 2 });
    expect(await storedPosition()).toEqual({ nextService: 'bg-08', listing: { desiredStatus: 'RUNNING' } });

    // With the whole budget again, the sweep covers everything and comes to rest.
    const full = await runSweep();
    expect(full).toMatchObject({ planned: 12, deferred: 0, listingDone: true });
    expect(await storedPosition()).toEqual({});
  });

  it('reconciles a service whose task its status never recorded, found by the listing', async () => {
    // As a reconciler that died between RunTask and its commit would leave it.
    const [first] = await rt.liveTasks('bg-03');
    const stranger = await rt.clients.ecs.send(new RunTaskCommand({
      cluster: rt.clusterName, taskDefinition: first.taskDefinitionArn, startedBy: 'corral/bg-03', count: 1,
      tags: [{ key: 'corral:service', value: 'bg-03' }, { key: 'corral:revision', value: '1' }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'] } },
    }));
    await rt.run(5_000);
    expect(await rt.liveTasks('bg-03')).toHaveLength(replicas + 1);
    const result = await runSweep();
    expect(result.reconciled).toBe(1);
    const live = await rt.liveTasks('bg-03');
    expect(live).toHaveLength(replicas);
    const status = await rt.clients.documents.send(new GetCommand({ TableName: rt.tableName, Key: { pk: 'service#bg-03', sk: 'status' } }));
    expect(Object.keys(status.Item?.knownTasks ?? {})).toContain(stranger.tasks![0].taskArn);
  });

  it('keeps its position under the leader lease: a former leader cannot move it', async () => {
    const name = `dispatcher-${Math.random()}`;
    const held = await rt.reconcilerDeps.leases.acquire(name, 'old-leader', rt.clock.now(), { leaseDurationMs: 1_000 });
    const stale = new DynamoSweepProgress(rt.clients.documents, rt.tableName, held);
    await stale.load();
    await rt.reconcilerDeps.leases.acquire(name, 'new-leader', rt.clock.now() + 2_000, { leaseDurationMs: 60_000 });
    await expect(stale.save({ nextService: 'bg-05' })).rejects.toBeInstanceOf(FencedWriteRejectedError);
    expect(await storedPosition()).toEqual({});
  });

  it('backs off when ECS throttles it: nothing fails, and the next sweep goes on', async () => {
    await rt.setFaults({ throttle: 1 });
    try {
      const throttled = await runSweep();
      expect(throttled).toMatchObject({ throttled: true, planned: 0, deferred: 12, failed: [] });
    } finally {
      await rt.setFaults({ throttle: 0 });
    }
    const after = await runSweep();
    expect(after).toMatchObject({ throttled: false, planned: 12, deferred: 0, listingDone: true, failed: [] });
  });
});
