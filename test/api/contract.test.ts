import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations, documentOperation, type OperationDoc } from '../../lib/api/openapi/operations.js';
import { startLocalRuntime, type LocalRuntime } from '../../lib/local/runtime.js';
import type { VirtualClock } from '../../lib/local/virtual-clock.js';
import { reconcileService } from '../../lib/reconciler/runner.js';

/**
 * Sends each documented request through the API handler (local mode's server, which runs the
 * very handler API Gateway invokes) and checks every answer against schema/openapi.json: a
 * documented status, a body that matches its schema, the documented headers. At the end every
 * documented status of every operation must have been seen, so the document lists no answer
 * the API cannot give.
 */
const document = JSON.parse(readFileSync(new URL('../../schema/openapi.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'openapi.json', components: document.components });

const seen = new Map<string, Set<number>>();
let runtime: LocalRuntime;
let dataDir: string;

interface Sent {
  status: number;
  headers: Headers;
  body: any;
}

async function send(op: OperationDoc, name: string | undefined, options: { body?: unknown; raw?: string; contentType?: string; ifMatch?: string; query?: string } = {}): Promise<Sent> {
  const path = op.path.replace('{name}', name ?? '') + (options.query ? `?${options.query}` : '');
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (options.raw !== undefined || options.body !== undefined) {
    body = options.raw ?? JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  const response = await fetch(`${runtime.apiUrl}${path}`, { method: op.method, headers, body });
  const text = await response.text();
  const parsed = JSON.parse(text);
  const label = `${op.method} ${op.path} → ${response.status}`;
  const documented = op.responses[response.status];
  expect(documented, `${label} is not documented: ${text}`).toBeDefined();
  const schema = document.paths[op.path][op.method.toLowerCase()].responses[response.status].content['application/json'].schema;
  const validate = ajv.compile({ $ref: `openapi.json${schema.$ref}` });
  expect(validate(parsed), `${label}: ${JSON.stringify(validate.errors)}\n${text}`).toBe(true);
  expect(response.headers.get('x-request-id'), label).toMatch(/^[0-9a-f-]{36}$/);
  if (response.status >= 400) expect(parsed.error.requestId).toBe(response.headers.get('x-request-id'));
  for (const header of documented.headers ?? []) expect(response.headers.get(header), `${label} ${header}`).toBeTruthy();
  if (!seen.has(op.operationId)) seen.set(op.operationId, new Set());
  seen.get(op.operationId)!.add(response.status);
  return { status: response.status, headers: response.headers, body: parsed };
}

const op = (operationId: string): OperationDoc => {
  const found = [...operations, documentOperation].find((o) => o.operationId === operationId);
  if (!found) throw new Error(operationId);
  return found;
};
const web = { image: 'nginx:1.27', replicas: 2, rollout: { minHealthySeconds: 0 } };
const nightly = { image: 'busybox:1.36', command: ['true'], schedule: 'rate(1 hour)' };
const huge = JSON.stringify({ image: 'nginx:1', replicas: 1, environment: { BIG: 'x'.repeat(70_000) } });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'corral-contract-'));
  runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, dataDir, virtualTime: true, reconcile: false });
  // Without the reconciler nothing is rotated for real; the rotation function only has to answer.
  runtime.aws.setRotationHandler(runtime.rotationFunctionArn, async () => {});
  const secrets = new SecretsManagerClient({ endpoint: runtime.awsUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await secrets.send(new CreateSecretCommand({ Name: 'db-password', SecretString: 's3cret', Tags: [{ Key: 'corral:managed', Value: 'true' }] }));
  await secrets.send(new CreateSecretCommand({ Name: 'someone-elses', SecretString: 'theirs' }));
  secrets.destroy();
});

