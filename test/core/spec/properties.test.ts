import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateJobSpec, validateServiceSpec } from '../../../lib/core/spec/index.js';

/** Values near the edges of each field, and some of the wrong type. */
const anyScalar = fc.oneof(
  fc.integer({ min: -2, max: 1002 }),
  fc.constantFrom(0, 1, 3, 256, 512, 1024, 2048, 4096, 1e308, -0, 0.5, 65535, 65536),
  fc.constantFrom('25%', '0%', '100%', '101%', '3', '', 'RollingUpdate', 'Recreate', 'CMD', 'CMD-SHELL', 'nginx'),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
);
const anyValue = fc.oneof(anyScalar, fc.jsonValue({ maxDepth: 2 }));

const keys = fc.constantFrom('A', 'B_1', '1A', 'a-b', '__proto__', 'constructor', 'toString', '');
const record = fc.dictionary(keys, fc.oneof(fc.string(), anyScalar), { maxKeys: 3 });

/** Objects shaped like service specs, each field present or absent, valid or not. */
const serviceShaped = fc.record(
  {
    image: fc.oneof(fc.constantFrom('nginx', 'repo/app:1', 'bad image'), anyValue),
    replicas: anyValue,
    cpu: anyValue,
    memory: anyValue,
    command: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), anyValue),
    environment: fc.oneof(record, anyValue),
    secrets: fc.oneof(record, anyValue),
    port: anyValue,
    healthCheck: fc.oneof(
      fc.record(
        {
          command: fc.oneof(fc.constant(['CMD-SHELL', 'true']), fc.array(anyScalar, { maxLength: 3 })),
          intervalSeconds: anyValue,
          timeoutSeconds: anyValue,
          retries: anyValue,
          startPeriodSeconds: anyValue,
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    rollout: fc.oneof(
      fc.record(
        {
          strategy: anyValue,
          maxSurge: anyValue,
          maxUnavailable: anyValue,
          minHealthySeconds: anyValue,
          progressDeadlineSeconds: anyValue,
          failureThreshold: anyValue,
          autoRollback: anyValue,
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    revisionHistoryLimit: anyValue,
    extra: anyValue,
  },
  { requiredKeys: [] },
);

const jobShaped = fc.record(
  {
    image: fc.oneof(fc.constant('repo/job:1'), anyValue),
    schedule: fc.oneof(
      fc.constantFrom('rate(5 minutes)', 'rate(1 minutes)', 'cron(0 10 * * ? *)', 'cron(0 10 * * * *)', 'cron(x)'),
      anyValue,
    ),
    concurrencyPolicy: fc.oneof(fc.constantFrom('Forbid', 'Replace', 'Allow', 'forbid'), anyValue),
    timeoutSeconds: anyValue,
    cpu: anyValue,
    memory: anyValue,
    environment: fc.oneof(record, anyValue),
  },
  { requiredKeys: [] },
);

/** Objects that are mostly valid specs, so revalidation is exercised on many valid results. */
const variableName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const countOrPercent = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`));
const plausibleService = fc.record(
  {
    image: fc.constantFrom('nginx', 'repo/app:1', 'public.ecr.aws/a/b@sha256:' + 'f'.repeat(64)),
    replicas: fc.integer({ min: 0, max: 1000 }),
    cpu: fc.constantFrom(256, 512),
    memory: fc.constantFrom(512, 1024, 2048, 4096),
    command: fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
    environment: fc.dictionary(variableName, fc.string(), { maxKeys: 3 }),
    secrets: fc.dictionary(variableName, fc.constantFrom('prod/db', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf'), { maxKeys: 2 }),
    port: fc.integer({ min: 1, max: 65535 }),
    healthCheck: fc.record(
      {
        command: fc.constantFrom(['CMD-SHELL', 'true'], ['CMD', '/check', '-v']),
        intervalSeconds: fc.integer({ min: 5, max: 300 }),
        timeoutSeconds: fc.integer({ min: 2, max: 60 }),
        retries: fc.integer({ min: 1, max: 10 }),
        startPeriodSeconds: fc.integer({ min: 0, max: 300 }),
      },
      { requiredKeys: ['command'] },
    ),
    rollout: fc.record(
      {
        strategy: fc.constantFrom('RollingUpdate', 'Recreate'),
        maxSurge: countOrPercent,
        maxUnavailable: countOrPercent,
        minHealthySeconds: fc.integer({ min: 0, max: 3600 }),
        progressDeadlineSeconds: fc.integer({ min: 1, max: 86400 }),
        failureThreshold: fc.integer({ min: 1, max: 1000 }),
        autoRollback: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    revisionHistoryLimit: fc.integer({ min: 0, max: 100 }),
  },
  { requiredKeys: ['image', 'replicas'] },
);

const plausibleJob = fc.record(
  {
    image: fc.constantFrom('repo/job:1'),
    command: fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
    schedule: fc.constantFrom('rate(1 minute)', 'rate(5 minutes)', 'cron(0 10 * * ? *)', 'cron(0/5 8-17 ? * MON-FRI *)', 'cron(0 9 ? * 2#1 *)'),
    concurrencyPolicy: fc.constantFrom('Forbid', 'Replace', 'Allow'),
    timeoutSeconds: fc.integer({ min: 1, max: 604800 }),
    cpu: fc.constantFrom(256, 512),
    memory: fc.constantFrom(512, 1024, 2048, 4096),
    environment: fc.dictionary(variableName, fc.string(), { maxKeys: 3 }),
  },
  { requiredKeys: ['image', 'schedule'] },
);

describe.each([
  ['validateServiceSpec', validateServiceSpec, serviceShaped, plausibleService],
  ['validateJobSpec', validateJobSpec, jobShaped, plausibleJob],
] as const)('%s on arbitrary input', (_, validate, shaped, plausible) => {
  const input = fc.oneof(fc.jsonValue(), shaped);

  it('returns a spec or a non-empty list of errors, never throws, never mutates', () => {
    fc.assert(
      fc.property(input, (value) => {
        const before = JSON.stringify(value);
        const result = validate(value);
        expect(JSON.stringify(value)).toBe(before);
        if (result.ok) {
          expect(typeof result.spec).toBe('object');
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) {
            expect(typeof error.field).toBe('string');
            expect(error.message.length).toBeGreaterThan(0);
          }
          const fields = result.errors.map((e) => `${e.field}\u0000${e.message}`);
          expect(new Set(fields).size).toBe(fields.length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('revalidates a valid result to itself', () => {
    fc.assert(
      fc.property(fc.oneof(shaped, plausible), (value) => {
        const result = validate(value);
        if (!result.ok) return;
        const again = validate(result.spec);
        expect(again).toEqual(result);
        expect(JSON.stringify(again.ok && again.spec)).toBe(JSON.stringify(result.spec));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds plausible input often valid, so the revalidation property is not vacuous', () => {
    const samples = fc.sample(plausible as fc.Arbitrary<unknown>, { numRuns: 1000, seed: 7 });
    const valid = samples.filter((sample) => validate(sample).ok);
    // Invalid ones come from cpu/memory pairs, both-zero rollouts and deadlines under minHealthySeconds.
    expect(valid.length).toBeGreaterThan(samples.length / 4);
  });
});
