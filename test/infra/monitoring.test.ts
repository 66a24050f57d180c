import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorralPropsError, metricNamespace, metrics } from '../../lib/index.js';
import { corralFunctions, synthInUserStack as synth } from './synth-user-stack.js';

type Synthesized = ReturnType<typeof synth>;

const logicalId = (corral: Synthesized, construct: { node: { defaultChild?: unknown } }) =>
  corral.stack.getLogicalId(construct.node.defaultChild as never);

/** The alarm whose one metric is `metricName` in `namespace` (and whose dimensions match). */
function alarmOn(template: Template, namespace: string, metricName: string, dimensions?: unknown[]) {
  const found = template.findResources('AWS::CloudWatch::Alarm', {
    Properties: {
      Metrics: [
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: { Namespace: namespace, MetricName: metricName, ...(dimensions ? { Dimensions: dimensions } : {}) },
          }),
        }),
      ],
    },
  });
  const alarms = Object.values(found).map((alarm) => alarm['Properties'] as Record<string, unknown>);
  expect(alarms, `one alarm on ${namespace} ${metricName}`).toHaveLength(1);
  return alarms[0] as Record<string, unknown> & { Metrics: { MetricStat: { Stat: string } }[] };
}

describe('Corral monitoring, on by default', () => {
  let corral: Synthesized;
  let topic: string;
  beforeAll(() => {
    corral = synth();
    topic = Object.keys(corral.template.findResources('AWS::SNS::Topic'))[0] as string;
  });

  it('alarms when any message waits in each dead-letter queue', () => {
    const { queues } = corral.corral;
    for (const queue of [queues.requeueDeadLetters, queues.wakeUpDeadLetters, queues.failedEvents]) {
      const alarm = alarmOn(corral.template, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(corral, queue), 'QueueName'] } },
      ]);
      expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    }
  });

  it('alarms on reconciler errors, throttles and stream iterator age', () => {
    const reconciler = [{ Name: 'FunctionName', Value: { Ref: logicalId(corral, corral.corral.functions.reconciler.function) } }];
    expect(alarmOn(corral.template, 'AWS/Lambda', 'Errors', reconciler)).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarmOn(corral.template, 'AWS/Lambda', 'Throttles', reconciler)).toMatchObject({ Threshold: 0 });
    const age = alarmOn(corral.template, 'AWS/Lambda', 'IteratorAge', reconciler);
    expect(age).toMatchObject({ Threshold: 300_000, ComparisonOperator: 'GreaterThanThreshold' });
    expect(age.Metrics[0]?.MetricStat.Stat).toBe('Maximum');
  });

  it('alarms on dispatcher errors: a failing tick starts no job and runs no sweep', () => {
    const dispatcher = [{ Name: 'FunctionName', Value: { Ref: logicalId(corral, corral.corral.functions.dispatcher.function) } }];
    expect(alarmOn(corral.template, 'AWS/Lambda', 'Errors', dispatcher)).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    const raised = synth(() => ({ alarmThresholds: { dispatcherErrors: 3 } }));
    const functionName = [{ Name: 'FunctionName', Value: { Ref: logicalId(raised, raised.corral.functions.dispatcher.function) } }];
    expect(alarmOn(raised.template, 'AWS/Lambda', 'Errors', functionName)).toMatchObject({ Threshold: 3 });
  });

  it('alarms on the API’s 5xx share and p99 latency over three periods, on this API’s own name and stage', () => {
    const [api] = Object.values(corral.template.findResources('AWS::ApiGateway::RestApi'));
    const apiName = api?.['Properties'].Name;
    expect(apiName).toMatch(/^Platform-Corral-Api-/);
    const dimensions = [
      { Name: 'ApiName', Value: apiName },
      { Name: 'Stage', Value: { Ref: logicalId(corral, corral.corral.api.restApi.deploymentStage) } },
    ];
    const faults = alarmOn(corral.template, 'AWS/ApiGateway', '5XXError', dimensions);
    expect(faults).toMatchObject({ Threshold: 0.05, DatapointsToAlarm: 3, EvaluationPeriods: 3 });
    expect(faults.Metrics[0]?.MetricStat.Stat).toBe('Average');
    const latency = alarmOn(corral.template, 'AWS/ApiGateway', 'Latency', dimensions);
    expect(latency).toMatchObject({ Threshold: 3000, DatapointsToAlarm: 3 });
    expect(latency.Metrics[0]?.MetricStat.Stat).toBe('p99');
  });

  it('alarms on failed rollouts, lost leases, failed rotations and missed or failed job runs, on the aggregate series', () => {
    for (const name of ['RolloutFailed', 'LeaseLost', 'RotationFailed']) {
      const alarm = alarmOn(corral.template, metricNamespace, name, Match.absent() as never);
      expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
      expect(alarm.Metrics[0]?.MetricStat.Stat).toBe('Sum');
    }
    for (const outcome of ['Missed', 'Failed']) {
      expect(alarmOn(corral.template, metricNamespace, 'JobRuns', [{ Name: 'outcome', Value: outcome }])).toMatchObject({ Threshold: 0 });
    }
  });

  it('sends every alarm, and its return to OK, to the alarm topic, which CloudWatch alone may publish to', () => {
    const alarms = Object.values(corral.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(14);
    for (const alarm of alarms) {
      expect(alarm['Properties']).toMatchObject({ ActionsEnabled: true, AlarmActions: [{ Ref: topic }], OKActions: [{ Ref: topic }] });
      expect(alarm['Properties'].AlarmName).toMatch(/^Platform-Corral-Monitoring-[0-9A-F]{8}-/);
    }
    corral.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CorralAlarms',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { ArnLike: { 'aws:SourceArn': Match.stringLikeRegexp('^arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Platform-Corral-Monitoring-[0-9A-F]{8}\\*$') } },
          }),
        ]),
      },
    });
  });

  it('draws one dashboard with every Corral metric, the API latency and the dead-letter queue depths', () => {
    const dashboards = Object.values(corral.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.['Properties'].DashboardBody);
    for (const name of Object.keys(metrics)) expect(body, name).toContain(`\\"${metricNamespace}\\",\\"${name}\\"`);
    for (const title of ['Rollouts', 'Reconcile duration', 'Tasks started and stopped', 'Job start lateness']) {
      expect(body).toContain(`\\"title\\":\\"${title}`);
    }
    expect(body).toContain('\\"AWS/ApiGateway\\",\\"Latency\\"');
    expect(body.match(/ApproximateNumberOfMessagesVisible/g)?.length).toBeGreaterThanOrEqual(3);
  });
});

