import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../lib/infra/api-routes.js';
import { synthCorral, type SynthesizedCorral } from './synth-corral.js';

let corral: SynthesizedCorral;
beforeAll(() => {
  corral = synthCorral();
});

function resourceOfType(type: string, properties: Record<string, unknown> = {}): Record<string, unknown> {
  const found = Object.values(corral.template.findResources(type, { Properties: Match.objectLike(properties) }));
  expect(found).toHaveLength(1);
  return found[0] as Record<string, unknown>;
}

function functionLogicalId(description: RegExp): string {
  const functions = corral.template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp(description.source) },
  });
  const ids = Object.keys(functions);
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('API', () => {
  it('requires SigV4 (AWS_IAM) on every method, one method per route of the contract', () => {
    const methods = Object.values(corral.template.findResources('AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(apiRoutes.length);
    for (const method of methods) {
      expect(method['Properties'].AuthorizationType).toBe('AWS_IAM');
    }
    const verbs = methods.map((method) => method['Properties'].HttpMethod).sort();
    expect(verbs).toEqual(apiRoutes.map((route) => route.method).sort());
  });

  it('sends every method to the API function as a proxy integration and requires the path parameters', () => {
    const api = functionLogicalId(/desired-state API/);
    corral.template.allResourcesProperties('AWS::ApiGateway::Method', {
      Integration: Match.objectLike({
        Type: 'AWS_PROXY',
        Uri: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ 'Fn::GetAtt': [api, 'Arn'] }])]) }),
      }),
      RequestValidatorId: Match.anyValue(),
    });
    const withName = corral.template.findResources('AWS::ApiGateway::Method', {
      Properties: { RequestParameters: { 'method.request.path.name': true } },
    });
    expect(Object.keys(withName)).toHaveLength(apiRoutes.filter((route) => route.path.includes('{name}')).length);
  });

  it('logs access, traces, throttles the stage and never logs bodies', () => {
    corral.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          DataTraceEnabled: false,
          LoggingLevel: 'ERROR',
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
        }),
      ],
    });
    corral.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestParameters: true,
    });
  });

  it('answers gateway errors in the contract error shape', () => {
    corral.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('^\\{"error":\\{"code":') },
    });
  });
});

