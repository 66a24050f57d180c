import { Match } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRotationSchedule } from '../../lib/infra/rotation-schedule.js';
import { synthCorral, type SynthesizedCorral } from './synth-corral.js';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

/** What every grant on secrets looks like: the account's secrets, narrowed by the tag. */
const taggedSecretsOnly = {
  Resource: { 'Fn::Join': ['', expect.arrayContaining([':secret:*'])] },
  Condition: { StringEquals: { 'aws:ResourceTag/corral:managed': 'true' } },
};

function statementsOf(corral: SynthesizedCorral, roleId: string): Statement[] {
  return Object.values(
    corral.template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) } }),
  ).flatMap((policy) => policy['Properties'].PolicyDocument.Statement as Statement[]);
}

function roleOf(corral: SynthesizedCorral, description: string): string {
  const [fn] = Object.values(
    corral.template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(description) } }),
  );
  return fn?.['Properties'].Role['Fn::GetAtt'][0];
}

/** Every resource granted `action` to the role, as JSON strings. */
function resourcesFor(corral: SynthesizedCorral, roleId: string, action: string): string[] {
  return statementsOf(corral, roleId)
    .filter((statement) => [statement.Action].flat().includes(action))
    .flatMap((statement) => [statement.Resource].flat().map((resource) => JSON.stringify(resource)));
}

describe('Corral-managed and attached secrets', () => {
  let corral: SynthesizedCorral;
  let managedSecretId: string;
  beforeAll(() => {
    corral = synthCorral({
      configure: (stack) => {
        stack.addManagedSecret('DbPassword', { secretName: 'db-password', schedule: 'rate(30 days)' });
        stack.attachRotation(secretsmanager.Secret.fromSecretNameV2(stack, 'ApiKey', 'api-key'), 'cron(0 4 ? * MON *)');
      },
    });
    managedSecretId = Object.keys(corral.template.findResources('AWS::SecretsManager::Secret'))[0] as string;
  });

  it('schedules rotation with the expression given, using the rotation function', () => {
    const rotationFunction = Object.keys(
      corral.template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('rotation') } }),
    )[0];
    corral.template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
    corral.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: managedSecretId },
      RotationLambdaARN: { 'Fn::GetAtt': [rotationFunction, 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    corral.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { 'Fn::Join': ['', Match.arrayWith([':secret:api-key'])] },
      RotationRules: { ScheduleExpression: 'cron(0 4 ? * MON *)' },
    });
  });

  it('tags the secrets defined in the app corral:managed=true', () => {
    corral.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'db-password',
      Tags: Match.arrayWith([{ Key: 'corral:managed', Value: 'true' }]),
    });
  });

  it('lets Secrets Manager invoke the function for this account\'s secrets, before any schedule exists', () => {
    const permissions = corral.template.findResources('AWS::Lambda::Permission', {
      Properties: { Principal: 'secretsmanager.amazonaws.com' },
    });
    const sourceArns = Object.values(permissions).map((permission) => JSON.stringify(permission['Properties'].SourceArn));
    expect(sourceArns).toHaveLength(1);
    expect(sourceArns[0]).toContain(':secret:*');
    expect(Object.values(permissions)[0]!['Properties'].SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    const schedules = Object.values(corral.template.findResources('AWS::SecretsManager::RotationSchedule'));
    for (const schedule of schedules) {
      expect((schedule['DependsOn'] as string[]).some((id) => id in permissions)).toBe(true);
    }
  });

  it('limits the rotation function to secrets tagged corral:managed=true', () => {
    const role = roleOf(corral, 'rotation');
    for (const action of ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage']) {
      const statements = statementsOf(corral, role).filter((statement) => [statement.Action].flat().includes(action));
      expect(statements).toEqual([expect.objectContaining(taggedSecretsOnly)]);
    }
  });

  it('lets the API and the reconciler start a rotation of tagged secrets only', () => {
    for (const description of ['desired-state API', 'reconciler']) {
      const statements = statementsOf(corral, roleOf(corral, description)).filter((statement) =>
        [statement.Action].flat().includes('secretsmanager:RotateSecret'),
      );
      expect(statements).toEqual([expect.objectContaining(taggedSecretsOnly)]);
    }
  });

  it('needs no stack change to rotate a secret made outside it: the grants do not depend on attached secrets', () => {
    const bare = synthCorral();
    bare.template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    for (const [description, action] of [['rotation', 'secretsmanager:PutSecretValue'], ['desired-state API', 'secretsmanager:RotateSecret']]) {
      expect(resourcesFor(bare, roleOf(bare, description!), action!)).toEqual(resourcesFor(corral, roleOf(corral, description!), action!));
    }
  });

  it('refuses an invalid schedule at synth time', () => {
    expect(() =>
      synthCorral({ configure: (stack) => stack.addManagedSecret('Bad', { schedule: 'rate(2 hours)' }) }),
    ).toThrow(/between 4 hours and 1000 days/);
  });
});

describe('rotation schedule expressions', () => {
  it.each([
    'rate(4 hours)',
    'rate(1 day)',
    'rate(30 days)',
    'rate(1000 days)',
    'cron(0 16 1,15 * ? *)',
    'cron(0 8 ? * MON-FRI *)',
  ])('accepts %s', (expression) => {
    expect(checkRotationSchedule(expression)).toBe(expression);
  });

  it.each([
    ['rate(3 hours)', /between/],
    ['rate(1001 days)', /between/],
    ['rate(30 minutes)', /neither/],
    ['rate(1 week)', /neither/],
    ['cron(0 16 * * ?)', /neither/],
    ['every day', /neither/],
    ['', /neither/],
  ])('rejects %j', (expression, message) => {
    expect(() => checkRotationSchedule(expression)).toThrow(message);
  });
});
