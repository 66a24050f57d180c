import fs from 'node:fs';
import path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { CorralPropsError } from '../../lib/index.js';
import { corralFunctions, synthInUserStack as synth } from './synth-user-stack.js';

function variables(template: Template, description: string): Record<string, unknown> {
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(description) } }),
  );
  return fn?.['Properties'].Environment.Variables;
}

describe('the Corral construct in a plain stack', () => {
  it('runs tasks on the given cluster, in the VPC’s private subnets, creating neither', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::ECS::Cluster', 0);
    template.resourceCountIs('AWS::Lambda::Function', 4);
    expect(variables(template, 'reconciler')).toMatchObject({
      SUBNET_IDS: 'subnet-0private1,subnet-0private2',
      ASSIGN_PUBLIC_IP: 'DISABLED',
      CLUSTER_ARN: 'arn:aws:ecs:eu-west-1:123456789012:cluster/platform',
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0abc1234', SecurityGroupIngress: Match.absent() });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ clusterArn: ['arn:aws:ecs:eu-west-1:123456789012:cluster/platform'] }) }),
    });
  });

  it('takes the subnets, security groups and public IP setting it is given', () => {
    const { template } = synth((stack, vpc) => ({
      taskSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Tasks', 'sg-0tasks', { mutable: false })],
      assignPublicIp: true,
      vpc,
    }));
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    expect(variables(template, 'reconciler')).toMatchObject({
      SUBNET_IDS: 'subnet-0public1,subnet-0public2',
      SECURITY_GROUP_IDS: 'sg-0tasks',
      ASSIGN_PUBLIC_IP: 'ENABLED',
    });
  });

  it('is cdk-nag clean with the user’s VPC, cluster and a customer managed key', () => {
    const { app, stack } = synth((stack) => ({ encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) }));
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string }[] }[];
    };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations.map((violation) => violation.ruleName))).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });
});

describe('Corral props', () => {
  it('logRetention sets every log group’s retention', () => {
    const { template } = synth(() => ({ logRetention: RetentionDays.ONE_WEEK }));
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) expect(group['Properties'].RetentionInDays).toBe(7);
  });

  it('encryptionKey encrypts the table, the queues and the log groups, and lets CloudWatch Logs and EventBridge use it', () => {
    const { template } = synth((stack) => ({ encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) }));
    const key = Object.keys(template.findResources('AWS::KMS::Key'))[0] as string;
    const keyArn = { 'Fn::GetAtt': [key, 'Arn'] };
    template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn } });
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(6);
    for (const queue of queues) expect(queue['Properties'].KmsMasterKeyId).toEqual(keyArn);
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group['Properties'].KmsKeyId).toEqual(keyArn);
    }
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'CorralLogGroups', Principal: { Service: 'logs.eu-west-1.amazonaws.com' } }),
          Match.objectLike({ Sid: 'CorralFailedEvents', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('keeps the table, queues and logs by default; removalPolicy DESTROY and deletionProtection change that', () => {
    const kept = synth().template;
    kept.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    kept.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    const destroyed = synth(() => ({ removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true })).template;
    destroyed.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: true }) });
    for (const type of ['AWS::Logs::LogGroup', 'AWS::SQS::Queue']) {
      for (const resource of Object.values(destroyed.findResources(type))) expect(resource['DeletionPolicy']).toBe('Delete');
      for (const resource of Object.values(kept.findResources(type))) expect(resource['DeletionPolicy']).toBe('Retain');
    }
  });

  it('reservedConcurrency reserves for the named functions only', () => {
    const { template } = synth(() => ({ reservedConcurrency: { reconciler: 50, dispatcher: 2 } }));
    const reserved = Object.values(corralFunctions(template)).map((fn) => [
      fn.Properties['Description'],
      fn.Properties['ReservedConcurrentExecutions'],
    ]);
    expect(reserved.filter(([, count]) => count !== undefined).sort()).toEqual([
      [expect.stringMatching(/dispatcher/), 2],
      [expect.stringMatching(/reconciler/), 50],
    ]);
  });

  it('refuses a reserved concurrency below 1 or for a function that does not exist, naming the field', () => {
    expect(() => synth(() => ({ reservedConcurrency: { reconciler: 0 } }))).toThrow(CorralPropsError);
    expect(() => synth(() => ({ reservedConcurrency: { reconciler: 0 } }))).toThrow(/reservedConcurrency\.reconciler/);
    expect(() => synth(() => ({ reservedConcurrency: { worker: 3 } as never }))).toThrow(/reservedConcurrency\.worker: no such function/);
  });

  it('tags every resource it creates', () => {
    const { template } = synth(() => ({ tags: { team: 'platform' } }));
    const tag = Match.arrayWith([{ Key: 'team', Value: 'platform' }]);
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: tag });
    template.hasResourceProperties('AWS::SQS::Queue', { Tags: tag });
    for (const fn of Object.values(corralFunctions(template))) expect(fn.Properties['Tags']).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'platform' }]));
  });

  it('alarmNamePrefix narrows the rollout alarms the functions may read and tells them the prefix', () => {
    const { template } = synth(() => ({ alarmNamePrefix: 'shop-' }));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Sid: 'ReadRolloutAlarms',
            Action: 'cloudwatch:DescribeAlarms',
            Resource: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-*',
          }),
        ],
      },
    });
    for (const fn of Object.values(corralFunctions(template))) {
      expect((fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['ALARM_NAME_PREFIX']).toBe('shop-');
    }
    expect(() => synth(() => ({ alarmNamePrefix: 'shop-*' }))).toThrow(/alarmNamePrefix must be at most 200 characters without \* or \?/);
  });

  it('apiThrottling sets the stage’s rate and burst', () => {
    const { template } = synth(() => ({ apiThrottling: { rateLimit: 5, burstLimit: 10 } }));
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })],
    });
  });
});
