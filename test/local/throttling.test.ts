import { ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { GetRandomPasswordCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { awsvpc, credentials, type Harness, region, seededRandom, startHarness, webDefinition } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ random: seededRandom(42) });
});
afterAll(() => h.close());

const setFaults = (faults: Record<string, number>) =>
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
  expect(succeeded).toBe(calls);
  // Every throttled answer was followed by a retry, so requests = calls + throttled answers.
  expect(stats.ecsCalls).toBe(calls + stats.throttled);
  const share = stats.throttled / stats.ecsCalls;
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
  expect(h.aws.stats()).toMatchObject({ ecsCalls: 20, throttled: 0, byOperation: { 'ecs:ListTasks': 20 } });
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
