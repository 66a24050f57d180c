import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { credentials, type Harness, region, startHarness } from './local-aws-harness.js';

let h: Harness;
let cloudwatch: CloudWatchClient;
const changes: EventBridgeEvent<string, { alarmName: string; state: { value: string }; previousState: { value: string } }>[] = [];
beforeAll(async () => {
  h = await startHarness();
  cloudwatch = new CloudWatchClient({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
  h.bus.subscribe({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] }, (event) => {
    changes.push(event as (typeof changes)[number]);
  });
});
afterAll(async () => {
  cloudwatch.destroy();
  await h.close();
});

const errorRate = (name: string): PutMetricAlarmCommandInput => ({
  AlarmName: name,
  Namespace: 'Shop',
  MetricName: '5xx',
  Dimensions: [{ Name: 'service', Value: 'web' }],
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 2,
  DatapointsToAlarm: 1,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanThreshold',
  AlarmActions: ['arn:aws:sns:us-east-1:000000000000:pager'],
});

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => error);

describe('CloudWatch alarms through SDK v3 (AWS JSON 1.0, Query-compatible)', () => {
  test('a new alarm starts INSUFFICIENT_DATA and reads back with its configuration', async () => {
    await cloudwatch.send(new PutMetricAlarmCommand(errorRate('sdk-errors')));
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-errors'] }));
    expect(MetricAlarms).toHaveLength(1);
    expect(MetricAlarms?.[0]).toMatchObject({
      AlarmName: 'sdk-errors',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:sdk-errors',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      Threshold: 5,
      EvaluationPeriods: 2,
      Dimensions: [{ Name: 'service', Value: 'web' }],
      ActionsEnabled: true,
    });
    expect(MetricAlarms?.[0].StateUpdatedTimestamp).toEqual(new Date(h.clock.now()));
  });

  test('SetAlarmState moves the state, stamps the transition and publishes the state change', async () => {
    await cloudwatch.send(new PutMetricAlarmCommand(errorRate('sdk-flip')));
    await h.bus.runFor(h.clock, 5_000);
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'sdk-flip', StateValue: 'ALARM', StateReason: 'rehearsal' }));
    await h.bus.idle();
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM', AlarmNamePrefix: 'sdk-' }));
    expect(MetricAlarms?.map((a) => [a.AlarmName, a.StateValue, a.StateReason])).toEqual([['sdk-flip', 'ALARM', 'rehearsal']]);
    expect(MetricAlarms?.[0].StateTransitionedTimestamp).toEqual(new Date(h.clock.now()));
    const change = changes.find((event) => event.detail.alarmName === 'sdk-flip');
    expect(change?.detail).toMatchObject({ state: { value: 'ALARM' }, previousState: { value: 'INSUFFICIENT_DATA' } });
  });

  // The SDK names each error by the model's shape for the Query code CloudWatch answers
  // (InvalidParameterCombination → InvalidParameterCombinationException, InvalidFormat → InvalidFormatFault).
  test('errors come back as the service names them', async () => {
    const unknown = await failure(cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })));
    expect(unknown).toMatchObject({ name: 'ResourceNotFound', message: 'Alarm nope not found', $metadata: { httpStatusCode: 404 } });
    const both = await failure(cloudwatch.send(new PutMetricAlarmCommand({ ...errorRate('bad'), ExtendedStatistic: 'p99' })));
    expect(both).toMatchObject({ name: 'InvalidParameterCombinationException' });
    const period = await failure(cloudwatch.send(new PutMetricAlarmCommand({ ...errorRate('bad'), Period: 45 })));
    expect(period).toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('Period') });
    const reasonData = await failure(
      cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'sdk-errors', StateValue: 'OK', StateReason: 'x', StateReasonData: '{no' })),
    );
    expect(reasonData).toMatchObject({ name: 'InvalidFormatFault' });
    const namesAndPrefix = await failure(cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })));
    expect(namesAndPrefix).toMatchObject({ name: 'InvalidParameterCombinationException' });
    // Nothing was created by the refused calls.
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['bad'] }));
    expect(MetricAlarms).toEqual([]);
  });

  test('DescribeAlarms pages by MaxRecords in name order; DeleteAlarms is all or nothing', async () => {
    for (const name of ['page-c', 'page-a', 'page-e', 'page-b', 'page-d']) await cloudwatch.send(new PutMetricAlarmCommand(errorRate(name)));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2, NextToken: token }));
      names.push(...(answer.MetricAlarms ?? []).map((a) => a.AlarmName as string));
      token = answer.NextToken;
      pages++;
    } while (token);
    expect(names).toEqual(['page-a', 'page-b', 'page-c', 'page-d', 'page-e']);
    expect(pages).toBe(3);

    const refused = await failure(cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['page-a', 'page-zz'] })));
    expect(refused).toMatchObject({ name: 'ResourceNotFound' });
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['page-a'] }))).MetricAlarms).toHaveLength(1);
    await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['page-a', 'page-b'] }));
    const left = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-' }));
    expect(left.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['page-c', 'page-d', 'page-e']);
  });

  test('an update replaces the configuration and keeps the state', async () => {
    await cloudwatch.send(new PutMetricAlarmCommand(errorRate('sdk-update')));
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'sdk-update', StateValue: 'ALARM', StateReason: 'firing' }));
    await cloudwatch.send(new PutMetricAlarmCommand({ ...errorRate('sdk-update'), Threshold: 50 }));
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-update'] }));
    expect(MetricAlarms?.[0]).toMatchObject({ Threshold: 50, StateValue: 'ALARM' });
  });
});

