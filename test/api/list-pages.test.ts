import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore } from '../../lib/aws/state-store.js';
import { itemKey, serviceKeys } from '../../lib/aws/state/keys.js';
import { validateServiceSpec } from '../../lib/core/spec/index.js';
import { startLocalRuntime, zeroDelays, type LocalRuntime } from '../../lib/local/runtime.js';
import type { VirtualClock } from '../../lib/local/virtual-clock.js';
import { call } from '../support/http.js';

const spec = (() => {
  const result = validateServiceSpec({ image: 'nginx:1.27', replicas: 1 });
  if (!result.ok) throw new Error('fixture spec is invalid');
  return result.spec;
})();

/** Every page of `path` (`/services` or `/jobs`) at `limit`, following nextToken; `between` runs after each page. */
async function walk(api: string, path: string, key: 'services' | 'jobs', limit: number | undefined, between: (page: number) => Promise<void> = async () => {}) {
  const pages: any[][] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ ...(limit === undefined ? {} : { limit: String(limit) }), ...(token ? { nextToken: token } : {}) });
    const response = await call(api, 'GET', `${path}?${query}`);
    expect(response.status).toBe(200);
    pages.push(response.body[key]);
    token = response.body.nextToken;
    if (pages.length > 500) throw new Error(`${path} still has a nextToken after 500 pages`);
    if (token) await between(pages.length);
  } while (token);
  return pages;
}

