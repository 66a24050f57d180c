import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsvpc, type Harness, startHarness, webDefinition } from './local-aws-harness.js';

let h: Harness;
const managed = [{ Key: 'corral:managed', Value: 'true' }];
const secretArn = (name: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}`;

beforeAll(async () => {
  h = await startHarness();
  await h.secrets.send(new CreateSecretCommand({ Name: 'tagged', SecretString: 'v', Tags: managed }));
  await h.secrets.send(new CreateSecretCommand({ Name: 'untagged', SecretString: 'v' }));
  await h.secrets.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'v', Tags: managed }));
});
afterAll(() => h.close());

async function runWithSecret(family: string, valueFrom: string): Promise<Task> {
  await h.ecs.send(
    new RegisterTaskDefinitionCommand({
      ...webDefinition,
      family,
      executionRoleArn: 'arn:aws:iam::000000000000:role/corral-task-execution',
      containerDefinitions: [{ ...webDefinition.containerDefinitions![0], secrets: [{ name: 'TOKEN', valueFrom }] }],
    }),
  );
  const [task] = (await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: family, networkConfiguration: awsvpc }))).tasks!;
  await h.bus.runFor(h.clock, 10_000);
  return (await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: [task.taskArn!] }))).tasks![0];
}

describe('a task reads its secrets with the execution role when it starts, as on Fargate', () => {
  test('a tagged secret, by partial ARN or with a json key, lets the task run', async () => {
    expect((await runWithSecret('reads-tagged', secretArn('tagged'))).lastStatus).toBe('RUNNING');
    expect((await runWithSecret('reads-key', `${secretArn('tagged')}:password::`)).lastStatus).toBe('RUNNING');
  });

  test('a secret that does not exist stops the task during provisioning with TaskFailedToStart', async () => {
    const task = await runWithSecret('reads-missing', secretArn('nope'));
    expect(task).toMatchObject({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(task.stoppedReason).toMatch(/^ResourceInitializationError: unable to pull secrets or registry auth: /);
    expect(task.stoppedReason).toContain(`failed to fetch secret ${secretArn('nope')} from secrets manager: ResourceNotFoundException`);
    expect(task.startedAt).toBeUndefined();
    expect(task.containers![0].exitCode).toBeUndefined();
  });

  test('a secret without corral:managed=true is refused to the execution role', async () => {
    const task = await runWithSecret('reads-untagged', secretArn('untagged'));
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toMatch(/^ResourceInitializationError: unable to pull secrets or registry auth: /);
    expect(task.stoppedReason).toContain('AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/corral-task-execution/');
    expect(task.stoppedReason).toContain(`secretsmanager:GetSecretValue on resource: ${secretArn('untagged')}`);
  });

  test('a secret deleted after registration fails the next start', async () => {
    await h.secrets.send(new DeleteSecretCommand({ SecretId: 'doomed', ForceDeleteWithoutRecovery: true }));
    const task = await runWithSecret('reads-doomed', secretArn('doomed'));
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toContain('ResourceNotFoundException');
  });
});
