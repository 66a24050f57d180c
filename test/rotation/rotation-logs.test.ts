import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRotationHandler } from '../../lib/rotation/index.js';
import { CorralMetrics } from '../../lib/observability/metrics.js';
import type { SecretStore } from '../../lib/aws/secret-store.js';
import { randomPasswordStrategy, type RotationStrategy } from '../../lib/rotation/index.js';
import {
  createSecret,
  debugLogger,
  lambdaContext,
  passwordOf,
  recordingConsumers,
  rotateSecret,
  setRotationFunction,
  startHarness,
  valueAt,
  type RotationHarness,
} from './harness.js';

let h: RotationHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Everything written to stdout, stderr or the console while `fn` runs. */
async function captureOutput(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const record = (...args: unknown[]) => {
    chunks.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '));
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (record(String(chunk)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (record(String(chunk)), true)),
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(record),
    ),
  ];
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks.join('\n');
}

/** The EMF documents among the output's lines, as CloudWatch Logs would pick them out. */
function emfDocuments(output: string): Record<string, unknown>[] {
  return output.split('\n').filter((line) => line.startsWith('{"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('no secret value reaches a log line, an error or a consumer reason', () => {
  it('through a full rotation and a failed one, metrics included', async () => {
    const oldPassword = 'Old-Pa55word-that-must-not-leak';
    const { name, arn } = await createSecret(h, oldPassword);
    const oldValue = await valueAt(h, arn, 'AWSCURRENT');

    // Every password GetRandomPassword hands out, so the failed rotation's value is known too.
    const generated: string[] = [];
    const secrets: SecretStore = {
      ...h.secrets,
      async getRandomPassword(rules) {
        const password = await h.secrets.getRandomPassword(rules);
        generated.push(password);
        return password;
      },
    };
    let failTest = true;
    const strategy: RotationStrategy = {
      create: (ctx) => randomPasswordStrategy.create(ctx),
      set: (ctx) => randomPasswordStrategy.set(ctx),
      async test(ctx) {
        await randomPasswordStrategy.test(ctx);
        if (failTest) throw new Error('the database refused the new password');
      },
    };
    const consumers = recordingConsumers();
    // Metrics as in Lambda: EMF lines on stdout, among the log lines.
    const handler = createRotationHandler({ secrets, strategy, consumers, logger: debugLogger(), metrics: new CorralMetrics() });
    const errors: unknown[] = [];
    setRotationFunction(h, arn, async (event) => {
      try {
        await handler(event, lambdaContext());
      } catch (error) {
        errors.push(error);
        throw error;
      }
    });

    const output = await captureOutput(async () => {
      await rotateSecret(h, arn).catch((error: unknown) => errors.push(error));
      failTest = false;
      await rotateSecret(h, arn).catch((error: unknown) => errors.push(error));
    });

    // The rotations happened and the capture saw their log lines.
    expect(generated).toHaveLength(2);
    const newValue = await valueAt(h, arn, 'AWSCURRENT');
    expect(passwordOf(newValue)).toBe(generated[1]);
    expect(await valueAt(h, arn, 'AWSPREVIOUS')).toBe(oldValue);
    expect(errors.length).toBeGreaterThan(0);
    expect(output).toContain('rotation step failed');
    expect(output).toContain('consumers restarted');
    expect(output).toContain(arn);
    expect(consumers.calls).toEqual([{ secretId: name, reason: `secret ${name} rotated` }]);

    // The failed rotation and the one that succeeded, counted in namespace Corral with no dimensions.
    const documents = emfDocuments(output);
    const counted = (name: string) => documents.filter((d) => name in d).map((d) => d[name]).flat().reduce((sum: number, v) => sum + Number(v), 0);
    expect(counted('RotationFailed')).toBe(1);
    expect(counted('RotationSucceeded')).toBe(1);
    for (const document of documents) {
      expect((document._aws as { CloudWatchMetrics: unknown[] }).CloudWatchMetrics).toEqual([{ Namespace: 'Corral', Dimensions: [[]], Metrics: expect.any(Array) }]);
    }

    const errorText = errors.map((e) => inspect(e, { depth: 10 }) + String((e as Error).stack)).join('\n');
    const reasons = consumers.calls.map((c) => c.reason).join('\n');
    const secretsSeen = [oldPassword, ...generated, oldValue, newValue];
    for (const haystack of [output, errorText, reasons]) {
      for (const value of secretsSeen) expect(haystack.includes(value), 'a secret value leaked').toBe(false);
    }
  });
});
