import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CloudWatchAlarmStates } from '../../lib/aws/alarm-states.js';
import { credentials, type Harness, region, startHarness } from '../local/local-aws-harness.js';

let h: Harness;
let cloudwatch: CloudWatchClient;
beforeAll(async () => {
  h = await startHarness();
  cloudwatch = new CloudWatchClient({ endpoint: h.aws.url, region, credentials });
});
afterAll(async () => {
  cloudwatch.destroy();
  await h.close();
});

const put = (name: string) =>
  cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'Shop', MetricName: '5xx', Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    }),
  );

describe('CloudWatchAlarmStates over the local endpoint', () => {
  test('reads each named alarm with its state and transition time, and names the ones that do not exist', async () => {
    await put('web-errors');
    await put('web-latency');
    h.clock.advance(5_000);
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'web-errors', StateValue: 'ALARM', StateReason: 'Threshold Crossed' }));
    const reading = await new CloudWatchAlarmStates(cloudwatch).read(['web-errors', 'web-latency', 'web-typo', 'web-errors']);
    expect(reading).toEqual({
      kind: 'read',
      states: [
        { name: 'web-errors', value: 'ALARM', reason: 'Threshold Crossed', transitionedAt: h.clock.now() },
        { name: 'web-latency', value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', transitionedAt: h.clock.now() - 5_000 },
      ],
      missing: ['web-typo'],
    });
  });

  test('more than 100 names are read in batches', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
    for (const name of names) await put(name);
    const reading = await new CloudWatchAlarmStates(cloudwatch).read(names);
    expect(reading.kind === 'read' && reading.states.length).toBe(150);
  });

  test('a throttled or failed read is unreadable, not an error and not a pass', async () => {
    const unreachable = new CloudWatchClient({ endpoint: 'http://127.0.0.1:9', region, credentials, maxAttempts: 1 });
    const reading = await new CloudWatchAlarmStates(unreachable).read(['web-errors']);
    unreachable.destroy();
    expect(reading).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('DescribeAlarms failed') });
  });
});
