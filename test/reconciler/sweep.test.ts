import { ListTasksCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileService } from '../../lib/reconciler/runner.js';
import { sweepFromTheStart } from '../../lib/aws/sweep-progress.js';
import { sweep } from '../../lib/reconciler/sweep.js';
import { call } from '../support/http.js';
import { getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

// 100 live tasks: one DescribeTasks exactly, so one more task described would take a second call.
const services = Array.from({ length: 10 }, (_, i) => `sw-${i}`);
const replicas = 10;

/** The calls one sweep makes, by operation, counted by the local endpoint. */
async function sweepCalls(rt: TestRuntime): Promise<{ calls: Record<string, number>; reconciled: number }> {
  rt.aws.resetStats();
  const result = await sweep({ ...rt.reconcilerDeps, holder: `sweep-${Math.random()}` }, { progress: sweepFromTheStart() });
  expect(result.failed).toEqual([]);
  return { calls: rt.aws.stats().byOperation, reconciled: result.reconciled };
}

/** Every service's reconcile lease token: a sweep that takes a lease moves it. */
async function leaseTokens(rt: TestRuntime): Promise<Record<string, number>> {
  const tokens: Record<string, number> = {};
  for (const name of services) {
    const lease = await rt.clients.documents.send(new GetCommand({ TableName: rt.tableName, Key: { pk: `lease#reconcile/${name}`, sk: 'lease' } }));
    tokens[name] = Number(lease.Item?.token ?? 0);
  }
  return tokens;
}

const writes = (calls: Record<string, number>) =>
  Object.entries(calls).filter(([op]) => /dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)/.test(op)).reduce((n, [, c]) => n + c, 0);

describe('the sweep of a converged fleet', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ reconcile: false });
    for (const name of services) await call(rt.apiUrl, 'PUT', `/services/${name}`, { image: 'nginx:1', replicas, rollout: { minHealthySeconds: 0 } });
    for (let round = 0; round < 4; round++) {
      await Promise.all(services.map((name) => reconcileService({ ...rt.reconcilerDeps, holder: `setup-${round}` }, name)));
      await rt.run(5_000);
    }
    for (const name of services) expect((await getService(rt, name)).status.phase).toBe('Available');
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('reads specs with one Query and statuses with one BatchGetItem, takes no lease and writes nothing', async () => {
    await sweepCalls(rt); // a status without a planning digest (none here) would get one now
    const { calls, reconciled } = await sweepCalls(rt);
    expect(reconciled).toBe(0);
    expect(writes(calls)).toBe(0);
    expect(Object.fromEntries(Object.entries(calls).filter(([op]) => op.startsWith('dynamodb:')))).toEqual({ 'dynamodb:Query': 1, 'dynamodb:BatchGetItem': 1 });
    // 100 live tasks: one page of each listing and one DescribeTasks.
    expect(calls['ecs:ListTasks']).toBe(2);
    expect(calls['ecs:DescribeTasks']).toBe(1);
  });

  it('reconciles under its lease only the service that changed, and remembers its stopped task', async () => {
    const listed = await rt.clients.ecs.send(new ListTasksCommand({ cluster: rt.clusterName, startedBy: 'corral/sw-3' }));
    const stopped = listed.taskArns![0];
    await rt.clients.ecs.send(new StopTaskCommand({ cluster: rt.clusterName, task: stopped, reason: 'test' }));
    await rt.run(1_000);

    const before = await leaseTokens(rt);
    const first = await sweepCalls(rt);
    expect(first.reconciled).toBe(1);
    const after = await leaseTokens(rt);
    expect(services.filter((name) => after[name] !== before[name])).toEqual(['sw-3']);
    expect((await rt.liveTasks('sw-3')).map((t) => t.taskArn)).not.toContain(stopped);
    expect(await rt.liveTasks('sw-3')).toHaveLength(replicas);

    // Once the replacement runs, one more sweep records it; after that the fleet is quiet again,
    // and the stopped task, still listed, is not described again: 100 live tasks, one call.
    await rt.run(5_000);
    await sweepCalls(rt);
    const quiet = await sweepCalls(rt);
    expect(quiet.reconciled).toBe(0);
    expect(writes(quiet.calls)).toBe(0);
    expect(quiet.calls['ecs:DescribeTasks']).toBe(1);
    expect(quiet.calls['ecs:ListTasks']).toBe(2);
  });

  it('still reconciles a service whose spec changed since its status was written', async () => {
    await call(rt.apiUrl, 'POST', '/services/sw-5/scale', { replicas: 11 });
    const { reconciled, calls } = await sweepCalls(rt);
    expect(reconciled).toBe(1);
    // The lease taken, then one commit that records the new task and releases the lease.
    expect(calls['dynamodb:UpdateItem']).toBe(1);
    expect(calls['dynamodb:TransactWriteItems']).toBe(1);
    expect(await rt.liveTasks('sw-5')).toHaveLength(11);
  });
});
