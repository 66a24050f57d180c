import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CloudWatchAlarmStates } from '../../lib/aws/alarm-states.js';
import { lazyClient } from '../../lib/aws/lazy-client.js';
import { credentials, type Harness, region, startHarness } from '../local/local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** A CloudWatch client on the local endpoint, built by `lazyClient`, with every client it built. */
function countedLazyClient() {
  const built: CloudWatchClient[] = [];
  const client = lazyClient(() => {
    const c = new CloudWatchClient({ endpoint: h.aws.url, region, credentials });
    built.push(c);
    return c;
  });
  return { client, built };
}

describe('lazyClient', () => {
  test('builds no client until the first call, then one client for every call', async () => {
    const { client, built } = countedLazyClient();
    const states = new CloudWatchAlarmStates(client);
    expect(built).toHaveLength(0);

    await client.send(new PutMetricAlarmCommand({
      AlarmName: 'lazy-errors', Namespace: 'Shop', MetricName: '5xx', Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    }));
    expect(await states.read(['lazy-errors'])).toMatchObject({ kind: 'read', states: [{ name: 'lazy-errors', value: 'INSUFFICIENT_DATA' }], missing: [] });
    const answer = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['lazy-errors'] }));
    expect(answer.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['lazy-errors']);
    expect(built).toHaveLength(1);
    client.destroy();
  });

  test('destroy before any call builds nothing; after one, it destroys the client built', async () => {
    const unused = countedLazyClient();
    unused.client.destroy();
    expect(unused.built).toHaveLength(0);

    const used = countedLazyClient();
    await used.client.send(new DescribeAlarmsCommand({}));
    let destroyed = 0;
    const real = used.built[0]!;
    const destroy = real.destroy.bind(real);
    real.destroy = () => {
      destroyed++;
      destroy();
    };
    used.client.destroy();
    expect(destroyed).toBe(1);
  });
});