describe('tracing and partial batch failures', () => {
  let corral: Synthesized;
  beforeAll(() => {
    corral = synth();
  });

  it('traces every function actively, and the API stage; AWS SDK calls only with traceAwsCalls', () => {
    const variablesOf = (template: Template) =>
      Object.values(corralFunctions(template)).map((fn) => (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables);
    const functions = Object.values(corralFunctions(corral.template));
    expect(functions).toHaveLength(4);
    for (const fn of functions) expect(fn.Properties['TracingConfig']).toEqual({ Mode: 'Active' });
    corral.template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    expect(variablesOf(corral.template).map((v) => v['CORRAL_TRACE_AWS_CALLS'])).toEqual(['false', 'false', 'false', 'false']);

    const traced = synth(() => ({ traceAwsCalls: true })).template;
    expect(variablesOf(traced).map((v) => v['CORRAL_TRACE_AWS_CALLS'])).toEqual(['true', 'true', 'true', 'true']);
    for (const fn of Object.values(corralFunctions(traced))) expect(fn.Properties['TracingConfig']).toEqual({ Mode: 'Active' });
  });

  it('has the reconciler report item failures on both its stream and its queue', () => {
    const reconciler = { Ref: logicalId(corral, corral.corral.functions.reconciler.function) };
    const sources = [
      { 'Fn::GetAtt': [logicalId(corral, corral.corral.table.table), 'StreamArn'] },
      { 'Fn::GetAtt': [logicalId(corral, corral.corral.queues.requeue), 'Arn'] },
    ];
    for (const source of sources) {
      corral.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: reconciler,
        EventSourceArn: source,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });
});

describe('monitoring props', () => {
  it('alarmTopic: the alarms go to your topic and no topic is created', () => {
    const { template } = synth((stack) => ({
      alarmTopic: sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:eu-west-1:123456789012:pager'),
    }));
    template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm['Properties'].AlarmActions).toEqual(['arn:aws:sns:eu-west-1:123456789012:pager']);
    }
  });

  it('alarmEmail subscribes the address to the alarm topic', () => {
    const { template } = synth(() => ({ alarmEmail: 'oncall@example.com' }));
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0] as string;
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: topic } });
  });

  it('encryptionKey encrypts the created topic and lets CloudWatch use the key', () => {
    const { template } = synth((stack) => ({ encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) }));
    const key = Object.keys(template.findResources('AWS::KMS::Key'))[0] as string;
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'CorralAlarmNotifications', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  it('alarmThresholds change the thresholds, the rest keep their defaults', () => {
    const synthesized = synth(() => ({
      alarmThresholds: { deadLetterMessages: 10, streamIteratorAge: Duration.minutes(30), api5xxRate: 0.2, jobRunsMissed: 2, rotationsFailed: 1 },
    }));
    const { template } = synthesized;
    const queue = logicalId(synthesized, synthesized.corral.queues.failedEvents);
    expect(alarmOn(template, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }])).toMatchObject({ Threshold: 10 });
    expect(alarmOn(template, 'AWS/Lambda', 'IteratorAge')).toMatchObject({ Threshold: 1_800_000 });
    expect(alarmOn(template, 'AWS/ApiGateway', '5XXError')).toMatchObject({ Threshold: 0.2 });
    expect(alarmOn(template, metricNamespace, 'JobRuns', [{ Name: 'outcome', Value: 'Missed' }])).toMatchObject({ Threshold: 2 });
    expect(alarmOn(template, metricNamespace, 'JobRuns', [{ Name: 'outcome', Value: 'Failed' }])).toMatchObject({ Threshold: 0 });
    expect(alarmOn(template, 'AWS/ApiGateway', 'Latency')).toMatchObject({ Threshold: 3000 });
    expect(alarmOn(template, metricNamespace, 'RotationFailed')).toMatchObject({ Threshold: 1 });
  });

  it('monitoring: false creates no alarm, dashboard or topic', () => {
    const { template, corral } = synth(() => ({ monitoring: false }));
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(corral.monitoring).toBeUndefined();
  });

  it('refuses bad monitoring props, naming the field', () => {
    expect(() => synth(() => ({ monitoring: false, alarmEmail: 'oncall@example.com' }))).toThrow(/alarmEmail needs monitoring/);
    expect(() => synth(() => ({ alarmEmail: 'oncall' }))).toThrow(CorralPropsError);
    expect(() => synth(() => ({ alarmEmail: 'oncall' }))).toThrow(/alarmEmail must be an email address/);
    expect(() => synth(() => ({ alarmThresholds: { reconcilerErrors: -1 } }))).toThrow(/alarmThresholds\.reconcilerErrors must be a number of at least 0/);
    expect(() => synth(() => ({ alarmThresholds: { api5xxRate: 5 } }))).toThrow(/alarmThresholds\.api5xxRate is a share of requests between 0 and 1/);
  });
});
