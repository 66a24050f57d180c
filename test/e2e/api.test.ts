import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../lib/local/runtime.js';
import { call } from '../support/http.js';

const web = { image: 'nginx:1.27', replicas: 2, rollout: { minHealthySeconds: 0 } };

describe('desired-state API in local mode', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let api: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'corral-api-'));
    runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, dataDir, virtualTime: true, reconcile: false });
    api = runtime.apiUrl;
  });

  afterAll(async () => {
    await runtime?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a service with 201 and an ETag, applying defaults', async () => {
    const created = await call(api, 'PUT', '/services/web', web);
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ name: 'web', generation: 1, spec: { image: 'nginx:1.27', replicas: 2, cpu: 256, memory: 512 } });
    expect(created.body.spec.rollout).toMatchObject({ strategy: 'RollingUpdate', maxSurge: '25%', maxUnavailable: 0, minHealthySeconds: 0 });
    expect(created.body.status.phase).toBe('Pending');
  });

  it('gets and lists services', async () => {
    const got = await call(api, 'GET', '/services/web');
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.body.spec.image).toBe('nginx:1.27');
    await call(api, 'PUT', '/services/api', { image: 'api:1', replicas: 1 });
    const list = await call(api, 'GET', '/services');
    expect(list.status).toBe(200);
    expect(list.body.services.map((s: any) => s.name)).toEqual(['api', 'web']);
  });

  it('honours If-Match: a matching generation replaces, a stale one is refused with 412', async () => {
    const replaced = await call(api, 'PUT', '/services/web', { ...web, image: 'nginx:1.28' }, { 'If-Match': '"1"' });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    const stale = await call(api, 'PUT', '/services/web', { ...web, image: 'nginx:1.29' }, { 'If-Match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('PreconditionFailed');
    const after = await call(api, 'GET', '/services/web');
    expect(after.body).toMatchObject({ generation: 2, spec: { image: 'nginx:1.28' } });
  });

  it('treats re-applying the same spec as no change', async () => {
    const current = await call(api, 'GET', '/services/web');
    const again = await call(api, 'PUT', '/services/web', current.body.spec, { 'If-Match': current.headers.get('etag')! });
    expect(again.status).toBe(200);
    expect(again.body.generation).toBe(current.body.generation);
  });

  it('lets exactly one of two concurrent replaces with the same If-Match win', async () => {
    const current = await call(api, 'GET', '/services/web');
    const etag = current.headers.get('etag')!;
    const [a, b] = await Promise.all([
      call(api, 'PUT', '/services/web', { ...web, image: 'racer:a' }, { 'If-Match': etag }),
      call(api, 'PUT', '/services/web', { ...web, image: 'racer:b' }, { 'If-Match': etag }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? 'racer:a' : 'racer:b';
    const after = await call(api, 'GET', '/services/web');
    expect(after.body.spec.image).toBe(winner);
    expect(after.body.generation).toBe(current.body.generation + 1);
  });

  it('applies both of two concurrent replaces without If-Match, as two generations', async () => {
    const before = (await call(api, 'GET', '/services/web')).body.generation;
    const [a, b] = await Promise.all([
      call(api, 'PUT', '/services/web', { ...web, replicas: 3 }),
      call(api, 'PUT', '/services/web', { ...web, replicas: 4 }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await call(api, 'GET', '/services/web')).body.generation).toBe(before + 2);
  });

  it('records a new revision for template changes only', async () => {
    const base = await call(api, 'PUT', '/services/rev', { image: 'a:1', replicas: 1 });
    expect(base.body.status.revision).toBe(1);
    const scaled = await call(api, 'PUT', '/services/rev', { image: 'a:1', replicas: 5, rollout: { maxSurge: 2 } });
    expect(scaled.body.status.revision).toBe(1);
    const changed = await call(api, 'PUT', '/services/rev', { image: 'a:1', replicas: 5, environment: { MODE: 'x' } });
    expect(changed.body.status.revision).toBe(2);
  });

  it('scales a service', async () => {
    const scaled = await call(api, 'POST', '/services/web/scale', { replicas: 7 });
    expect(scaled.status).toBe(200);
    expect(scaled.body.spec.replicas).toBe(7);
    const missing = await call(api, 'POST', '/services/nope/scale', { replicas: 1 });
    expect(missing.status).toBe(404);
  });

  describe('bad input: a 4xx that names the problem and changes nothing', () => {
    const cases: [string, string, string, unknown, Record<string, string>, number, string][] = [
      ['malformed JSON', 'PUT', '/services/web', '{"image": ', {}, 400, 'malformed JSON'],
      ['an unknown field', 'PUT', '/services/web', { ...web, colour: 'blue' }, {}, 400, 'colour'],
      ['replicas: -1', 'PUT', '/services/web', { ...web, replicas: -1 }, {}, 400, 'replicas'],
      ['replicas: "3"', 'PUT', '/services/web', { ...web, replicas: '3' }, {}, 400, 'replicas'],
      ['an invalid name', 'PUT', '/services/Bad_Name', web, {}, 400, 'name'],
      ['a malformed escape in the name', 'GET', '/services/%E0%A4%A', undefined, {}, 400, 'name'],
      ['a name reserved for jobs', 'PUT', '/services/job-web', web, {}, 400, 'job-'],
      ['a stale If-Match on pause', 'POST', '/services/web/pause', undefined, { 'If-Match': '"1"' }, 412, 'If-Match'],
      ['a 70 KiB body', 'PUT', '/services/web', { ...web, environment: { BIG: 'x'.repeat(70 * 1024) } }, {}, 413, 'limit'],
      ['a non-JSON content type', 'PUT', '/services/web', 'image=nginx', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'Content-Type'],
      ['an unknown route', 'GET', '/nowhere', undefined, {}, 404, '/nowhere'],
      ['scale without replicas', 'POST', '/services/web/scale', {}, {}, 400, 'replicas'],
      ['a bad rollback revision', 'POST', '/services/web/rollback', { revision: 'two' }, {}, 400, 'revision'],
    ];
    it.each(cases)('%s', async (_label, method, path, body, headers, status, mentions) => {
      const before = await call(api, 'GET', '/services/web');
      const response = await call(api, method, path, body, headers);
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBeTruthy();
      expect(JSON.stringify(response.body.error)).toContain(mentions);
      const after = await call(api, 'GET', '/services/web');
      expect(after.body).toEqual(before.body);
    });

    it('reports every problem with its field path', async () => {
      const response = await call(api, 'PUT', '/services/web', { replicas: 2000, cpu: 'lots', rollout: { maxSurge: 0, maxUnavailable: 0 } });
      expect(response.status).toBe(400);
      const fields = response.body.error.details.map((d: any) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['image', 'replicas', 'cpu', 'rollout']));
    });
  });

  it('pauses and resumes as recorded intent', async () => {
    const paused = await call(api, 'POST', '/services/web/pause');
    expect(paused.status).toBe(200);
    expect(paused.body.status.paused).toBe(true);
    const resumed = await call(api, 'POST', '/services/web/resume');
    expect(resumed.body.status.paused).toBe(false);
  });

  it('deletes with 202 and refuses changes while terminating', async () => {
    await call(api, 'PUT', '/services/doomed', { image: 'x:1', replicas: 1 });
    const deleted = await call(api, 'DELETE', '/services/doomed');
    expect(deleted.status).toBe(202);
    expect(deleted.body.status.phase).toBe('Terminating');
    const change = await call(api, 'PUT', '/services/doomed', { image: 'x:2', replicas: 1 });
    expect(change.status).toBe(409);
    expect((await call(api, 'DELETE', '/services/absent')).status).toBe(404);
  });

  it('keeps desired state across a restart of local mode', async () => {
    const before = await call(api, 'GET', '/services/web');
    await runtime.close();
    runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, dataDir, virtualTime: true, reconcile: false });
    api = runtime.apiUrl;
    const after = await call(api, 'GET', '/services/web');
    expect(after.status).toBe(200);
    expect(after.body.spec).toEqual(before.body.spec);
    expect(after.body.generation).toBe(before.body.generation);
  });
});
