import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionFromExecuteApiHost } from '../../lib/cli/aws-identity.js';
import { shouldSign } from '../../lib/cli/connect.js';
import { sendHttp, type HttpRequestSpec } from '../../lib/cli/http.js';
import { signRequest } from '../../lib/cli/signing.js';
import { runCorral } from './run-cli.js';
import { startVerifyingServer, type VerifyingServer } from './sigv4-verifier.js';

const credentials = { accessKeyId: 'AKIDCORRALTEST', secretAccessKey: 'corral-test-secret-key' };
const region = 'eu-west-1';
const awsEnv = {
  CORRAL_SIGV4: '1',
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_REGION: region,
};

let server: VerifyingServer;
beforeAll(async () => {
  server = await startVerifyingServer(credentials, region);
});
afterAll(() => server.close());

function scaleRequest(): HttpRequestSpec {
  const url = new URL('/prod/services/web/scale', server.url);
  const body = JSON.stringify({ replicas: 3 });
  return {
    method: 'POST',
    url,
    headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(body.length) },
    body,
  };
}

describe('SigV4 signing of CLI requests', () => {
  it('the CLI signs a GET with credentials from the standard chain, and the server accepts it', async () => {
    const before = server.requests.length;
    const run = await runCorral(['get', 'services', '--endpoint', server.url], awsEnv);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No services.');
    expect(server.requests.slice(before)).toEqual([
      { method: 'GET', path: '/services', accepted: true, reason: '' },
    ]);
  });

  it('the CLI signs a POST with a body under a stage path, and the server accepts it', async () => {
    const before = server.requests.length;
    const run = await runCorral(['scale', 'web', '4', '--endpoint', `${server.url}/prod/`], awsEnv);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('service/web scaled to 4');
    expect(server.requests.slice(before)).toEqual([
      { method: 'POST', path: '/prod/services/web/scale', accepted: true, reason: '' },
    ]);
  });

  it('a request signed with the wrong secret is rejected and the CLI shows the 403 and exits 1', async () => {
    const run = await runCorral(['get', '--endpoint', server.url], { ...awsEnv, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('HTTP 403');
    expect(run.stderr).toContain('signature we calculated does not match');
  });

  it('accepts a signed request sent as signed', async () => {
    const signed = await signRequest(scaleRequest(), { region, credentials });
    expect((await sendHttp(signed)).status).toBe(200);
  });

  it('rejects a signed request whose body was changed after signing', async () => {
    const signed = await signRequest(scaleRequest(), { region, credentials });
    const body = JSON.stringify({ replicas: 9 });
    const tampered = { ...signed, body, headers: { ...signed.headers, 'content-length': String(body.length) } };
    const response = await sendHttp(tampered);
    expect(response.status).toBe(403);
    expect(response.body).toContain('x-amz-content-sha256');
  });

  it('rejects a signed request whose body and payload hash were both changed after signing', async () => {
    const signed = await signRequest(scaleRequest(), { region, credentials });
    const body = JSON.stringify({ replicas: 9 });
    const { createHash } = await import('node:crypto');
    const tampered = {
      ...signed,
      body,
      headers: {
        ...signed.headers,
        'content-length': String(body.length),
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      },
    };
    const response = await sendHttp(tampered);
    expect(response.status).toBe(403);
    expect(response.body).toContain('signature we calculated does not match');
  });

  it('rejects a signed request whose signed header was changed after signing', async () => {
    const signed = await signRequest(scaleRequest(), { region, credentials });
    const tampered = { ...signed, headers: { ...signed.headers, 'content-type': 'text/plain' } };
    const response = await sendHttp(tampered);
    expect(response.status).toBe(403);
    expect(response.body).toContain('signature we calculated does not match');
  });

  it('without credentials the CLI says so, exits 1 and sends nothing', async () => {
    const home = await mkdtemp(join(tmpdir(), 'corral-nocreds-'));
    const before = server.requests.length;
    const run = await runCorral(['get', '--endpoint', server.url], {
      CORRAL_SIGV4: '1',
      AWS_REGION: region,
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no AWS credentials found');
    expect(server.requests.length).toBe(before);
  });
});

describe('when to sign and for which region', () => {
  it('signs API Gateway, not loopback, unless CORRAL_SIGV4 says otherwise', () => {
    const gateway = new URL('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/');
    const local = new URL('http://127.0.0.1:3000');
    expect(shouldSign(gateway, {})).toBe(true);
    expect(shouldSign(local, {})).toBe(false);
    expect(shouldSign(new URL('http://localhost:3000'), {})).toBe(false);
    expect(shouldSign(new URL('http://[::1]:3000'), {})).toBe(false);
    expect(shouldSign(local, { CORRAL_SIGV4: '1' })).toBe(true);
    expect(shouldSign(gateway, { CORRAL_SIGV4: '0' })).toBe(false);
  });

  it('reads the region from an execute-api host name', () => {
    expect(regionFromExecuteApiHost('abc123.execute-api.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(regionFromExecuteApiHost('abc123.execute-api.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionFromExecuteApiHost('api.example.com')).toBeUndefined();
  });
});
