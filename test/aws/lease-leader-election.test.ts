import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaderElector } from '../../lib/aws/leader-election.js';
import { FencedWriteRejectedError } from '../../lib/aws/lease-errors.js';
import { DynamoLeaseStore, type LeaseStore } from '../../lib/aws/lease-store.js';
import { LeaseOptionsError, type Lease } from '../../lib/core/lease/index.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);

let dynamo: TestDynamo;
let store: LeaseStore;
/** Store calls made, to see when an elector spares the table. */
let calls: string[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamo();
  const real = new DynamoLeaseStore(DynamoDBDocumentClient.from(dynamo.client), dynamo.tableName);
  store = {
    acquire: (...args) => (calls.push(`acquire ${args[1]}`), real.acquire(...args)),
    renew: (...args) => (calls.push(`renew ${args[0].holder}`), real.renew(...args)),
    release: (...args) => (calls.push(`release ${args[0].holder}`), real.release(...args)),
    read: (...args) => real.read(...args),
  };
});
afterAll(() => dynamo.close());

const elector = (name: string, holder: string) => new LeaderElector({ store, name, holder });

describe('LeaderElector against dynalite', () => {
  it('leads from acquisition until the renew deadline on its own clock, not until the stored expiry', async () => {
    const a = elector('deadline', 'a');
    expect(await a.tryAcquireOrRenew(t0)).toBe(true);
    expect(a.lease).toMatchObject({ holder: 'a', token: 1, expiresAt: t0 + 15_000 });
    expect(a.isLeader(t0 + 9_999)).toBe(true);
    expect(a.isLeader(t0 + 10_000)).toBe(false);
  });

  it('renews once a retry period has passed, keeping the token, and not before', async () => {
    const a = elector('heartbeat', 'a');
    await a.tryAcquireOrRenew(t0);
    calls = [];
    expect(await a.tryAcquireOrRenew(t0 + 1_000)).toBe(true);
    expect(calls).toEqual([]);
    expect(await a.tryAcquireOrRenew(t0 + 2_000)).toBe(true);
    expect(calls).toEqual(['renew a']);
    expect(a.lease).toMatchObject({ token: 1, expiresAt: t0 + 17_000 });
    expect(a.isLeader(t0 + 11_999)).toBe(true);
  });

  it('makes a contender wait out the lease it saw, then take over with the next token', async () => {
    const a = elector('contended', 'a');
    const b = elector('contended', 'b');
    await a.tryAcquireOrRenew(t0);
    calls = [];
    expect(await b.tryAcquireOrRenew(t0 + 1_000)).toBe(false);
    expect(await b.tryAcquireOrRenew(t0 + 3_000)).toBe(false);
    expect(await b.tryAcquireOrRenew(t0 + 14_999)).toBe(false);
    expect(calls).toEqual(['acquire b']); // the later attempts knew the lease was still a's

    // a stalls and never renews
    expect(await b.tryAcquireOrRenew(t0 + 15_000)).toBe(true);
    expect(b.lease).toMatchObject({ holder: 'b', token: 2 });

    // a wakes up: its renewal fails, b's lease is unexpired, so a does not lead
    expect(await a.tryAcquireOrRenew(t0 + 16_000)).toBe(false);
    expect(a.lease).toBeUndefined();
    expect(a.isLeader(t0 + 16_000)).toBe(false);
  });

  it('without waitOutObservedLease, a contender tries afresh and takes the lease as soon as its holder releases it', async () => {
    const a = elector('short-passes', 'a');
    const waiting = elector('short-passes', 'waiting');
    const eager = new LeaderElector({ store, name: 'short-passes', holder: 'eager', waitOutObservedLease: false });
    await a.tryAcquireOrRenew(t0);
    expect(await waiting.tryAcquireOrRenew(t0 + 100)).toBe(false);
    expect(await eager.tryAcquireOrRenew(t0 + 100)).toBe(false);
    await a.release();
    calls = [];
    // One second on: the waiting contender still believes the lease it saw (till t0 + 15 s) and makes no call.
    expect(await waiting.tryAcquireOrRenew(t0 + 1_100)).toBe(false);
    expect(calls).toEqual([]);
    expect(await eager.tryAcquireOrRenew(t0 + 1_100)).toBe(true);
    expect(eager.lease).toMatchObject({ holder: 'eager', token: 2 });
  });

  it('after a lost renewal, acquires at once if the successor already let the lease go', async () => {
    const a = elector('lapsed', 'a');
    const b = elector('lapsed', 'b');
    await a.tryAcquireOrRenew(t0);
    await b.tryAcquireOrRenew(t0 + 15_000);
    // a wakes long after b's lease expired too
    expect(await a.tryAcquireOrRenew(t0 + 60_000)).toBe(true);
    expect(a.lease).toMatchObject({ holder: 'a', token: 3 });
  });

  it('releases so that a contender that has not seen the lease yet takes it at once', async () => {
    const a = elector('handover', 'a');
    await a.tryAcquireOrRenew(t0);
    await a.release();
    expect(a.isLeader(t0 + 1)).toBe(false);
    const c = elector('handover', 'c');
    expect(await c.tryAcquireOrRenew(t0 + 1)).toBe(true);
    expect(c.lease?.token).toBe(2);
    // releasing again, or a lease already lost, is not an error
    await a.release();
  });

  it('runs the work only while leading, with the lease whose token fences its writes', async () => {
    const a = elector('work', 'a');
    const b = elector('work', 'b');
    const seen: Lease[] = [];
    const work = async (lease: Lease) => (seen.push(lease), `ran under ${lease.token}`);
    expect(await a.runIfLeader(t0, work)).toMatchObject({ led: true, result: 'ran under 1' });
    expect(await b.runIfLeader(t0 + 2_000, work)).toEqual({ led: false });
    // the next tick renews and keeps leadership
    expect(await a.runIfLeader(t0 + 60_000, work)).toMatchObject({ led: true, result: 'ran under 1' });
    expect(seen.map((lease) => lease.holder)).toEqual(['a', 'a']);
  });

  it('forgets the lease when the work finds itself fenced out', async () => {
    const a = elector('fenced', 'a');
    const fencedOut = new FencedWriteRejectedError(1, 2, 'service#web / status');
    await expect(a.runIfLeader(t0, () => Promise.reject(fencedOut))).rejects.toBe(fencedOut);
    expect(a.lease).toBeUndefined();
    expect(a.isLeader(t0 + 1)).toBe(false);
  });

  it('refuses invalid timing at construction', () => {
    expect(() => new LeaderElector({ store, name: 'x', holder: 'a', options: { renewDeadlineMs: 20_000 } })).toThrow(
      LeaseOptionsError,
    );
  });
});