afterAll(async () => {
  await runtime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the API answers as schema/openapi.json says', () => {
  it('services: create, read, change, roll back, pause, delete', async () => {
    const created = await send(op('putService'), 'web', { body: web });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/services/web');
    expect((await send(op('putService'), 'web', { body: { ...web, image: 'nginx:1.28' }, ifMatch: '"1"' })).status).toBe(200);
    expect((await send(op('putService'), 'web', { body: web, ifMatch: '"1"' })).status).toBe(412);
    expect((await send(op('putService'), 'web', { body: { ...web, replicas: -1 } })).status).toBe(400);
    expect((await send(op('putService'), 'web', { raw: huge })).status).toBe(413);
    expect((await send(op('putService'), 'web', { raw: 'image: x', contentType: 'text/yaml' })).status).toBe(415);
    expect((await send(op('listServices'), undefined)).status).toBe(200);
    expect((await send(op('putService'), 'api', { body: web })).status).toBe(201);
    const firstPage = await send(op('listServices'), undefined, { query: 'limit=1' });
    expect(firstPage.body.services.map((s: { name: string }) => s.name)).toEqual(['api']);
    const lastPage = await send(op('listServices'), undefined, { query: `limit=1&nextToken=${firstPage.body.nextToken}` });
    expect(lastPage.body).toEqual({ services: [expect.objectContaining({ name: 'web' })] });
    expect((await send(op('listServices'), undefined, { query: 'limit=501' })).body.error.details[0].field).toBe('limit');
    expect((await send(op('listServices'), undefined, { query: 'nextToken=bogus' })).body.error.details[0].field).toBe('nextToken');
    expect((await send(op('getService'), 'web')).status).toBe(200);
    expect((await send(op('getService'), 'Not_A_Name')).status).toBe(400);
    expect((await send(op('getService'), 'ghost')).status).toBe(404);
    expect((await send(op('listServiceEvents'), 'web')).status).toBe(200);
    expect((await send(op('listServiceEvents'), 'Bad!')).status).toBe(400);
    expect((await send(op('listServiceEvents'), 'ghost')).status).toBe(404);

    expect((await send(op('scaleService'), 'web', { body: { replicas: 3 } })).status).toBe(200);
    expect((await send(op('scaleService'), 'web', { body: { replicas: 'many' } })).status).toBe(400);
    expect((await send(op('scaleService'), 'ghost', { body: { replicas: 1 } })).status).toBe(404);
    expect((await send(op('scaleService'), 'web', { body: { replicas: 1 }, ifMatch: '"1"' })).status).toBe(412);
    expect((await send(op('scaleService'), 'web', { raw: huge })).status).toBe(413);
    expect((await send(op('scaleService'), 'web', { raw: 'replicas=1', contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);

    expect((await send(op('rollbackService'), 'web', { body: {} })).status).toBe(200);
    expect((await send(op('rollbackService'), 'web', { body: { revision: 99 } })).status).toBe(400);
    expect((await send(op('rollbackService'), 'ghost', { body: {} })).status).toBe(404);
    expect((await send(op('rollbackService'), 'web', { body: {}, ifMatch: '"1"' })).status).toBe(412);
    expect((await send(op('rollbackService'), 'web', { raw: huge })).status).toBe(413);
    expect((await send(op('rollbackService'), 'web', { raw: '{}', contentType: 'text/plain' })).status).toBe(415);
    await send(op('putService'), 'lonely', { body: web });
    expect((await send(op('rollbackService'), 'lonely', { body: {} })).status).toBe(409);

    for (const action of ['pauseService', 'resumeService']) {
      expect((await send(op(action), 'web')).status).toBe(200);
      expect((await send(op(action), 'Bad!')).status).toBe(400);
      expect((await send(op(action), 'ghost')).status).toBe(404);
      expect((await send(op(action), 'web', { ifMatch: '"1"' })).status).toBe(412);
      expect((await send(op(action), 'web', { raw: huge })).status).toBe(413);
      expect((await send(op(action), 'web', { raw: '{}', contentType: 'text/plain' })).status).toBe(415);
    }

    // Promote and abort need a rollout in progress: the reconciler is driven by hand here.
    const reconcileCanary = async () => {
      await reconcileService({ ...runtime.reconcilerDeps, holder: 'contract' }, 'canary');
      await runtime.bus.runFor(runtime.clock as VirtualClock, 5_000);
    };
    const canary = (image: string) => ({ ...web, image, rollout: { minHealthySeconds: 0, strategy: 'Canary', steps: [{ setWeight: 50 }, { pause: {} }] } });
    await send(op('putService'), 'canary', { body: canary('nginx:1.27') });
    expect((await send(op('abortService'), 'canary')).status).toBe(409); // nothing to go back to yet
    for (let i = 0; i < 6; i++) await reconcileCanary();
    expect((await send(op('promoteService'), 'canary', { body: {} })).status).toBe(409); // its first rollout is over
    await send(op('putService'), 'canary', { body: canary('nginx:1.28') });
    await reconcileCanary();
    for (const action of ['promoteService', 'abortService']) {
      expect((await send(op(action), 'Bad!')).status).toBe(400);
      expect((await send(op(action), 'ghost')).status).toBe(404);
      expect((await send(op(action), 'canary', { ifMatch: '"1"' })).status).toBe(412);
      expect((await send(op(action), 'canary', { raw: huge })).status).toBe(413);
      expect((await send(op(action), 'canary', { raw: '{}', contentType: 'text/plain' })).status).toBe(415);
    }
    expect((await send(op('promoteService'), 'canary', { body: { full: 1 } })).status).toBe(400);
    expect((await send(op('promoteService'), 'canary', { body: { full: true } })).status).toBe(200);
    expect((await send(op('abortService'), 'canary')).status).toBe(200);

    expect((await send(op('deleteService'), 'web', { ifMatch: '"1"' })).status).toBe(412);
    expect((await send(op('deleteService'), 'web')).status).toBe(202);
    expect((await send(op('deleteService'), 'Bad!')).status).toBe(400);
    expect((await send(op('deleteService'), 'ghost')).status).toBe(404);
    // No reconciler runs here, so web stays Terminating: changes to it are conflicts.
    expect((await send(op('putService'), 'web', { body: web })).status).toBe(409);
    expect((await send(op('scaleService'), 'web', { body: { replicas: 1 } })).status).toBe(409);
  });

  it('jobs: create, read, replace, delete', async () => {
    expect((await send(op('putJob'), 'nightly', { body: nightly })).status).toBe(201);
    expect((await send(op('putJob'), 'nightly', { body: { ...nightly, schedule: 'rate(2 hours)' } })).status).toBe(200);
    expect((await send(op('putJob'), 'nightly', { body: nightly, ifMatch: '"1"' })).status).toBe(412);
    expect((await send(op('putJob'), 'nightly', { body: { ...nightly, schedule: 'often' } })).status).toBe(400);
    expect((await send(op('putJob'), 'nightly', { raw: huge })).status).toBe(413);
    expect((await send(op('putJob'), 'nightly', { raw: '{}', contentType: 'text/plain' })).status).toBe(415);
    expect((await send(op('listJobs'), undefined)).status).toBe(200);
    expect((await send(op('listJobs'), undefined, { query: 'limit=1' })).body).toEqual({ jobs: [expect.objectContaining({ name: 'nightly' })] });
    expect((await send(op('listJobs'), undefined, { query: 'limit=0' })).status).toBe(400);
    expect((await send(op('getJob'), 'nightly')).status).toBe(200);
    expect((await send(op('getJob'), 'Bad!')).status).toBe(400);
    expect((await send(op('getJob'), 'ghost')).status).toBe(404);
    expect((await send(op('deleteJob'), 'nightly', { ifMatch: '"1"' })).status).toBe(412);
    expect((await send(op('deleteJob'), 'nightly')).status).toBe(202);
    expect((await send(op('deleteJob'), 'Bad!')).status).toBe(400);
    expect((await send(op('deleteJob'), 'ghost')).status).toBe(404);
    expect((await send(op('putJob'), 'nightly', { body: nightly })).status).toBe(409);
  });

  it('secrets: describe and rotate', async () => {
    expect((await send(op('getSecret'), 'db-password')).status).toBe(200);
    expect((await send(op('getSecret'), 'no%20spaces')).status).toBe(400);
    expect((await send(op('getSecret'), 'ghost')).status).toBe(404);
    expect((await send(op('getSecret'), 'someone-elses')).status).toBe(403);
    expect((await send(op('rotateSecret'), 'someone-elses')).status).toBe(403);
    expect((await send(op('rotateSecret'), 'db-password')).status).toBe(202);
    // The first rotation never finished (its function did nothing): Secrets Manager refuses another.
    expect((await send(op('rotateSecret'), 'db-password')).status).toBe(409);
    expect((await send(op('rotateSecret'), 'no%20spaces')).status).toBe(400);
    expect((await send(op('rotateSecret'), 'ghost')).status).toBe(404);
    expect((await send(op('rotateSecret'), 'db-password', { raw: huge })).status).toBe(413);
    expect((await send(op('rotateSecret'), 'db-password', { raw: '{}', contentType: 'text/plain' })).status).toBe(415);
  });

  it('serves the document itself at GET /openapi.json', async () => {
    const answer = await send(documentOperation, undefined);
    expect(answer.body).toEqual(document);
  });

  it('gave every documented answer at least once', () => {
    const missing = [...operations, documentOperation].flatMap((o) =>
      Object.keys(o.responses).map(Number).filter((status) => !seen.get(o.operationId)?.has(status)).map((status) => `${o.operationId} ${status}`),
    );
    expect(missing).toEqual([]);
  });
});
