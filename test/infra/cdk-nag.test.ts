import fs from 'node:fs';
import path from 'node:path';
import { App, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createCorralApp } from '../../lib/infra/corral-app.js';
import type { CorralStack } from '../../lib/infra/corral-stack.js';
import { acknowledgeWildcardResource } from '../../lib/infra/nag-acknowledgements.js';
import { skipBundling } from './synth-corral.js';

interface ValidationReport {
  pluginReports: { summary: { pluginName: string }; violations: { ruleName: string }[] }[];
}

/** Synthesizes like `cdk synth` (which throws on any cdk-nag finding) and lists what the report holds. */
function findings(app: App): string[] {
  const assembly = app.synth();
  const report = JSON.parse(
    fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return report.pluginReports.flatMap((plugin) => plugin.violations.map((violation) => violation.ruleName));
}

function expectNoAnnotations(stack: Stack): void {
  const annotations = Annotations.fromStack(stack);
  expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
}

function corralApp(context: Record<string, unknown>, configure: (stack: CorralStack) => void = () => {}) {
  const { app, stack } = createCorralApp({ app: { context: { ...skipBundling, ...context } } });
  configure(stack);
  return { app, stack };
}

describe('cdk-nag AwsSolutions checks', () => {
  it('find nothing unacknowledged in the default stack', () => {
    const { app, stack } = corralApp({});
    expect(findings(app)).toEqual([]);
    expectNoAnnotations(stack);
  });

  it('find nothing unacknowledged with an existing cluster and networking', () => {
    const { app, stack } = corralApp({
      'corral:clusterName': 'prod',
      'corral:subnetIds': 'subnet-aaa,subnet-bbb',
      'corral:securityGroupIds': 'sg-111',
    });
    expect(findings(app)).toEqual([]);
    expectNoAnnotations(stack);
  });

  it('find nothing unacknowledged with managed and attached secrets', () => {
    const { app, stack } = corralApp({}, (stack) => {
      stack.addManagedSecret('DbPassword', { secretName: 'db-password', schedule: 'rate(30 days)' });
      stack.attachRotation(secretsmanager.Secret.fromSecretNameV2(stack, 'ApiKey', 'api-key'), 'cron(0 4 ? * MON *)');
    });
    expect(findings(app)).toEqual([]);
    expectNoAnnotations(stack);
  });

  /** A probe stack with an IAM wildcard, acknowledged or not, and optionally a table without PITR. */
  function probe({ acknowledge, table }: { acknowledge: boolean; table: boolean }): App {
    const app = new App();
    const stack = new Stack(app, 'Probe');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const logGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: '/probe/*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup'], resources: [logGroups] }));
    if (acknowledge) acknowledgeWildcardResource(role, logGroups, 'probe');
    if (table) {
      new dynamodb.Table(stack, 'Table', {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      });
    }
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return app;
  }

  it('fail the synth on an unacknowledged wildcard, and pass once it is acknowledged with a reason', () => {
    expect(() => findings(probe({ acknowledge: false, table: false }))).toThrow(
      /AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:\/probe\/\*\]/,
    );
    expect(findings(probe({ acknowledge: true, table: false }))).toEqual([]);
  });

  it('fail the synth on a warning too: cdk-nag reports any finding as a failed validation', () => {
    expect(() => findings(probe({ acknowledge: true, table: true }))).toThrow(/AwsSolutions-DDB3/);
  });
});
