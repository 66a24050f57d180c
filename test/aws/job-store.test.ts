import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { leaseAttributes, leaseKey } from '../../lib/aws/lease-items.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore, type JobRun } from '../../lib/aws/job-store.js';
import { FencedWriteRejectedError } from '../../lib/aws/lease-errors.js';
import { ConflictError, GenerationMismatchError, NotFoundError } from '../../lib/aws/store-errors.js';
import { validateJobSpec, type JobSpec } from '../../lib/core/spec/index.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);

let dynamo: TestDynamo;
let clock: VirtualClock;
let store: JobStore;

function spec(fields: Record<string, unknown>): JobSpec {
  const result = validateJobSpec({ image: 'batch:1', schedule: 'rate(5 minutes)', ...fields });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

function pending(tick: number, generation = 1): JobRun {
  return { tick, status: 'Pending', generation, taskDefinitionArn: 'arn:td/corral-job-x:1', recordedAt: tick };
}

const leaseName = 'jobs-test';

/** The dispatcher's lease as the table holds it, at `token`: run records are fenced by it. */
async function leaseAt(token: number): Promise<{ name: string; token: number }> {
  await DynamoDBDocumentClient.from(dynamo.client).send(new PutCommand({
    TableName: dynamo.tableName,
    Item: { ...leaseKey(leaseName), [leaseAttributes.token]: token, [leaseAttributes.holder]: 'test', [leaseAttributes.expiresAt]: 0, [leaseAttributes.durationMs]: 15_000 },
  }));
  return { name: leaseName, token };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  dynamo = await startTestDynamo();
  clock = new VirtualClock(t0);
  store = new JobStore(DynamoDBDocumentClient.from(dynamo.client), dynamo.tableName, clock);
});
afterAll(() => dynamo.close());