describe('GET /services and GET /jobs in pages', () => {
  let runtime: LocalRuntime;
  let api: string;
  let store: ReturnType<typeof createStateStore>;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, reconcile: false });
    api = runtime.apiUrl;
    store = createStateStore(runtime.clients.documents, runtime.tableName, runtime.clock);
  });

  afterAll(async () => {
    await runtime?.close();
  });

  async function removeAll(): Promise<void> {
    for (const service of await store.listServices()) await remove(service.name);
  }

  /** What the reconciler does once a deleted service's tasks are gone. */
  async function remove(name: string): Promise<void> {
    await store.updateService(name, () => ({ deleting: true }), { allowWhileDeleting: true });
    await store.removeService(name);
  }

  async function stats(): Promise<Record<string, number>> {
    return ((await (await fetch(`${runtime.awsUrl}/_corral/stats`)).json()) as { byOperation: Record<string, number> }).byOperation;
  }

  async function resetStats(): Promise<void> {
    await fetch(`${runtime.awsUrl}/_corral/stats`, { method: 'DELETE' });
  }

  it('pages with any limit return every service exactly once, in name order, even while services come and go', async () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}[a-z0-9]$/);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(name, { minLength: 0, maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        // Between pages: names to add and indexes (into the initial names) to delete.
        fc.array(fc.record({ add: fc.array(name, { maxLength: 3 }), remove: fc.array(fc.nat(), { maxLength: 3 }) }), { maxLength: 6 }),
        async (initial, limit, churn) => {
          await removeAll();
          for (const n of initial) await store.putService(n, spec);
          const removed = new Set<string>();
          const added = new Set<string>();
          const pages = await walk(api, '/services', 'services', limit, async (page) => {
            const step = churn[page - 1];
            if (!step) return;
            for (const n of step.add) if (!initial.includes(n) && !added.has(n)) { added.add(n); await store.putService(n, spec); }
            for (const i of step.remove) {
              const n = initial[i % Math.max(1, initial.length)];
              if (n !== undefined && !removed.has(n)) { removed.add(n); await remove(n); }
            }
          });
          const names = pages.flat().map((s) => s.name as string);
          // Every page but the last is full; the last is empty only if what followed was deleted.
          pages.slice(0, -1).forEach((p) => expect(p.length).toBe(limit));
          if (names.length > 0 && removed.size === 0) expect(pages[pages.length - 1]!.length).toBeGreaterThan(0);
          // Stable order (byte order of names) and no duplicates at all.
          expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
          expect(new Set(names).size).toBe(names.length);
          // Every service that existed throughout is listed; nothing that never existed is.
          for (const n of initial) if (!removed.has(n)) expect(names).toContain(n);
          for (const n of names) expect(initial.includes(n) || added.has(n)).toBe(true);
          if (churn.length === 0) expect(names).toEqual([...initial].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('listing 250 services costs pages × (1 Query + ceil(n/100) BatchGetItem) DynamoDB calls, not one per service', async () => {
    await removeAll();
    const names = Array.from({ length: 250 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
    for (const n of names) await store.putService(n, spec);
    // A status item for every other service, as a reconcile writes it.
    for (const n of names.filter((_, i) => i % 2 === 0)) {
      await runtime.clients.documents.send(new PutCommand({
        TableName: runtime.tableName,
        Item: {
          ...itemKey(serviceKeys.partition(n), serviceKeys.status),
          status: { phase: 'Available', observedGeneration: 1, revision: 1, targetRevision: 1, counts: { desired: 1, running: 1, healthy: 1, updated: 1, available: 1 }, message: `all of ${n} available`, conditions: [] },
          updatedAt: new Date(runtime.clock.now()).toISOString(),
        },
      }));
    }

    await resetStats();
    const pages = await walk(api, '/services', 'services', undefined);
    const byDefault = await stats();
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    // 3 pages: 3 Queries + (1 + 1 + 1) BatchGetItem calls; no GetItem at all.
    expect(byDefault).toEqual({ 'dynamodb:Query': 3, 'dynamodb:BatchGetItem': 3 });
    const listed = pages.flat();
    expect(listed.map((s) => s.name)).toEqual(names);
    listed.forEach((s, i) => expect(s.status.phase).toBe(i % 2 === 0 ? 'Available' : 'Pending'));
    expect(listed[0].status.message).toBe('all of svc-000 available');

    await resetStats();
    const one = await walk(api, '/services', 'services', 500);
    expect(one.map((p) => p.length)).toEqual([250]);
    // 1 page: 1 Query + ceil(250 / 100) = 3 BatchGetItem calls.
    expect(await stats()).toEqual({ 'dynamodb:Query': 1, 'dynamodb:BatchGetItem': 3 });

    // The list shows each service as GET /services/{name} does.
    for (const n of ['svc-000', 'svc-001', 'svc-249']) {
      expect(listed.find((s) => s.name === n)).toEqual((await call(api, 'GET', `/services/${n}`)).body);
    }
  }, 60_000);

  it('refuses a bad limit or nextToken with 400 naming it, before reading anything', async () => {
    await removeAll();
    for (const n of ['a', 'b', 'c']) await store.putService(n, spec);
    const first = await call(api, 'GET', '/services?limit=1');
    const token: string = first.body.nextToken;
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const jobsToken = Buffer.from(JSON.stringify({ kind: 'job', after: 'a' })).toString('base64url');
    const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    const bad: [string, string][] = [
      ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=-1', 'limit'], ['limit=1.5', 'limit'], ['limit=ten', 'limit'],
      ['limit=', 'limit'], ['limit=1e2', 'limit'], ['limit=99999999999999999999', 'limit'],
      ['nextToken=', 'nextToken'], ['nextToken=not%20a%20token', 'nextToken'], [`nextToken=${token.slice(0, -2)}`, 'nextToken'],
      [`nextToken=${token}x`, 'nextToken'], [`nextToken=${jobsToken}`, 'nextToken'],
      [`nextToken=${encoded({ kind: 'service', after: 'Not_A_Name' })}`, 'nextToken'],
      [`nextToken=${encoded({ kind: 'service', after: 'a', startKey: { pk: 'lease#x' } })}`, 'nextToken'],
      [`nextToken=${encoded({ kind: 'service' })}`, 'nextToken'], [`nextToken=${encoded(['service', 'a'])}`, 'nextToken'],
      [`nextToken=${encoded('a')}`, 'nextToken'], [`nextToken=${'A'.repeat(400)}`, 'nextToken'],
      [`limit=0&nextToken=${token}`, 'limit'],
    ];
    await resetStats();
    for (const [query, field] of bad) {
      const response = await call(api, 'GET', `/services?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code).toBe('ValidationError');
      expect(response.body.error.details[0].field, query).toBe(field);
    }
    const servicesToken = encoded({ kind: 'service', after: 'a' });
    for (const query of ['limit=0', 'limit=501', `nextToken=${servicesToken}`, 'nextToken=%25%25']) {
      const response = await call(api, 'GET', `/jobs?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.details[0].field).toBe(query.split('=')[0]);
    }
    // Validation comes first: none of these reached DynamoDB.
    expect(await stats()).toEqual({});
    // The token still works, and limits at the edges are fine.
    expect((await call(api, 'GET', `/services?nextToken=${token}`)).body.services.map((s: any) => s.name)).toEqual(['b', 'c']);
    expect((await call(api, 'GET', '/services?limit=500')).body).toEqual({ services: expect.any(Array) });
    expect((await call(api, 'GET', '/services?limit=1&nextToken=' + encoded({ kind: 'service', after: 'zzz' }))).body).toEqual({ services: [] });
  });
});

describe('GET /jobs in pages, with the runs the dispatcher recorded', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: zeroDelays });
  });

  afterAll(async () => {
    await runtime?.close();
  });

  it('shows each job as GET /jobs/{name} does, runs included, at 2 Queries a page', async () => {
    const api = runtime.apiUrl;
    expect((await call(runtime.awsUrl, 'POST', '/_corral/images', { image: 'batch:*', behavior: 'exit', afterSeconds: 5 })).status).toBe(200);
    const names = ['alpha', 'alpha-2', 'beta', 'gamma', 'z9'];
    for (const name of names) expect((await call(api, 'PUT', `/jobs/${name}`, { image: 'batch:1', schedule: 'rate(1 minute)' })).status).toBe(201);
    await runtime.bus.runFor(runtime.clock as VirtualClock, 3.5 * 60_000);
    await runtime.bus.idle();

    await fetch(`${runtime.awsUrl}/_corral/stats`, { method: 'DELETE' });
    const pages = await walk(api, '/jobs', 'jobs', 2);
    const { byOperation } = (await (await fetch(`${runtime.awsUrl}/_corral/stats`)).json()) as { byOperation: Record<string, number> };
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    // Each of the 3 pages: one Query for the specs, one for the runs of all its jobs.
    expect(byOperation).toEqual({ 'dynamodb:Query': 6 });

    const listed = pages.flat();
    expect(listed.map((j) => j.name)).toEqual(names);
    for (const job of listed) {
      const single = (await call(api, 'GET', `/jobs/${job.name}`)).body;
      expect(job.status.lastRuns.length).toBeGreaterThanOrEqual(3);
      expect(job).toEqual(single);
    }
  }, 60_000);
});
