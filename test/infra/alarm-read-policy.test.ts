import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthCorral } from './synth-corral.js';

function alarmStatements(context: Record<string, unknown> = {}) {
  const { template } = synthCorral({ context });
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'cloudwatch:DescribeAlarms' })]) } },
  });
  const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
  const environments = Object.values(template.findResources('AWS::Lambda::Function')).map(
    (f) => (f as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables?.ALARM_NAME_PREFIX,
  );
  return { statements: statements.filter((s) => s.Action === 'cloudwatch:DescribeAlarms'), policies: Object.values(policies), environments };
}

const resourceText = (resource: unknown) => JSON.stringify(resource);

describe('rollout alarm gates in the stack', () => {
  it('lets the API, reconciler and dispatcher read only alarms named with the prefix (corral- by default)', () => {
    const { statements, policies, environments } = alarmStatements();
    expect(statements).toHaveLength(1);
    expect(resourceText(statements[0].Resource)).toMatch(/:alarm:corral-\*"/);
    expect(resourceText(statements[0].Resource)).not.toMatch(/"\*"/);
    const roles = (policies[0] as { Properties: { Roles: unknown[] } }).Properties.Roles;
    expect(roles).toHaveLength(3);
    expect(environments.filter((prefix) => prefix === 'corral-').length).toBeGreaterThanOrEqual(3);
  });

  it('takes the prefix from corral:alarmNamePrefix', () => {
    const { statements } = alarmStatements({ 'corral:alarmNamePrefix': 'shop-' });
    expect(resourceText(statements[0].Resource)).toMatch(/:alarm:shop-\*"/);
  });
});
