import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RotationNotEnabledError, UnknownVersionError, VersionNotPendingError } from '../../lib/core/rotation/errors.js';
import {
  RotationStepError,
  createRotationSteps,
  randomPasswordStrategy,
  type RotationLogger,
  type RotationStrategy,
} from '../../lib/rotation/index.js';
import { createRotationHandler } from '../../lib/rotation/index.js';
import { LocalMetrics } from '../../lib/local/local-metrics.js';
import {
  createSecret,
  debugLogger,
  labels,
  lambdaContext,
  passwordOf,
  recordingConsumers,
  rotateSecret,
  setRotationFunction,
  stageRotation,
  startHarness,
  valueAt,
  type RotationHarness,
} from './harness.js';

const quietLogger: RotationLogger = { info() {}, warn() {}, error() {} };

let h: RotationHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function stepsWith(strategy: RotationStrategy = randomPasswordStrategy) {
  const consumers = recordingConsumers();
  const steps = createRotationSteps({ secrets: h.secrets, strategy, consumers, logger: quietLogger });
  const run = (Step: string, SecretId: string, ClientRequestToken: string) =>
    steps.run({ Step, SecretId, ClientRequestToken });
  return { consumers, run };
}

/** Same random strategy, but testSecret fails while `failing` is true. */
function flakyTest(): RotationStrategy & { failing: boolean } {
  return {
    failing: true,
    create: (ctx) => randomPasswordStrategy.create(ctx),
    set: (ctx) => randomPasswordStrategy.set(ctx),
    async test(ctx) {
      if (this.failing) throw new Error('login with the new password refused');
      await randomPasswordStrategy.test(ctx);
    },
  };
}

