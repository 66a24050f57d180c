import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EcsContainerRuntime, countEcsCalls, type EcsCallCounter } from '../../lib/aws/ecs-runtime.js';
import { runTaskClientToken } from '../../lib/core/client-token.js';
import { serviceStartedBy, taskDefinitionFor } from '../../lib/core/task-definition.js';
import { startLocalAws, type LocalAws } from '../../lib/local/aws/index.js';
import { LocalBus } from '../../lib/local/bus.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';

/** The adapter over the wire against the local ECS emulator, in virtual time. */
describe('EcsContainerRuntime against the local ECS emulator', () => {
  const clock = new VirtualClock();
  const bus = new LocalBus({ clock });
  let aws: LocalAws;
  let runtime: EcsContainerRuntime;
  let calls: EcsCallCounter;

  beforeAll(async () => {
    aws = await startLocalAws({ port: 0, clock, bus, clusters: ['corral'], delays: { provisioningMs: 500, pendingMs: 500 } });
    const client = new ECSClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    calls = countEcsCalls(client);
    runtime = new EcsContainerRuntime(client, { cluster: 'corral', subnets: ['subnet-local'], securityGroups: ['sg-local'] });
  });

  afterAll(async () => {
    await aws.close();
  });

  async function register(service: string): Promise<string> {
    return runtime.registerTaskDefinition(
      taskDefinitionFor({
        service,
        revision: 1,
        template: {
          image: 'nginx:1.27',
          environment: { MODE: 'test' },
          secrets: {},
          cpu: 256,
          memory: 512,
          port: 8080,
          healthCheck: { command: ['curl -f localhost:8080'], intervalSeconds: 5, timeoutSeconds: 2, retries: 2, startPeriodSeconds: 0 },
        },
        executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
        taskRoleArn: 'arn:aws:iam::000000000000:role/task',
        logGroup: `/corral/${service}`,
        region: 'us-east-1',
      }),
    );
  }

  it('runs, observes and stops tasks, and a repeated client token launches nothing', async () => {
    const web = await register('web');
    expect(web).toMatch(/:task-definition\/corral-web:1$/);
    const launch = {
      taskDefinitionArn: web,
      count: 3,
      startedBy: serviceStartedBy('web'),
      clientToken: runTaskClientToken({ service: 'web', incarnation: 'test', revision: 1, generation: 1, fleet: [], batch: 0 }),
      tags: { 'corral:service': 'web', 'corral:revision': '1' },
    };
    const first = await runtime.runTasks(launch);
    expect(first.failures).toEqual([]);
    expect(first.tasks.map((t) => [t.service, t.revision])).toEqual([
      ['web', 1],
      ['web', 1],
      ['web', 1],
    ]);

    const repeated = await runtime.runTasks(launch);
    expect(repeated.tasks.map((t) => t.taskArn).sort()).toEqual(first.tasks.map((t) => t.taskArn).sort());

    const api = await register('api');
    await runtime.runTasks({
      taskDefinitionArn: api,
      count: 1,
      startedBy: serviceStartedBy('api'),
      clientToken: runTaskClientToken({ service: 'api', incarnation: 'test', revision: 1, generation: 1, fleet: [], batch: 0 }),
      tags: { 'corral:service': 'api', 'corral:revision': '1' },
    });
    await bus.runFor(clock, 30_000);

    calls.reset();
    const running = await runtime.observe(serviceStartedBy('web'));
    expect(running).toHaveLength(3);
    expect(running.every((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY')).toBe(true);
    expect(running.every((t) => t.startedAt !== undefined && t.startedAt >= t.createdAt)).toBe(true);
    expect(Object.fromEntries(calls.byOperation)).toEqual({ ListTasks: 2, DescribeTasks: 1 });

    const [victim] = running;
    await runtime.stopTask(victim.taskArn, 'scaled down from 3 to 2');
    await bus.runFor(clock, 30_000);
    await runtime.stopTask(victim.taskArn, 'again');
    await runtime.stopTask('arn:aws:ecs:us-east-1:000000000000:task/corral/0123456789abcdef0123456789abcdef', 'unknown');

    calls.reset();
    const webTasks = await runtime.observe(serviceStartedBy('web'));
    expect(Object.fromEntries(calls.byOperation)).toEqual({ ListTasks: 2, DescribeTasks: 1 });
    const stopped = webTasks.find((t) => t.taskArn === victim.taskArn)!;
    expect(stopped).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'scaled down from 3 to 2',
    });
    expect(webTasks.filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2);

    // Seen STOPPED once, it is not asked about again; the whole cluster lists in one page a status.
    calls.reset();
    await runtime.describeTasks([victim.taskArn]);
    expect(Object.fromEntries(calls.byOperation)).toEqual({});
    const page = await runtime.listTaskPage({ desiredStatus: 'RUNNING' });
    expect(page.taskArns).toHaveLength(3);
    expect(page.nextToken).toBeUndefined();
  });
});
