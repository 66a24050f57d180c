import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalMode, type LocalMode } from './local-mode.js';
import { runCorral } from './run-cli.js';

/** `corral get services|jobs` reads every page of the paginated lists, over the wire against local mode. */

let local: LocalMode;
let env: Record<string, string>;
const services = ['api', 'cache', 'db-proxy', 'edge', 'queue', 'web', 'worker'];
const jobs = ['backup', 'nightly', 'report'];

beforeAll(async () => {
  local = await startLocalMode();
  env = { CORRAL_ENDPOINT: local.apiUrl, HOME: await mkdtemp(join(tmpdir(), 'corral-cli-pages-')) };
  for (const name of services) {
    const created = await fetch(`${local.apiUrl}/services/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: 'nginx:1.27', replicas: 0 }) });
    expect(created.status).toBe(201);
  }
  for (const name of jobs) {
    const created = await fetch(`${local.apiUrl}/jobs/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: 'busybox:1.36', schedule: 'rate(1 hour)' }) });
    expect(created.status).toBe(201);
  }
}, 60_000);
afterAll(() => local?.stop());

describe('corral get follows nextToken', () => {
  it('lists every service and job when each page holds fewer', async () => {
    // The API really pages at this size: a page of 2 has a nextToken.
    const firstPage = (await (await fetch(`${local.apiUrl}/services?limit=2`)).json()) as { services: unknown[]; nextToken?: string };
    expect(firstPage.services).toHaveLength(2);
    expect(firstPage.nextToken).toEqual(expect.any(String));

    const json = await runCorral(['get', 'services', '--chunk-size', '2', '-o', 'json'], env);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout);
    expect(listed.services.map((s: { name: string }) => s.name)).toEqual(services);
    expect(listed.nextToken).toBeUndefined();

    const table = await runCorral(['get', 'services', '--chunk-size', '3'], env);
    expect(table.code).toBe(0);
    const rows = table.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
    expect(rows).toEqual(services);

    const names = await runCorral(['get', 'jobs', '--chunk-size', '1', '-o', 'name'], env);
    expect(names.code).toBe(0);
    expect(names.stdout.trim().split('\n')).toEqual(jobs.map((j) => `job/${j}`));
  }, 60_000);

  it('refuses a --chunk-size the API would not take, before calling it', async () => {
    for (const size of ['0', '501', 'ten']) {
      const run = await runCorral(['get', 'services', '--chunk-size', size], env);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('--chunk-size must be a whole number from 1 to 500');
    }
  }, 60_000);
});