describe('CloudWatch alarms through the AWS CLI v2 (Query protocol)', () => {
  const aws = (...args: string[]) => awsCli(h.aws.url, ...args);

  test('put, describe, set-alarm-state, delete, and the errors', async () => {
    const put = await aws(
      'cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-latency', '--namespace', 'Shop', '--metric-name', 'p99',
      '--statistic', 'Maximum', '--period', '60', '--evaluation-periods', '3', '--threshold', '0.25',
      '--comparison-operator', 'GreaterThanOrEqualToThreshold', '--dimensions', 'Name=service,Value=web', 'Name=stage,Value=prod',
      '--no-actions-enabled',
    );
    expect(put.code, put.stderr).toBe(0);
    const described = await aws('cloudwatch', 'describe-alarms', '--alarm-names', 'cli-latency');
    expect(described.code, described.stderr).toBe(0);
    expect(described.json.MetricAlarms).toHaveLength(1);
    expect(described.json.MetricAlarms[0]).toMatchObject({
      AlarmName: 'cli-latency',
      StateValue: 'INSUFFICIENT_DATA',
      Threshold: 0.25,
      EvaluationPeriods: 3,
      ActionsEnabled: false,
      Dimensions: [{ Name: 'service', Value: 'web' }, { Name: 'stage', Value: 'prod' }],
    });
    expect(Date.parse(described.json.MetricAlarms[0].StateUpdatedTimestamp)).toBe(h.clock.now());

    const set = await aws('cloudwatch', 'set-alarm-state', '--alarm-name', 'cli-latency', '--state-value', 'ALARM', '--state-reason', 'rehearsal');
    expect(set.code, set.stderr).toBe(0);
    const firing = await aws('cloudwatch', 'describe-alarms', '--state-value', 'ALARM', '--alarm-name-prefix', 'cli-');
    expect(firing.json.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName)).toEqual(['cli-latency']);

    const [unknown, badPeriod] = await Promise.all([
      aws('cloudwatch', 'set-alarm-state', '--alarm-name', 'nope', '--state-value', 'OK', '--state-reason', 'x'),
      aws('cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-bad', '--namespace', 'Shop', '--metric-name', 'x',
        '--statistic', 'Sum', '--period', '45', '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'LessThanThreshold'),
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/ResourceNotFound.*Alarm nope not found/);
    expect(badPeriod.code).not.toBe(0);
    expect(badPeriod.stderr).toMatch(/InvalidParameterValue.*Period/);

    const deleted = await aws('cloudwatch', 'delete-alarms', '--alarm-names', 'cli-latency');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await aws('cloudwatch', 'describe-alarms', '--alarm-names', 'cli-latency')).json.MetricAlarms).toEqual([]);
  });

  test('describe-alarms follows NextToken across pages', async () => {
    await Promise.all(
      ['cli-p1', 'cli-p2', 'cli-p3'].map((name) =>
        cloudwatch.send(new PutMetricAlarmCommand({ ...errorRate(name) })),
      ),
    );
    const listed = await aws('cloudwatch', 'describe-alarms', '--alarm-name-prefix', 'cli-p', '--page-size', '1');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName)).toEqual(['cli-p1', 'cli-p2', 'cli-p3']);
  });
});
