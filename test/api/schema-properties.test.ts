import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jobSchema from '../../schema/job-spec.schema.json' with { type: 'json' };
import serviceSchema from '../../schema/service-spec.schema.json' with { type: 'json' };
import { startLocalRuntime, type LocalRuntime } from '../../lib/local/runtime.js';
import { call } from '../support/http.js';
import { conforming, hostileValue, type JsonSchema, mutated } from '../support/schema-arbitrary.js';

const tagged = ['db-password', 'api-key'];
/** Secret values: mostly secrets Corral may use, so valid specs get stored; some it may not. */
const secretReference = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...tagged) },
  { weight: 1, arbitrary: fc.constantFrom('untagged-secret', 'no-such-secret') },
);
/** Variable names from the schema's pattern, and the ones JavaScript objects treat specially. */
const prototypeKey = fc.constantFrom('constructor', '__proto__', 'prototype', 'toString');

/** Fargate cpu/memory pairs, one per cpu size: a rule across two fields that no schema keyword states. */
const fargatePairs = fc.constantFrom([256, 512], [256, 2048], [512, 4096], [1024, 2048], [2048, 16384], [4096, 30720], [8192, 16384], [16384, 122880]);

/**
 * The validator's rules across fields, applied to a schema-conforming spec so that most of
 * them are valid: cpu and memory a Fargate pair, a port when load balancers need one, a
 * progress deadline longer than minHealthySeconds.
 */
function acrossFields([spec, [cpu, memory]]: [unknown, readonly number[]]): unknown {
  const fixed = { ...(spec as Record<string, any>) };
  if ('cpu' in fixed || 'memory' in fixed) Object.assign(fixed, { cpu, memory });
  if ((fixed.loadBalancers ?? []).length > 0 && fixed.port === undefined) fixed.port = 8080;
  const rollout = fixed.rollout;
  if (rollout && (rollout.progressDeadlineSeconds ?? 600) <= (rollout.minHealthySeconds ?? 10)) {
    fixed.rollout = { ...rollout, progressDeadlineSeconds: (rollout.minHealthySeconds ?? 10) + 1 };
  }
  return fixed;
}

function specs(schema: JsonSchema, extra: Record<string, fc.Arbitrary<unknown>> = {}) {
  const valid = fc.tuple(conforming(schema, { 'secrets.*': secretReference, ...extra }), fargatePairs).map(acrossFields);
  const withPrototypeKeys = fc.tuple(valid, prototypeKey, fc.constantFrom('environment', 'secrets')).map(([spec, key, field]) => {
    const variables = { ...((spec as Record<string, Record<string, string>>)[field] ?? {}) };
    Object.defineProperty(variables, key, { value: field === 'secrets' ? tagged[0] : 'value', enumerable: true, writable: true, configurable: true });
    return { ...(spec as object), [field]: variables };
  });
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((body) => ({ body, conforming: true })) },
    { weight: 1, arbitrary: withPrototypeKeys.map((body) => ({ body, conforming: true })) },
    { weight: 4, arbitrary: mutated(valid).map((body) => ({ body, conforming: false })) },
    { weight: 1, arbitrary: hostileValue.map((body) => ({ body, conforming: false })) },
  );
}

const requests = fc.oneof(
  fc.record({ path: fc.constantFrom('/services/web', '/services/api', '/services/worker'), input: specs(serviceSchema as unknown as JsonSchema, {
    // Alarm names must exist in CloudWatch: mostly none, sometimes one that does not (a 400).
    'rollout.alarms': fc.constantFrom([], [], [], ['corral-missing']),
  }) }),
  fc.record({
    path: fc.constantFrom('/jobs/nightly', '/jobs/hourly'),
    input: specs(jobSchema as JsonSchema, {
      timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Mars/Olympus'),
      schedule: fc.oneof(
        fc.constantFrom('rate(5 minutes)', 'rate(1 hour)', 'cron(0 2 * * ? *)', 'cron(0/15 8-17 ? * MON-FRI *)', 'cron(0 2 * * ? 2020)'),
        conforming((jobSchema as JsonSchema).properties!.schedule!),
      ),
    }),
  }),
);

describe('PUT of specs generated from the JSON Schemas in schema/, through the API handler', () => {
  let runtime: LocalRuntime;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, reconcile: false });
    for (const name of tagged) {
      await runtime.clients.secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v', Tags: [{ Key: 'corral:managed', Value: 'true' }] }));
    }
    await runtime.clients.secrets.send(new CreateSecretCommand({ Name: 'untagged-secret', SecretString: 'v' }));
  });
  afterAll(async () => {
    await runtime?.close();
  });

  /** Everything Corral keeps, in a stable order: what a refused request must leave as it was. */
  async function desiredState(): Promise<string> {
    const out = await runtime.clients.dynamo.send(new ScanCommand({ TableName: runtime.tableName, ConsistentRead: true }));
    return JSON.stringify((out.Items ?? []).map((item) => JSON.stringify(item)).sort());
  }

  it('never answers 5xx; a 4xx names its fields and changes nothing; a conforming spec is stored as sent', async () => {
    await fc.assert(
      fc.asyncProperty(requests, fc.boolean(), async ({ path, input }, withIfMatch) => {
        const before = await desiredState();
        const current = await call(runtime.apiUrl, 'GET', path);
        const headers: Record<string, string> = withIfMatch && current.status === 200 ? { 'If-Match': current.headers.get('etag')! } : {};
        const answer = await call(runtime.apiUrl, 'PUT', path, JSON.stringify(input.body) ?? 'null', headers);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status, answer.text).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(answer.body.error.code).toEqual(expect.any(String));
          for (const detail of answer.body.error.details) expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
          expect(await desiredState()).toBe(before);
          return;
        }
        // Accepted: what GET answers is the spec as sent, defaults filled, names exactly as written.
        const stored = await call(runtime.apiUrl, 'GET', path);
        expect(stored.body.spec).toEqual(answer.body.spec);
        const sent = input.body as Record<string, Record<string, string> | undefined>;
        for (const field of ['environment', 'secrets'] as const) {
          expect(Object.entries(stored.body.spec[field])).toEqual(Object.entries(sent[field] ?? {}));
        }
      }),
      { numRuns: 300, seed: 1212 },
    );
    // The generators reach both outcomes, not only refusals.
    const accepted = (statuses.get(200) ?? 0) + (statuses.get(201) ?? 0);
    expect(accepted, JSON.stringify([...statuses])).toBeGreaterThan(20);
    expect(statuses.get(400) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(50);
  }, 120_000);
});
