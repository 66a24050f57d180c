import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServicePartition } from '../../lib/aws/state-store.js';
import { reconcileService, type ReconcilerDependencies } from '../../lib/reconciler/runner.js';
import { call } from '../support/http.js';
import { getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

const healthCheck = { command: ['CMD-SHELL', 'curl -f localhost/health'], intervalSeconds: 5, retries: 2, timeoutSeconds: 2 };
const rolloutMetrics = ['RolloutStarted', 'RolloutCompleted', 'RolloutFailed', 'RolloutRolledBack'];

/** The JSON log lines written to stdout while `work` runs (Powertools Logger writes there). */
async function logLinesOf(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (lines.push(String(chunk)), true));
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The EMF documents that carry `name`. */
function documentsWith(rt: TestRuntime, name: string): EmfOutput[] {
  return rt.metrics.documents.filter((document) => document._aws.CloudWatchMetrics.some((d) => d.Metrics.some((m) => m.Name === name)));
}

describe('rollout metrics (EMF) and rollout logs in local mode', () => {
  let rt: TestRuntime;
  afterEach(async () => {
    await rt?.close();
  });

  const phase = async (name: string) => (await getService(rt, name)).status;

  it('a rollout that completes: started and completed, aggregated and per service, each decision logged once', async () => {
    rt = await startTestRuntime({ logLevel: 'INFO' });
    const spec = { image: 'shop:1', replicas: 2, healthCheck, rollout: { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 5 } };
    const lines = await logLinesOf(async () => {
      await call(rt.apiUrl, 'PUT', '/services/shop', spec);
      expect(await rt.until(async () => (await phase('shop')).phase === 'Available', 5 * 60_000)).toBe(true);
      await call(rt.apiUrl, 'PUT', '/services/shop', { ...spec, image: 'shop:2' });
      expect(await rt.until(async () => {
        const status = await phase('shop');
        return status.phase === 'Available' && status.revision === 2;
      }, 10 * 60_000)).toBe(true);
    });
    rt.metrics.flush();

    // Two rollouts (the first deployment and the new image), both complete.
    expect(rt.metrics.sum('RolloutStarted')).toBe(2);
    expect(rt.metrics.sum('RolloutStarted', { service: 'shop' })).toBe(2);
    expect(rt.metrics.sum('RolloutCompleted')).toBe(2);
    expect(rt.metrics.sum('RolloutCompleted', { service: 'shop' })).toBe(2);
    expect(rt.metrics.sum('RolloutFailed')).toBe(0);
    expect(rt.metrics.sum('TasksStarted')).toBe(4);
    expect(rt.metrics.sum('TasksStopped', { service: 'shop' })).toBe(2);
    expect(rt.metrics.datapoints().filter((d) => d.name === 'ReconcileDuration').length).toBeGreaterThan(0);
    expect(rt.metrics.datapoints().filter((d) => d.name === 'ReconcileDuration' && Object.keys(d.dimensions).length > 0)).toEqual([]);

    // The EMF documents themselves: namespace Corral; a rollout metric in the aggregate
    // document (no dimension at all, not the function's service) and in one per service.
    const documents = documentsWith(rt, 'RolloutCompleted');
    expect(documents.length).toBeGreaterThanOrEqual(3);
    for (const document of rt.metrics.documents) expect(document._aws.CloudWatchMetrics.map((d) => d.Namespace)).toEqual(['Corral']);
    const dimensionSets = new Set(documents.map((document) => JSON.stringify(document._aws.CloudWatchMetrics[0].Dimensions)));
    expect(dimensionSets).toEqual(new Set([JSON.stringify([[]]), JSON.stringify([['service']])]));
    for (const document of rt.metrics.documents) expect([undefined, 'shop']).toContain(document['service']);

    // Every reconcile log line names the service, generation, revision and trigger; each
    // rollout decision is logged at INFO exactly once.
    const reconcileLines = lines.filter((line) => line['function_name'] === 'corral-reconciler' && 'trigger' in line);
    expect(reconcileLines.length).toBeGreaterThan(0);
    for (const line of reconcileLines) {
      expect(line).toMatchObject({ service: 'shop', generation: expect.any(Number), revision: expect.any(Number), trigger: expect.stringMatching(/desired-state|requeue|task-state-change|sweep/) });
    }
    const decisions = reconcileLines.filter((line) => line['event'] !== undefined);
    expect(decisions.map((line) => [line['level'], line['event'], line['revision']])).toEqual([
      ['INFO', 'RolloutStarted', 1],
      ['INFO', 'Available', 1],
      ['INFO', 'RolloutStarted', 2],
      ['INFO', 'RolloutCompleted', 2],
    ]);
  });

  it('a rollout that fails: failed and rolled back, aggregated and per service', async () => {
    rt = await startTestRuntime();
    const spec = { image: 'pay:1', replicas: 2, healthCheck, rollout: { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 5, progressDeadlineSeconds: 120 } };
    await call(rt.apiUrl, 'PUT', '/services/pay', spec);
    expect(await rt.until(async () => (await phase('pay')).phase === 'Available', 5 * 60_000)).toBe(true);
    await rt.setImage({ image: 'pay:2', behavior: 'unhealthy' });
    await call(rt.apiUrl, 'PUT', '/services/pay', { ...spec, image: 'pay:2' });
    expect(await rt.until(async () => (await phase('pay')).phase === 'RolledBack', 15 * 60_000)).toBe(true);
    rt.metrics.flush();

    for (const dimensions of [{}, { service: 'pay' }] as Record<string, string>[]) {
      expect(rolloutMetrics.map((name) => rt.metrics.sum(name, dimensions))).toEqual([2, 1, 1, 1]);
    }
    const failed = documentsWith(rt, 'RolloutFailed');
    expect(failed.map((document) => document._aws.CloudWatchMetrics[0].Dimensions).sort()).toEqual([[[]], [['service']]].sort());
    expect(failed.find((document) => document['service'] === 'pay')).toMatchObject({ RolloutFailed: 1 });
    // Unhealthy tasks were replaced: starts and stops beyond the first deployment's two.
    expect(rt.metrics.sum('TasksStarted')).toBeGreaterThan(2);
    expect(rt.metrics.sum('TasksStopped', { service: 'pay' })).toBeGreaterThan(0);
  });
});

describe('a reconcile that loses its lease midway', () => {
  let rt: TestRuntime;
  afterEach(async () => {
    await rt?.close();
  });

  /**
   * The runtime's reconciler ports, but a successor takes the service's lease right after the
   * reconcile read its partition (the first lease expired: a paused Lambda, say), `pauseMs` of
   * clock time passing meanwhile.
   */
  function overtaken(pauseMs: number): ReconcilerDependencies {
    const deps = rt.reconcilerDeps;
    const state = deps.state;
    const readPartition = async (name: string): Promise<ServicePartition | undefined> => {
      const partition = await state.readPartition(name);
      rt.clock.advance(pauseMs);
      await deps.leases.acquire(`reconcile/${name}`, 'successor', rt.clock.now() + 61_000, { leaseDurationMs: 60_000 });
      return partition;
    };
    const wrapped = new Proxy(state, {
      get: (target, key) => (key === 'readPartition' ? readPartition : (Reflect.get(target, key) as (...a: unknown[]) => unknown).bind(target)),
    });
    return { ...deps, state: wrapped, holder: 'paused' };
  }

  it('counts a fenced write rejected (the commit refused) and a lease lost (the renewal refused)', async () => {
    rt = await startTestRuntime({ reconcile: false });
    await call(rt.apiUrl, 'PUT', '/services/fenced', { image: 'nginx:1', replicas: 1 });
    await call(rt.apiUrl, 'PUT', '/services/renewed', { image: 'nginx:1', replicas: 1 });

    // No time passes: the lease is not renewed before RunTask, and the commit's ConditionCheck fails.
    expect(await reconcileService(overtaken(0), 'fenced')).toEqual({ outcome: 'superseded' });
    // 25 s pass: the lease is renewed before RunTask (a third of it has gone), and that fails.
    expect(await reconcileService(overtaken(25_000), 'renewed')).toEqual({ outcome: 'superseded' });
    rt.metrics.flush();

    expect(rt.metrics.sum('FencedWriteRejected')).toBe(1);
    expect(rt.metrics.sum('LeaseLost')).toBe(1);
    // Neither recorded its decision, so neither reports one: the successor will.
    expect(rt.metrics.sum('RolloutStarted')).toBe(0);
    expect(rt.metrics.sum('ReconcileErrors')).toBe(0);
  });
});
