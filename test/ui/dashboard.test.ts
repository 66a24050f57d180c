import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../lib/cli/signing.js';
import { startDashboard, type DashboardServer } from '../../lib/ui/dashboard-server.js';
import { REPO_ROOT } from '../cli/run-cli.js';
import { startVerifyingServer, type VerifyingServer } from '../cli/sigv4-verifier.js';

const credentials = { accessKeyId: 'AKIDCORRALDASH', secretAccessKey: 'corral-dashboard-secret' };
const region = 'eu-west-1';

/** A raw request, so the test controls the Host header as another site's page would. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('corral dashboard: the page on loopback, its API calls forwarded and signed', () => {
  let verifier: VerifyingServer;
  let dashboard: DashboardServer;
  let origin: string;

  beforeAll(async () => {
    verifier = await startVerifyingServer(credentials, region);
    dashboard = await startDashboard({
      endpoint: new URL(`${verifier.url}/prod`),
      sign: (request) => signRequest(request, { region, credentials }),
    });
    origin = new URL(dashboard.url).origin;
  });
  afterAll(async () => {
    await dashboard?.close();
    await verifier?.close();
  });

  it('serves the page under /ui/ with a strict content security policy, and / leads there', async () => {
    const page = await raw(dashboard.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script type="module" src="app.js">');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect((await raw(`${origin}/`)).headers.location).toBe('/ui/');
    expect(verifier.requests).toHaveLength(0);
  });

  it('forwards GET /services under the stage path, signed so that API Gateway accepts it', async () => {
    const answer = await fetch(`${origin}/services?limit=5`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ services: [] });
    expect(verifier.requests.at(-1)).toMatchObject({ method: 'GET', path: '/prod/services?limit=5', accepted: true });
  });

  it('forwards an action from the page with its body and If-Match, signed', async () => {
    const answer = await fetch(`${origin}/services/web/pause`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'if-match': '"3"', 'x-corral-dashboard': '1' },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    expect(verifier.requests.at(-1)).toMatchObject({ method: 'POST', path: '/prod/services/web/pause', accepted: true });
  });

  it('refuses changes that do not come from the page itself (another site in the same browser)', async () => {
    const before = verifier.requests.length;
    const noHeader = await fetch(`${origin}/services/web/pause`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(noHeader.status).toBe(403);
    const crossSite = await fetch(`${origin}/services/web`, {
      method: 'DELETE', headers: { 'x-corral-dashboard': '1', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    const rebound = await raw(`${origin}/services`, { headers: { host: `evil.example:${dashboard.port}` } });
    expect(rebound.status).toBe(421);
    expect(verifier.requests.length).toBe(before);
  });

  it('answers 502 with the reason when the API cannot be reached, which the page shows as disconnected', async () => {
    const lost = await startDashboard({ endpoint: new URL('http://127.0.0.1:9/prod') });
    try {
      const answer = await fetch(`${new URL(lost.url).origin}/services`);
      expect(answer.status).toBe(502);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/127\.0\.0\.1:9/);
    } finally {
      await lost.close();
    }
  });

  it('`corral dashboard --port 0` prints the page URL, signs with the standard credential chain and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/corral.ts', 'dashboard', '--port', '0', '--endpoint', `${verifier.url}/prod`], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '', NO_COLOR: '1', CORRAL_SIGV4: '1', AWS_REGION: region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /Corral dashboard: (http:\/\/127\.0\.0\.1:\d+\/ui\/)\nAPI: .*\n/.exec(output);
        if (match) resolve(match[1]);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', (code) => reject(new Error(`corral dashboard exited with ${code}: ${output}`)));
    });
    expect(output).toContain('signed with SigV4');
    expect((await fetch(url)).status).toBe(200);
    const answer = await fetch(new URL('/services', url));
    expect(answer.status).toBe(200);
    expect(verifier.requests.at(-1)).toMatchObject({ path: '/prod/services', accepted: true });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
