import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileService } from '../../lib/reconciler/runner.js';
import { call } from '../support/http.js';
import { getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

/** The DynamoDB requests of one reconcile, by operation (from the local endpoint's counters). */
async function dynamoCallsOf(rt: TestRuntime, name: string): Promise<Record<string, number>> {
  rt.aws.resetStats();
  await reconcileService({ ...rt.reconcilerDeps, holder: `cost-${Math.random()}` }, name);
  const byOperation = rt.aws.stats().byOperation;
  return Object.fromEntries(Object.entries(byOperation).filter(([k]) => k.startsWith('dynamodb:')).map(([k, v]) => [k.slice('dynamodb:'.length), v]));
}

describe('what a reconcile costs in DynamoDB calls', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ reconcile: false });
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('a reconcile that changes something: the lease, one Query and one TransactWriteItems that also releases the lease', async () => {
    await call(rt.apiUrl, 'PUT', '/services/cost', { image: 'nginx:1', replicas: 3, rollout: { minHealthySeconds: 0 } });
    // One UpdateItem takes the lease; the commit hands it back.
    expect(await dynamoCallsOf(rt, 'cost')).toEqual({ UpdateItem: 1, Query: 1, TransactWriteItems: 1 });
    expect(await rt.liveTasks('cost')).toHaveLength(3);
    const events = (await call(rt.apiUrl, 'GET', '/services/cost/events')).body as { events: { message: string }[] };
    expect(events.events.map((e) => e.message)).toContain('Scaled up: started 3 tasks of revision 1');
  });

  it('a converged service costs the read and no write', async () => {
    for (let i = 0; i < 5 && (await getService(rt, 'cost')).status.phase !== 'Available'; i++) {
      await rt.run(5_000);
      await reconcileService({ ...rt.reconcilerDeps, holder: `settle-${i}` }, 'cost');
    }
    expect((await getService(rt, 'cost')).status.phase).toBe('Available');
    // Nothing to commit: acquire and release, two UpdateItems on the lease item.
    expect(await dynamoCallsOf(rt, 'cost')).toEqual({ UpdateItem: 2, Query: 1 });
  });
});
