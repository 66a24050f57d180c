import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { awsvpc, credentials, region, startHarness, webDefinition, type Harness } from './local-aws-harness.js';

/** Local CloudWatch Logs over the SDK's wire protocol, fed by the simulated tasks. */
let h: Harness;
let logs: CloudWatchLogsClient;
const group = '/corral/services/web';

beforeAll(async () => {
  h = await startHarness({ delays: { provisioningMs: 0, pendingMs: 0, stoppingMs: 0, deprovisioningMs: 0 } });
  logs = new CloudWatchLogsClient({ endpoint: h.aws.url, region, credentials });
  const container = webDefinition.containerDefinitions![0];
  await h.ecs.send(new RegisterTaskDefinitionCommand({
    ...webDefinition,
    containerDefinitions: [{
      ...container,
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-region': region, 'awslogs-stream-prefix': 'rev1', 'awslogs-create-group': 'true' } },
    }],
  }));
});
afterAll(async () => {
  logs?.destroy();
  await h?.close();
});

async function runAndStopTask(): Promise<string> {
  const { tasks } = await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc }));
  const arn = tasks![0].taskArn!;
  h.clock.advance(60_000);
  await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: arn, reason: 'Scaled down' }));
  h.clock.advance(5_000);
  return arn.split('/').at(-1)!;
}

describe('local CloudWatch Logs', () => {
  test('a task writes its start, its health changes and its exit to <prefix>/<container>/<task id>', async () => {
    const taskId = await runAndStopTask();
    const stream = `rev1/app/${taskId}`;
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    expect(events!.map((e) => e.logStreamName)).toEqual(events!.map(() => stream));
    expect(events!.map((e) => e.message)).toEqual([
      'container app started from image nginx:1.27',
      'health check: HEALTHY',
      'received SIGTERM (Scaled down); container app exited with code 0',
    ]);
    expect(events![0].timestamp).toBeLessThan(events![2].timestamp!);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'rev1/' }));
    expect(logStreams!.map((s) => s.logStreamName)).toContain(stream);
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: 2 }));
    expect(got.events!.map((e) => e.message)).toHaveLength(2);
    const rest = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: got.nextForwardToken }));
    expect(rest.events!.map((e) => e.message)).toEqual(['received SIGTERM (Scaled down); container app exited with code 0']);
  });

  test('filters by stream prefix, time and terms, and pages with nextToken', async () => {
    await runAndStopTask();
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'HEALTHY' }));
    expect(all.events).toHaveLength(2);
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 4 }));
    expect(first.events).toHaveLength(4);
    const second = await logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 4, nextToken: first.nextToken }));
    expect(second.events).toHaveLength(2);
    expect(second.nextToken).toBeUndefined();
    const later = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: second.events![0].timestamp }));
    expect(later.events!.length).toBeLessThan(6);
    const none = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: 'rev2/' }));
    expect(none.events).toEqual([]);
  });

  test('fails where CloudWatch Logs fails', async () => {
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: '/corral/services/ghost' }))).rejects.toThrow(ResourceNotFoundException);
    await expect(logs.send(new FilterLogEventsCommand({}))).rejects.toThrow(InvalidParameterException);
    await expect(logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: 'rev1' }))).rejects.toThrow(
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'rev1/app/none' }))).rejects.toThrow(ResourceNotFoundException);
  });

  test('the AWS CLI v2 reads them: filter-log-events (paged), describe-log-streams, get-log-events', async () => {
    await runAndStopTask();
    const [filtered, streams] = await Promise.all([
      awsCli(h.aws.url, 'logs', 'filter-log-events', '--log-group-name', group, '--log-stream-name-prefix', 'rev1/', '--page-size', '2'),
      awsCli(h.aws.url, 'logs', 'describe-log-streams', '--log-group-name', group, '--order-by', 'LogStreamName'),
    ]);
    expect(filtered.code).toBe(0);
    expect(filtered.json.events.length).toBeGreaterThanOrEqual(3);
    expect(filtered.json.events[0].message).toBe('container app started from image nginx:1.27');
    const stream = streams.json.logStreams[0].logStreamName as string;
    const got = await awsCli(h.aws.url, 'logs', 'get-log-events', '--log-group-name', group, '--log-stream-name', stream, '--start-from-head');
    expect(got.json.events.map((e: { message: string }) => e.message)).toContain('health check: HEALTHY');
    const missing = await awsCli(h.aws.url, 'logs', 'filter-log-events', '--log-group-name', '/corral/services/ghost');
    expect(missing.stderr).toContain('(ResourceNotFoundException) when calling the FilterLogEvents operation: The specified log group does not exist.');
  });
});