describe('rotation steps one at a time, against the embedded endpoint', () => {
  it('keeps the labels right after every step, and each step run twice gives the same result', async () => {
    const { arn, name } = await createSecret(h, 'old-pass-1');
    const token = await stageRotation(h, arn);
    const [oldVersion] = Object.keys(await labels(h, arn)).filter((id) => id !== token);
    const { run, consumers } = stepsWith();

    // createSecret: the token carries the new value as AWSPENDING; AWSCURRENT has not moved.
    expect(await run('createSecret', arn, token)).toEqual({ step: 'createSecret', result: 'created' });
    const afterCreate = await labels(h, arn);
    expect(afterCreate).toEqual({ [oldVersion]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
    const pendingValue = await valueAt(h, arn, 'AWSPENDING');
    expect(passwordOf(pendingValue)).not.toBe('old-pass-1');
    expect(passwordOf(pendingValue)).toHaveLength(32);
    expect(JSON.parse(pendingValue)).toMatchObject({ username: 'app', host: 'db.internal' });

    expect(await run('createSecret', arn, token)).toEqual({ step: 'createSecret', result: 'already-created' });
    expect(await labels(h, arn)).toEqual(afterCreate);
    expect(await valueAt(h, arn, 'AWSPENDING')).toBe(pendingValue);

    for (const [step, result] of [['setSecret', 'set'], ['testSecret', 'tested']] as const) {
      expect(await run(step, arn, token)).toEqual({ step, result });
      expect(await run(step, arn, token)).toEqual({ step, result });
      expect(await labels(h, arn)).toEqual(afterCreate);
      expect(await valueAt(h, arn, 'AWSCURRENT')).toContain('old-pass-1');
    }

    // finishSecret: AWSCURRENT on the token, AWSPREVIOUS on the old version, no AWSPENDING left.
    const finished = await run('finishSecret', arn, token);
    expect(finished).toEqual({
      step: 'finishSecret',
      result: 'finished',
      restarted: ['api', 'worker'],
      previousVersionId: oldVersion,
    });
    const afterFinish = await labels(h, arn);
    expect(afterFinish).toEqual({ [token]: ['AWSCURRENT'], [oldVersion]: ['AWSPREVIOUS'] });
    expect(await valueAt(h, arn, 'AWSCURRENT')).toBe(pendingValue);
    expect(passwordOf(await valueAt(h, arn, 'AWSPREVIOUS'))).toBe('old-pass-1');
    expect(consumers.calls).toEqual([{ secretId: name, reason: `secret ${name} rotated` }]);

    expect(await run('finishSecret', arn, token)).toEqual({ step: 'finishSecret', result: 'already-finished' });
    expect(await labels(h, arn)).toEqual(afterFinish);
    expect(consumers.calls).toHaveLength(1);
    // Any step replayed after the finish changes nothing.
    expect(await run('createSecret', arn, token)).toEqual({ step: 'createSecret', result: 'already-finished' });
    expect(await labels(h, arn)).toEqual(afterFinish);
  });

  it('rejects a secret whose rotation is not enabled', async () => {
    const { arn } = await createSecret(h, 'old-pass-2');
    const { run } = stepsWith();
    const [version] = Object.keys(await labels(h, arn));
    await expect(run('createSecret', arn, version)).rejects.toBeInstanceOf(RotationNotEnabledError);
    await expect(run('createSecret', arn, version)).rejects.toThrow(`secret ${arn} is not enabled for rotation`);
  });

  it('rejects a token that is not a version, or not AWSPENDING', async () => {
    const { arn } = await createSecret(h, 'old-pass-3');
    const first = await stageRotation(h, arn);
    const { run } = stepsWith();
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) await run(step, arn, first);
    const previous = Object.entries(await labels(h, arn)).find(([, s]) => s.includes('AWSPREVIOUS'))![0];

    await expect(run('setSecret', arn, 'no-such-token')).rejects.toBeInstanceOf(UnknownVersionError);
    await expect(run('finishSecret', arn, 'no-such-token')).rejects.toThrow(
      `secret version no-such-token has no stage for rotation of secret ${arn}`,
    );
    await expect(run('setSecret', arn, previous)).rejects.toBeInstanceOf(VersionNotPendingError);
    await expect(run('setSecret', arn, previous)).rejects.toThrow(/is not AWSPENDING \(stages: AWSPREVIOUS\)/);
    // Nothing moved.
    expect((await labels(h, arn))[first]).toEqual(['AWSCURRENT']);
  });

  it('a failing test step leaves AWSCURRENT as it was and the next rotation starts and completes', async () => {
    const { arn, name } = await createSecret(h, 'old-pass-4');
    const strategy = flakyTest();
    const consumers = recordingConsumers();
    const steps = createRotationSteps({ secrets: h.secrets, strategy, consumers, logger: quietLogger });
    setRotationFunction(h, arn, (event) => steps.run(event));
    const before = await labels(h, arn);
    const currentBefore = await valueAt(h, arn, 'AWSCURRENT');

    // The endpoint reports the failed invocation on stderr, as Lambda's logs would show it.
    const reports: unknown[][] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args) => void reports.push(args));
    const failedToken = await rotateSecret(h, arn).finally(() => spy.mockRestore());
    expect(reports.map((r) => String(r[0]))).toEqual([expect.stringContaining('failed at testSecret')]);
    expect(reports[0][1]).toBeInstanceOf(RotationStepError);
    const afterFailure = await labels(h, arn);
    expect(afterFailure).toEqual(before);
    expect(Object.values(afterFailure).flat()).not.toContain('AWSPENDING');
    expect(await valueAt(h, arn, 'AWSCURRENT')).toBe(currentBefore);
    expect(consumers.calls).toEqual([]);
    expect(Object.keys(afterFailure)).not.toContain(failedToken);

    strategy.failing = false;
    const token = await rotateSecret(h, arn);
    const after = await labels(h, arn);
    const [oldVersion] = Object.keys(before);
    expect(after).toEqual({ [token]: ['AWSCURRENT'], [oldVersion]: ['AWSPREVIOUS'] });
    expect(await valueAt(h, arn, 'AWSPREVIOUS')).toBe(currentBefore);
    expect(consumers.calls).toEqual([{ secretId: name, reason: `secret ${name} rotated` }]);
  });

  it('a failing test step run by hand is reported, abandons the version, and cannot be resumed', async () => {
    const { arn } = await createSecret(h, 'old-pass-5');
    const token = await stageRotation(h, arn);
    const strategy = flakyTest();
    const { run } = stepsWith(strategy);
    await run('createSecret', arn, token);
    await run('setSecret', arn, token);
    const failure = await run('testSecret', arn, token).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RotationStepError);
    expect((failure as RotationStepError).abandoned).toBe(true);
    expect((failure as Error).message).toBe(
      `testSecret failed for secret ${arn} version ${token}: Error; rotation abandoned, AWSCURRENT unchanged`,
    );
    expect(Object.values(await labels(h, arn)).flat()).toEqual(['AWSCURRENT']);
    strategy.failing = false;
    await expect(run('finishSecret', arn, token)).rejects.toBeInstanceOf(UnknownVersionError);
  });

  it('a finishSecret whose consumer restart failed restarts them when retried', async () => {
    const { arn, name } = await createSecret(h, 'old-pass-6');
    const token = await stageRotation(h, arn);
    const { run, consumers } = stepsWith();
    for (const step of ['createSecret', 'setSecret', 'testSecret']) await run(step, arn, token);
    consumers.failNext();
    await expect(run('finishSecret', arn, token)).rejects.toBeInstanceOf(RotationStepError);
    // AWSCURRENT has moved (the new value is tested); AWSPENDING on it marks the unfinished restart.
    expect((await labels(h, arn))[token]).toEqual(['AWSCURRENT', 'AWSPENDING']);

    expect(await run('finishSecret', arn, token)).toMatchObject({ result: 'finished', restarted: ['api', 'worker'] });
    expect((await labels(h, arn))[token]).toEqual(['AWSCURRENT']);
    expect(consumers.calls).toEqual([{ secretId: name, reason: `secret ${name} rotated` }]);
    // A new rotation is not blocked meanwhile: AWSPENDING on AWSCURRENT counts as complete.
  });
});

