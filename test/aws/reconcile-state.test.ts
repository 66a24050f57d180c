import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FencedWriteRejectedError } from '../../lib/aws/lease-errors.js';
import { DynamoLeaseStore } from '../../lib/aws/lease-store.js';
import { createStateStore, type ReconcileWrite } from '../../lib/aws/state-store.js';
import type { ServiceStatus } from '../../lib/core/planner/index.js';
import { validateServiceSpec } from '../../lib/core/spec/index.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

const t0 = Date.UTC(2026, 11, 1, 12, 0, 0);
let dynamo: TestDynamo;
let store: ReturnType<typeof createStateStore>;
let leases: DynamoLeaseStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  const documents = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  store = createStateStore(documents, dynamo.tableName, new VirtualClock(t0));
  leases = new DynamoLeaseStore(documents, dynamo.tableName);
});
afterAll(() => dynamo.close());

function spec(image: string) {
  const result = validateServiceSpec({ image, replicas: 2 });
  if (!result.ok) throw new Error('bad spec');
  return result.spec;
}

const status = (phase: ServiceStatus['phase'], revision = 1): ServiceStatus => ({
  phase, observedGeneration: 1, revision, targetRevision: revision,
  counts: { desired: 2, running: 0, healthy: 0, updated: 0, available: 0 },
  message: phase, conditions: [], healthySince: {}, failedTasks: {},
});
const write = (overrides: Partial<ReconcileWrite>): ReconcileWrite => ({ events: [], taskDefinitions: [], availableRevisions: [], prune: [], ...overrides });

describe('the reconciler’s state: one Query in, one fenced transaction out', () => {
  it('reads spec, status and revisions of a partition, and none of its events', async () => {
    await store.putService('web', spec('nginx:1'));
    await store.putService('web', spec('nginx:2'));
    await store.appendEvents('web', [{ type: 'RollbackRequested', message: 'an event' }]);
    const lease = await leases.acquire('reconcile/web', 'a', t0, { leaseDurationMs: 60_000 });
    await store.commit('web', write({ status: status('Progressing', 2) }), lease);

    const partition = await store.readPartition('web');
    expect(partition?.record).toMatchObject({ name: 'web', generation: 2, revision: 2, previousRevision: 1 });
    expect(partition?.status?.phase).toBe('Progressing');
    // The API commits a spec and its revision together: both revisions are there.
    expect(partition?.revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(await store.readPartition('absent')).toBeUndefined();
  });

  it('writes status, events, task definitions, availability and prunes in one transaction', async () => {
    await store.putService('api', spec('api:1'));
    await store.putService('api', spec('api:2'));
    const lease = await leases.acquire('reconcile/api', 'a', t0, { leaseDurationMs: 60_000 });
    await store.commit('api', write({
      status: status('Available', 2),
      events: [{ type: 'RolloutCompleted', message: 'Revision 2 available' }],
      taskDefinitions: [{ revision: 2, arn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/corral-api:1' }],
      availableRevisions: [2],
      prune: [1],
    }), lease);
    const partition = await store.readPartition('api');
    expect(partition?.revisions.map((r) => r.revision)).toEqual([2]);
    expect(partition?.revisions[0]).toMatchObject({ taskDefinitionArn: expect.stringContaining('corral-api'), availableAt: new Date(t0).toISOString() });
    expect((await store.listEvents('api')).map((e) => e.message)).toEqual(['Revision 2 available']);
  });

  it("refuses a stale holder on every item, including an event its successor never wrote", async () => {
    await store.putService('jobs', spec('jobs:1'));
    const a = await leases.acquire('reconcile/jobs', 'a', t0, { leaseDurationMs: 60_000 });
    await store.commit('jobs', write({ status: status('Progressing') }), a);
    // a stalls past its lease; b takes over and has written nothing yet.
    const b = await leases.acquire('reconcile/jobs', 'b', t0 + 61_000, { leaseDurationMs: 60_000 });

    const stale = store.commit('jobs', write({ status: status('Failed'), events: [{ type: 'RolloutFailed', message: 'stale news' }] }), a);
    await expect(stale).rejects.toBeInstanceOf(FencedWriteRejectedError);
    await expect(stale).rejects.toMatchObject({ token: a.token, fence: b.token });
    expect((await store.readPartition('jobs'))?.status?.phase).toBe('Progressing');
    expect(await store.listEvents('jobs')).toEqual([]);
  });

  it('a reconcile with many events keeps within one transaction and says how many it left out', async () => {
    await store.putService('noisy', spec('noisy:1'));
    const lease = await leases.acquire('reconcile/noisy', 'a', t0, { leaseDurationMs: 60_000 });
    const events = Array.from({ length: 150 }, (_, i) => ({ type: 'TaskFailed' as const, message: `failure ${i}` }));
    await store.commit('noisy', write({ status: status('Degraded'), events }), lease);
    const listed = await store.listEvents('noisy', 200);
    expect(listed).toHaveLength(98);
    expect(listed.map((e) => e.message)).toContain('… and 53 more events of this reconcile');
  });

  it('reads many status items in batches of 100, with the planning digest written beside the status', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `many-${i}`);
    const digest = { generation: 1, revisions: [{ revision: 1, template: { image: 'nginx:1' } }] };
    for (const name of names.filter((_, i) => i % 2 === 0)) {
      await store.putService(name, spec('nginx:1'));
      const lease = await leases.acquire(`reconcile/${name}`, 'a', t0, { leaseDurationMs: 60_000 });
      await store.commit(name, write({ status: status('Available'), planning: digest }), lease);
    }
    const found = await store.readStatuses([...names, 'never-created']);
    expect([...found.keys()].sort()).toEqual(names.filter((_, i) => i % 2 === 0).sort());
    expect(found.get('many-0')).toEqual({ status: status('Available'), planning: digest });
    expect((await store.readPartition('many-0'))?.planning).toEqual(digest);
  });
});
