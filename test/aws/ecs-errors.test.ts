import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ClientException,
  ClusterNotFoundException,
  ConflictException,
  ECSClient,
  ECSServiceException,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  ServerException,
} from '@aws-sdk/client-ecs';
import { EcsContainerRuntime, countEcsCalls } from '../../lib/aws/ecs-runtime.js';
import {
  ClientTokenConflictError,
  ClusterNotFoundError,
  ContainerRuntimeError,
  InvalidSpecError,
  ThrottledError,
} from '../../lib/aws/ecs-errors.js';
import { taskDefinitionFor } from '../../lib/core/task-definition.js';

const options = { cluster: 'corral', subnets: ['subnet-a'], securityGroups: ['sg-1'] };
const runRequest = { taskDefinitionArn: 'td', count: 1, startedBy: 'corral/web', clientToken: 't', tags: {} };
const definition = taskDefinitionFor({
  service: 'web',
  revision: 1,
  template: { image: 'nginx', environment: {}, secrets: {}, cpu: 256, memory: 4096 },
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  taskRoleArn: 'arn:aws:iam::123456789012:role/task',
  logGroup: '/corral/web',
  region: 'us-east-1',
});

function throttling(): ECSServiceException {
  return new ECSServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400, attempts: 3 },
  });
}

describe('ECS error mapping', () => {
  const client = new ECSClient({ region: 'us-east-1' });
  const ecs = mockClient(client);
  const runtime = new EcsContainerRuntime(client, options);

  beforeEach(() => ecs.reset());

  it('maps ThrottlingException to a retryable ThrottledError carrying the SDK attempts', async () => {
    const cause = throttling();
    ecs.on(ListTasksCommand).rejects(cause);
    const error = await runtime.listTaskArns({ desiredStatus: 'RUNNING' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toBeInstanceOf(ContainerRuntimeError);
    expect(error).toMatchObject({ name: 'ThrottledError', terminal: false, operation: 'ListTasks', attempts: 3, cause });
  });

  it('treats EC2 throttling wrapped in InvalidParameterException as throttling, not a bad spec', async () => {
    ecs.on(RunTaskCommand).rejects(
      new InvalidParameterException({
        message: 'Error retrieving subnet information for [subnet-a]: Rate exceeded (ErrorCode: Throttling)',
        $metadata: {},
      }),
    );
    await expect(runtime.runTasks(runRequest)).rejects.toBeInstanceOf(ThrottledError);
  });

  it.each([
    ['RegisterTaskDefinition', () => runtime.registerTaskDefinition(definition)],
    ['RunTask', () => runtime.runTasks(runRequest)],
  ] as const)('maps an invalid request on %s to a terminal InvalidSpecError', async (operation, call) => {
    const cause = new ClientException({ message: 'No Fargate configuration exists for given values: 256 CPU, 4096 memory.', $metadata: {} });
    ecs.on(RegisterTaskDefinitionCommand).rejects(cause);
    ecs.on(RunTaskCommand).rejects(cause);
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect(error).toMatchObject({ name: 'InvalidSpecError', terminal: true, operation, cause });
    expect((error as Error).message).toContain('No Fargate configuration exists');
  });

  it('keeps an invalid observation request retryable: it is not the spec’s fault', async () => {
    ecs.on(ListTasksCommand).rejects(new InvalidParameterException({ message: 'bad startedBy', $metadata: {} }));
    const error = await runtime.listTaskArns({ startedBy: 'corral/x', desiredStatus: 'RUNNING' }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(InvalidSpecError);
    expect(error).toMatchObject({ name: 'ContainerRuntimeError', terminal: false });
  });

  it('maps a missing cluster to ClusterNotFoundError', async () => {
    ecs.on(RunTaskCommand).rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }));
    await expect(runtime.runTasks(runRequest)).rejects.toMatchObject({ name: 'ClusterNotFoundError', terminal: false });
    await expect(runtime.runTasks(runRequest)).rejects.toBeInstanceOf(ClusterNotFoundError);
  });

  it('maps a reused client token to ClientTokenConflictError naming the tasks it launched', async () => {
    ecs.on(RunTaskCommand).rejects(
      new ConflictException({ message: 'clientToken in use', resourceIds: ['arn:task/1'], $metadata: {} }),
    );
    const error = await runtime.runTasks(runRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientTokenConflictError);
    expect(error).toMatchObject({ taskArns: ['arn:task/1'], terminal: false });
  });

  it.each([
    ['a server error', new ServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } })],
    ['a network failure', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' })],
  ])('falls back to a retryable ContainerRuntimeError for %s', async (_, cause) => {
    ecs.on(RunTaskCommand).rejects(cause);
    const error = await runtime.runTasks(runRequest).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ContainerRuntimeError', terminal: false, cause });
    expect(error).not.toBeInstanceOf(InvalidSpecError);
  });
});

describe('ECS throttling through the SDK', () => {
  /** Retries throttling with no delay, so the test needs no real waiting. */
  function immediateRetries(maxAttempts: number) {
    return {
      acquireInitialRetryToken: async () => ({ getRetryCount: () => 0, getRetryDelay: () => 0 }),
      refreshRetryTokenForRetry: async (token: { getRetryCount(): number }, info: { errorType: string; error?: unknown }) => {
        const count = token.getRetryCount() + 1;
        if (info.errorType !== 'THROTTLING' || count >= maxAttempts) throw info.error;
        return { getRetryCount: () => count, getRetryDelay: () => 0 };
      },
      recordSuccess: () => undefined,
    };
  }

  it('gives up after the SDK’s attempts with a ThrottledError, each attempt counted', async () => {
    const client = new ECSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 3,
      retryStrategy: immediateRetries(3),
      requestHandler: {
        handle: async () => ({
          response: {
            statusCode: 400,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: new TextEncoder().encode(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' })),
          },
        }),
      },
    });
    const calls = countEcsCalls(client);
    const runtime = new EcsContainerRuntime(client, options);

    const error = await runtime.listTaskArns({ desiredStatus: 'RUNNING' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ attempts: 3, terminal: false });
    expect(calls.byOperation.get('ListTasks')).toBe(3);
    expect(calls.total()).toBe(3);
  });
});