describe('table', () => {
  it('has the shared key layout, PITR, encryption, a NEW_AND_OLD_IMAGES stream and TTL on expiresAt', () => {
    corral.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'byKind',
          KeySchema: [
            { AttributeName: 'kind', KeyType: 'HASH' },
            { AttributeName: 'name', KeyType: 'RANGE' },
          ],
        }),
      ],
    });
  });

  it('is retained when the stack is deleted', () => {
    corral.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('functions', () => {
  it('run Node.js 24 on arm64, ESM-bundled, each with its own log group', () => {
    // Corral's own; the created VPC's default-security-group custom resource brings a fifth.
    const functions = Object.values(
      corral.template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^Corral ') } }),
    );
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      expect(fn['Properties']).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
    corral.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('get the environment the handlers read', () => {
    const reconciler = resourceOfType('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('reconciler') });
    const variables = (reconciler['Properties'] as { Environment: { Variables: Record<string, unknown> } }).Environment
      .Variables;
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'CLUSTER_ARN',
        'REQUEUE_QUEUE_URL',
        'SUBNET_IDS',
        'SECURITY_GROUP_IDS',
        'ASSIGN_PUBLIC_IP',
        'EXECUTION_ROLE_ARN',
        'TASK_ROLE_ARN',
        'LOG_GROUP_PREFIX',
        'ROTATION_FUNCTION_ARN',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
      ]),
    );
    expect(variables).toMatchObject({
      LOG_GROUP_PREFIX: '/corral/services/',
      POWERTOOLS_SERVICE_NAME: 'corral-reconciler',
      ASSIGN_PUBLIC_IP: 'ENABLED',
    });
  });
});

describe('reconciler triggers', () => {
  it('reads the table stream with bisection, bounded retries and a failure queue, for spec items only', () => {
    const reconciler = functionLogicalId(/reconciler/);
    corral.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: reconciler },
      EventSourceArn: { 'Fn::GetAtt': [Match.anyValue(), 'StreamArn'] },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: Match.anyValue(),
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: Match.serializedJson(Match.objectLike({ dynamodb: Match.anyValue() })) }] },
    });
  });

  it('receives ECS task state changes of the cluster through a queue, a burst at a time', () => {
    const reconciler = functionLogicalId(/reconciler/);
    const cluster = Object.keys(corral.template.findResources('AWS::ECS::Cluster'))[0] as string;
    const taskEvents = Object.keys(corral.template.findResources('AWS::SQS::Queue')).find((id) => /TaskEvents/.test(id)) as string;
    expect(taskEvents).toBeDefined();
    corral.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: Match.objectLike({ clusterArn: [{ 'Fn::GetAtt': [cluster, 'Arn'] }], startedBy: [{ prefix: 'corral' }] }),
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [taskEvents, 'Arn'] } })],
    });
    corral.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: reconciler },
      EventSourceArn: { 'Fn::GetAtt': [taskEvents, 'Arn'] },
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 1,
    });
  });

  it('runs the dispatcher (jobs and the full sweep) every minute, and only it', () => {
    const minutely = Object.values(corral.template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(1 minute)' } }));
    expect(minutely).toHaveLength(1);
    expect(minutely[0]).toMatchObject({ Properties: { Targets: [{ Arn: { 'Fn::GetAtt': [functionLogicalId(/dispatcher/), 'Arn'] } }] } });
  });

  it('consumes the requeue queue, which has a dead-letter queue and refuses plain HTTP', () => {
    const reconciler = functionLogicalId(/reconciler/);
    const [requeue] = Object.entries(
      corral.template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }),
    );
    expect(requeue).toBeDefined();
    const [requeueId] = requeue as [string, unknown];
    corral.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: reconciler },
      EventSourceArn: { 'Fn::GetAtt': [requeueId, 'Arn'] },
    });
    corral.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: requeueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('ECS permissions', () => {
  it('let the reconciler pass only the two task roles, to ECS tasks only', () => {
    const roles = Object.keys(corral.template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })] } },
    }));
    expect(roles).toHaveLength(2);
    type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
    const statements = Object.values(corral.template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy['Properties'].PolicyDocument.Statement as Statement[],
    );
    const passRole = statements.filter((statement) => [statement.Action].flat().includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(passRole[0]?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    const passed = [passRole[0]?.Resource].flat() as { 'Fn::GetAtt': [string, string] }[];
    expect(passed.map((resource) => resource['Fn::GetAtt'][0]).sort()).toEqual([...roles].sort());

    const runTask = statements.filter((statement) => [statement.Action].flat().includes('ecs:RunTask'));
    expect(runTask).toHaveLength(1);
    expect(runTask[0]?.Condition).toEqual({ ArnEquals: { 'ecs:cluster': expect.anything() } });
  });
});

describe('outputs', () => {
  it('publish ApiUrl and TableName', () => {
    corral.template.hasOutput('ApiUrl', { Value: Match.anyValue() });
    corral.template.hasOutput('TableName', { Value: { Ref: Match.anyValue() } });
  });

  it('publish where the alarms go and the dashboard’s name', () => {
    const topic = Object.keys(corral.template.findResources('AWS::SNS::Topic'))[0];
    corral.template.hasOutput('AlarmTopicArn', { Value: { Ref: topic } });
    const dashboard = Object.keys(corral.template.findResources('AWS::CloudWatch::Dashboard'))[0];
    corral.template.hasOutput('DashboardName', { Value: { Ref: dashboard } });
  });
});

describe('monitoring from context', () => {
  it('corral:alarmEmail subscribes the address; corral:monitoring=false leaves alarms, dashboard and outputs out', () => {
    const mailed = synthCorral({ context: { 'corral:alarmEmail': 'oncall@example.com' } }).template;
    mailed.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    const silent = synthCorral({ context: { 'corral:monitoring': 'false' } }).template;
    silent.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    silent.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(silent.findOutputs('*'))).not.toContain('AlarmTopicArn');
    expect(() => synthCorral({ context: { 'corral:monitoring': 'off' } })).toThrow(/corral:monitoring must be true or false/);
  });

  it('corral:traceAwsCalls=true has every function trace its AWS SDK calls', () => {
    const traced = synthCorral({ context: { 'corral:traceAwsCalls': 'true' } }).template;
    const functions = Object.values(traced.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^Corral ') } }));
    expect(functions.map((fn) => fn['Properties'].Environment.Variables.CORRAL_TRACE_AWS_CALLS)).toEqual(['true', 'true', 'true', 'true']);
    expect(() => synthCorral({ context: { 'corral:traceAwsCalls': 'yes' } })).toThrow(/corral:traceAwsCalls must be true or false/);
  });
});