describe('RotateSecret through the embedded endpoint and the Lambda handler', () => {
  it('runs the four steps and restarts the consumers with the rotation as reason', async () => {
    const { arn, name } = await createSecret(h, 'old-pass-7', { 'corral:password-length': '48' });
    const consumers = recordingConsumers(['web']);
    const metrics = new LocalMetrics();
    const handler = createRotationHandler({
      secrets: h.secrets,
      strategy: randomPasswordStrategy,
      consumers,
      logger: debugLogger(),
      metrics: metrics.forFunction(),
    });
    const outcomes: unknown[] = [];
    setRotationFunction(h, name, async (event) => {
      outcomes.push(await handler(event, lambdaContext()));
    });
    const silence = silenceStdout();
    const token = await rotateSecret(h, name).finally(silence);

    expect(outcomes.map((o) => (o as { result: string }).result)).toEqual(['created', 'set', 'tested', 'finished']);
    expect((await labels(h, arn))[token]).toEqual(['AWSCURRENT']);
    expect(Object.values(await labels(h, arn)).flat().sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
    expect(passwordOf(await valueAt(h, arn, 'AWSCURRENT'))).toHaveLength(48);
    expect(consumers.calls).toEqual([{ secretId: name, reason: `secret ${name} rotated` }]);
    // One rotation, four steps: succeeded once (at finishSecret), failed never.
    expect(metrics.sum('RotationSucceeded')).toBe(1);
    expect(metrics.sum('RotationFailed')).toBe(0);
  });
});

/** The handler's Powertools logger writes JSON lines to stdout; keep test output readable. */
function silenceStdout(): () => void {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  return () => {
    process.stdout.write = write;
  };
}
