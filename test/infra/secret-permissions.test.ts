import { Match } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { synthCorral, type SynthesizedCorral } from './synth-corral.js';

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of every IAM policy in the template, with the id of the policy holding it. */
function allStatements(corral: SynthesizedCorral): { policy: string; statement: Statement }[] {
  const resources = corral.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  return Object.entries(resources).flatMap(([policy, resource]) => {
    const documents =
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
        ? [resource.Properties.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? (resource.Properties.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument)
          : [];
    return documents.flatMap((document: { Statement: Statement[] }) => document.Statement.map((statement) => ({ policy, statement })));
  });
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
const managedTagCondition = { StringEquals: { 'aws:ResourceTag/corral:managed': 'true' } };
const accountSecrets = { 'Fn::Join': ['', Match.arrayWith([':secret:*'])] };

/** A policy statement granting `actions` on the account's secrets, only with the tag. */
function taggedStatement(actions: string | string[]) {
  return Match.objectLike({ Action: actions, Resource: accountSecrets, Condition: managedTagCondition });
}

const withSecrets = () =>
  synthCorral({
    configure: (stack) => {
      stack.addManagedSecret('DbPassword', { secretName: 'db-password', schedule: 'rate(30 days)' });
      stack.attachRotation(secretsmanager.Secret.fromSecretNameV2(stack, 'ApiKey', 'api-key'), 'cron(0 4 ? * MON *)');
    },
  });

describe('secret permissions follow the corral:managed tag', () => {
  it.each([
    ['no secrets in the app', () => synthCorral()],
    ['managed and attached secrets', withSecrets],
  ])('no statement grants a secret action on secret:* without the tag condition (%s)', (_, synth) => {
    const corral = synth();
    const onSecrets = allStatements(corral).filter(({ statement }) =>
      actionsOf(statement).some((action) => action.startsWith('secretsmanager:') && action !== 'secretsmanager:GetRandomPassword'),
    );
    expect(onSecrets.length).toBeGreaterThanOrEqual(5);
    for (const { policy, statement } of onSecrets) {
      const resource = JSON.stringify(statement.Resource);
      expect(resource, `${policy}: ${actionsOf(statement).join(',')}`).not.toBe('"*"');
      if (resource.includes(':secret:*')) expect(statement.Condition, `${policy}: ${actionsOf(statement).join(',')}`).toEqual(managedTagCondition);
    }
  });

  it('the execution role reads only tagged secrets', () => {
    synthCorral().template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('ExecutionPolicy'),
      PolicyDocument: { Statement: Match.arrayWith([taggedStatement('secretsmanager:GetSecretValue')]) },
    });
  });

  it('the API describes and rotates only tagged secrets; the rotation function changes only tagged secrets', () => {
    const { template } = synthCorral();
    const roleOf = (description: string) =>
      Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(description) } }))[0]![
        'Properties'
      ].Role['Fn::GetAtt'][0];
    const policyOf = (description: string, statement: object) =>
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleOf(description) }],
        PolicyDocument: { Statement: Match.arrayWith([statement]) },
      });
    policyOf('desired-state API', taggedStatement('secretsmanager:DescribeSecret'));
    policyOf('desired-state API', taggedStatement('secretsmanager:RotateSecret'));
    policyOf('rotation', taggedStatement([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]));
  });

  // A new statement on "*" belongs here only with a reason in its cdk-nag acknowledgement.
  it('leaves on "*" only the actions that have no resource-level permissions (or are narrowed by a condition)', () => {
    const onEverything = allStatements(withSecrets())
      .filter(({ statement }) => JSON.stringify(statement.Resource) === '"*"')
      .map(({ statement }) => ({ actions: actionsOf(statement).sort().join(','), condition: statement.Condition !== undefined }));
    expect(onEverything.sort((a, b) => a.actions.localeCompare(b.actions))).toEqual([
      // The table stream's two readers: the reconciler (service specs) and the dispatcher (job specs).
      { actions: 'dynamodb:ListStreams', condition: false },
      { actions: 'dynamodb:ListStreams', condition: false },
      { actions: 'ecr:GetAuthorizationToken', condition: false },
      { actions: 'ecs:DescribeTaskDefinition,ecs:RegisterTaskDefinition', condition: false },
      { actions: 'ecs:ListTasks', condition: true },
      { actions: 'elasticloadbalancing:DescribeTargetGroupAttributes,elasticloadbalancing:DescribeTargetHealth', condition: false },
      { actions: 'route53:CreateHealthCheck,route53:ListHostedZonesByName', condition: false },
      { actions: 'secretsmanager:GetRandomPassword', condition: false },
      // Active tracing, one statement per function role (api, reconciler, dispatcher, rotation).
      ...Array.from({ length: 4 }, () => ({ actions: 'xray:PutTelemetryRecords,xray:PutTraceSegments', condition: false })),
    ]);
  });
});
