import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthCorral, type SynthesizedCorral } from './synth-corral.js';

let corral: SynthesizedCorral;
beforeAll(() => {
  corral = synthCorral();
});

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function trafficStatements(): Statement[] {
  const policies = corral.template.findResources('AWS::IAM::Policy', {
    Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'RegisterTargets' })]) } },
  });
  expect(Object.keys(policies)).toHaveLength(1);
  const policy = Object.values(policies)[0] as { Properties: { PolicyDocument: { Statement: Statement[] }; Roles: unknown[] } };
  expect(policy.Properties.Roles).toHaveLength(2);
  return policy.Properties.PolicyDocument.Statement;
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('traffic IAM', () => {
  it('registers and deregisters only on target groups and Cloud Map services tagged corral:managed=true', () => {
    const statements = trafficStatements();
    for (const sid of ['RegisterTargets', 'RegisterInstances']) {
      const statement = statements.find((s) => s.Sid === sid) as Statement;
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/corral:managed': 'true' } });
      expect(JSON.stringify(statement.Resource)).toMatch(sid === 'RegisterTargets' ? /:targetgroup\/\*\/\*"/ : /:service\/\*"/);
    }
    expect(actions(statements.find((s) => s.Sid === 'RegisterTargets') as Statement)).toEqual([
      'elasticloadbalancing:RegisterTargets',
      'elasticloadbalancing:DeregisterTargets',
    ]);
  });

  it('grants "*" only to actions without resource-level permissions, and no write there', () => {
    const onStar = trafficStatements().filter((s) => s.Resource === '*').flatMap(actions).sort();
    expect(onStar).toEqual([
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTargetHealth',
      'route53:CreateHealthCheck',
      'route53:ListHostedZonesByName',
    ]);
  });

  it('lets Cloud Map write only address records in Route 53 on the caller’s behalf', () => {
    const records = trafficStatements().find((s) => s.Sid === 'CloudMapDnsRecords') as Statement;
    expect(actions(records)).toEqual(['route53:ChangeResourceRecordSets']);
    expect(records.Condition).toEqual({ 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'SRV', 'CNAME'] } });
  });
});
