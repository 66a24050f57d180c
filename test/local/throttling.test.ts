import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { GetRandomPasswordCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { awsvpc, credentials, type Harness, region, seededRandom, startHarness, webDefinition } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ random: seededRandom(42) });
});
afterAll(() => h.close());

const setFaults = (faults: Record<string, number | string>) =>
  fetch(`${h.aws.url}/_corral/faults`, { method: 'POST', body: JSON.stringify(faults) });

test('with throttle 0.3 the SDK retries get every ECS call through and about 30% of answers are throttled', async () => {
  // The SDK's standard retry strategy (retryable errors, retry quota), with room for the rare call
  // throttled several times in a row and a 5 ms backoff instead of the default's half second.
  const ecs = new ECSClient({ endpoint: h.aws.url, region, credentials, retryStrategy: new ConfiguredRetryStrategy(10, 5) });
  await ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
  expect((await setFaults({ throttle: 0.3 })).status).toBe(200);
  h.aws.resetStats();

  const calls = 200;
  const lanes = 20;
  let succeeded = 0;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < calls; i += lanes) {
        if (i % 10 === 0) {
          const out = await ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc, startedBy: 'throttled' }));
          expect(out.tasks).toHaveLength(1);
        } else {
          await ecs.send(new ListTasksCommand({ cluster: 'corral', startedBy: 'throttled' }));
        }
        succeeded++;
      }
    }),
  );
  const stats = h.aws.stats();
  const ecsCalls = stats.byOperation['ecs:RunTask'] + stats.byOperation['ecs:ListTasks'];
  expect(succeeded).toBe(calls);
  // Every throttled answer was followed by a retry, so requests = calls + throttled answers.
  expect(ecsCalls).toBe(calls + stats.throttled);
  const share = stats.throttled / ecsCalls;
  expect(share).toBeGreaterThan(0.22);
  expect(share).toBeLessThan(0.38);
  // Retried RunTasks carry the same clientToken, so no call launched a task twice.
  const listed = await ecs.send(new ListTasksCommand({ cluster: 'corral', startedBy: 'throttled' }));
  expect(listed.taskArns).toHaveLength(calls / 10);

  // Only ECS is throttled: Secrets Manager answers first time even with retries off.
  const secrets = new SecretsManagerClient({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
  for (let i = 0; i < 20; i++) await secrets.send(new GetRandomPasswordCommand({}));

  await setFaults({ throttle: 0 });
  h.aws.resetStats();
  const strict = new ECSClient({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
  for (let i = 0; i < 20; i++) await strict.send(new ListTasksCommand({ cluster: 'corral' }));
  expect(h.aws.stats()).toEqual({ throttled: 0, byOperation: { 'ecs:ListTasks': 20 } });
  for (const client of [ecs, secrets, strict]) client.destroy();
});

test('a throttled answer is a ThrottlingException the SDK recognises', async () => {
  await setFaults({ throttle: 1 });
  const ecs = new ECSClient({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
  try {
    await expect(ecs.send(new ListTasksCommand({ cluster: 'corral' }))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
  } finally {
    await setFaults({ throttle: 0 });
    ecs.destroy();
  }
});

test('ecsRateLimits "aws" applies ECS\'s token buckets: a burst, then the sustained rate, per group of actions', async () => {
  const ecs = new ECSClient({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
  const outcomes = async (n: number, call: () => Promise<unknown>) => {
    let served = 0;
    let throttled = 0;
    for (let i = 0; i < n; i++) {
      try {
        await call();
        served++;
      } catch (error) {
        expect(error).toMatchObject({ name: 'ThrottlingException' });
        throttled++;
      }
    }
    return { served, throttled };
  };
  const listTasks = () => ecs.send(new ListTasksCommand({ cluster: 'corral' }));
  try {
    expect(await (await setFaults({ ecsRateLimits: 'aws' })).json()).toMatchObject({ ecsRateLimits: 'aws' });
    // The task read bucket holds 100: at one instant 100 calls pass and the rest are refused.
    expect(await outcomes(110, listTasks)).toEqual({ served: 100, throttled: 10 });
    // DescribeTasks shares that bucket; task definition reads have their own.
    await expect(ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: ['x'] }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    // Half a second refills 10 of the 20 a second.
    h.clock.advance(500);
    expect(await outcomes(15, listTasks)).toEqual({ served: 10, throttled: 5 });
    // Fargate launches: 100 tasks of burst, so ten RunTasks of 10 pass and the eleventh waits.
    const runTen = () => ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc, count: 10 }));
    expect(await outcomes(11, runTen)).toEqual({ served: 10, throttled: 1 });
    h.clock.advance(500);
    expect(await outcomes(1, runTen)).toEqual({ served: 1, throttled: 0 });
    // Off again: no bucket at all.
    await setFaults({ ecsRateLimits: 'off' });
    expect(await outcomes(150, listTasks)).toEqual({ served: 150, throttled: 0 });
    expect((await setFaults({ ecsRateLimits: 'lenient' })).status).toBe(400);
  } finally {
    await setFaults({ ecsRateLimits: 'off' });
    ecs.destroy();
  }
});