describe('JobStore specs', () => {
  it('creates, lists and replaces specs; a changed schedule re-anchors the job', async () => {
    const created = await store.putJob('nightly', spec({}));
    expect(created).toMatchObject({ created: true, record: { name: 'nightly', generation: 1, scheduleAnchor: t0, deleting: false } });
    clock.advanceTo(t0 + 60_000);
    const sameSchedule = await store.putJob('nightly', spec({ image: 'batch:2' }));
    expect(sameSchedule).toMatchObject({ created: false, record: { generation: 2, scheduleAnchor: t0, spec: { image: 'batch:2' } } });
    clock.advanceTo(t0 + 120_000);
    const newSchedule = await store.putJob('nightly', spec({ schedule: 'rate(1 hour)' }));
    expect(newSchedule.record).toMatchObject({ generation: 3, scheduleAnchor: t0 + 120_000 });
    await store.putJob('hourly', spec({}));
    expect((await store.listJobs()).map((job) => job.name).sort()).toEqual(['hourly', 'nightly']);
  });

  it('honours If-Match: a stale or absent generation is refused, a current one accepted', async () => {
    await store.putJob('guarded', spec({}));
    expect(await rejection(store.putJob('guarded', spec({}), { ifMatch: 7 }))).toBeInstanceOf(GenerationMismatchError);
    expect(await rejection(store.putJob('absent', spec({}), { ifMatch: 1 }))).toBeInstanceOf(GenerationMismatchError);
    expect((await store.putJob('guarded', spec({ image: 'x:1' }), { ifMatch: 1 })).record.generation).toBe(2);
    expect((await store.getJob('guarded'))?.spec.image).toBe('x:1');
  });

  it('lets one of two concurrent replaces with the same If-Match win', async () => {
    await store.putJob('raced', spec({}));
    const outcomes = await Promise.allSettled([
      store.putJob('raced', spec({ image: 'a:1' }), { ifMatch: 1 }),
      store.putJob('raced', spec({ image: 'b:1' }), { ifMatch: 1 }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((await store.getJob('raced'))?.generation).toBe(2);
  });

  it('marks a job deleting, refuses changes to it, and removes it with its runs', async () => {
    await store.putJob('doomed', spec({}));
    await store.recordRun(await leaseAt(1), 'doomed', pending(t0));
    expect(await rejection(store.markDeleting('never', {}))).toBeInstanceOf(NotFoundError);
    const marked = await store.markDeleting('doomed');
    expect(marked).toMatchObject({ deleting: true, generation: 2 });
    expect(await rejection(store.putJob('doomed', spec({})))).toBeInstanceOf(ConflictError);
    await store.removeJob({ token: 1 }, 'doomed');
    expect(await store.getJob('doomed')).toBeUndefined();
    expect(await store.listRuns('doomed')).toEqual([]);
  });
});

describe('JobStore runs', () => {
  it('records a tick once: a retry or a second dispatcher finds it taken', async () => {
    const tick = t0 + 300_000;
    expect(await store.recordRun(await leaseAt(3), 'once', pending(tick))).toBe('recorded');
    expect(await store.recordRun(await leaseAt(3), 'once', pending(tick))).toBe('exists');
    expect(await store.recordRun(await leaseAt(4), 'once', { ...pending(tick), generation: 9 })).toBe('exists');
    const runs = await store.listRuns('once');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ tick, status: 'Pending', generation: 1 });
  });

  it('answers runs newest tick first', async () => {
    for (const minutes of [5, 15, 10]) await store.recordRun(await leaseAt(1), 'ordered', pending(t0 + minutes * 60_000));
    expect((await store.listRuns('ordered')).map((run) => (run.tick - t0) / 60_000)).toEqual([15, 10, 5]);
  });

  it('updates a run only while its status is one of the expected ones', async () => {
    const tick = t0 + 600_000;
    await store.recordRun(await leaseAt(1), 'outcome', pending(tick));
    expect(await store.updateRun({ token: 1 }, 'outcome', tick, { status: 'Running', taskArn: 'arn:task/1', startedAt: tick }, ['Pending'])).toBe(true);
    expect(await store.updateRun({ token: 1 }, 'outcome', tick, { status: 'Succeeded', exitCode: 0 }, ['Pending'])).toBe(false);
    expect(await store.updateRun({ token: 1 }, 'outcome', tick, { status: 'Failed', exitCode: 3, stoppedReason: 'exited' }, ['Running'])).toBe(true);
    expect((await store.listRuns('outcome'))[0]).toMatchObject({ status: 'Failed', exitCode: 3, taskArn: 'arn:task/1', stoppedReason: 'exited' });
  });

  it('rejects a superseded lease token on runs and on the dispatch bookkeeping', async () => {
    const tick = t0 + 900_000;
    await store.recordRun(await leaseAt(5), 'fenced', pending(tick));
    await store.updateRun(await leaseAt(6), 'fenced', tick, { status: 'Running' });
    const staleUpdate = await rejection(store.updateRun({ token: 5 }, 'fenced', tick, { status: 'Failed' }));
    expect(staleUpdate).toBeInstanceOf(FencedWriteRejectedError);
    expect(staleUpdate).toMatchObject({ token: 5, fence: 6 });
    // The lease now carries token 6: recording under 5 fails at the lease, whatever the item says.
    expect(await rejection(store.recordRun({ name: leaseName, token: 5 }, 'fenced', pending(tick + 300_000)))).toBeInstanceOf(FencedWriteRejectedError);
    expect(await rejection(store.deleteRun({ token: 5 }, 'fenced', tick))).toBeInstanceOf(FencedWriteRejectedError);
    expect((await store.listRuns('fenced'))[0].status).toBe('Running');

    await store.claimDispatch({ token: 8 }, 'fenced');
    expect(await rejection(store.claimDispatch({ token: 7 }, 'fenced'))).toBeInstanceOf(FencedWriteRejectedError);
    expect(await rejection(store.rememberTaskDefinition({ token: 7 }, 'fenced', 1, 'arn:td/old'))).toBeInstanceOf(FencedWriteRejectedError);
  });

  it('remembers the task definition of a generation in the dispatch bookkeeping', async () => {
    expect(await store.claimDispatch({ token: 1 }, 'remember')).toEqual({});
    await store.rememberTaskDefinition({ token: 1 }, 'remember', 4, 'arn:td/corral-job-remember:4');
    expect(await store.claimDispatch({ token: 2 }, 'remember')).toEqual({ taskDefinitionGeneration: 4, taskDefinitionArn: 'arn:td/corral-job-remember:4' });
  });
});
