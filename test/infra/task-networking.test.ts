import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthCorral } from './synth-corral.js';

/** What `cdk synth` caches in cdk.context.json after looking up vpc-0abc1234 in the account. */
const vpcLookupKey = 'vpc-provider:account=123456789012:filter.vpc-id=vpc-0abc1234:region=eu-west-1:returnAsymmetricSubnets=true';
const lookedUpVpc = {
  vpcId: 'vpc-0abc1234',
  vpcCidrBlock: '10.0.0.0/16',
  ownerAccountId: '123456789012',
  availabilityZones: [],
  subnetGroups: [
    {
      name: 'Public',
      type: 'Public',
      subnets: [
        { subnetId: 'subnet-0public1', cidr: '10.0.0.0/24', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0public' },
        { subnetId: 'subnet-0public2', cidr: '10.0.1.0/24', availabilityZone: 'eu-west-1b', routeTableId: 'rtb-0public' },
      ],
    },
    {
      name: 'Private',
      type: 'Private',
      subnets: [
        { subnetId: 'subnet-0private1', cidr: '10.0.2.0/24', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0private1' },
        { subnetId: 'subnet-0private2', cidr: '10.0.3.0/24', availabilityZone: 'eu-west-1b', routeTableId: 'rtb-0private2' },
      ],
    },
  ],
};

function reconcilerVariables(template: ReturnType<typeof synthCorral>['template']): Record<string, unknown> {
  const [reconciler] = Object.values(
    template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('reconciler') } }),
  );
  return reconciler?.['Properties'].Environment.Variables;
}

describe('cluster and task networking from context', () => {
  it('creates a Container Insights cluster and a NAT-free two-AZ VPC when nothing is given', () => {
    const { template } = synthCorral();
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.absent() });
    expect(reconcilerVariables(template)).toMatchObject({ ASSIGN_PUBLIC_IP: 'ENABLED' });
  });

  it('uses an existing cluster, subnets and security groups without creating any', () => {
    const { template } = synthCorral({
      context: {
        'corral:clusterName': 'prod',
        'corral:subnetIds': 'subnet-aaa, subnet-bbb',
        'corral:securityGroupIds': ['sg-111'],
      },
    });
    template.resourceCountIs('AWS::ECS::Cluster', 0);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    const variables = reconcilerVariables(template);
    expect(variables).toMatchObject({
      SUBNET_IDS: 'subnet-aaa,subnet-bbb',
      SECURITY_GROUP_IDS: 'sg-111',
      ASSIGN_PUBLIC_IP: 'DISABLED',
    });
    expect(JSON.stringify(variables['CLUSTER_ARN'])).toContain(':cluster/prod');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: Match.objectLike({ clusterArn: [{ 'Fn::Join': ['', Match.arrayWith([':cluster/prod'])] }] }),
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecs:StopTask', 'ecs:DescribeTasks'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([':task/prod/*'])] },
          }),
        ]),
      },
    });
  });

  it('honours corral:assignPublicIp', () => {
    const { template } = synthCorral({
      context: { 'corral:subnetIds': 'subnet-aaa', 'corral:securityGroupIds': 'sg-1', 'corral:assignPublicIp': 'ENABLED' },
    });
    expect(reconcilerVariables(template)).toMatchObject({ ASSIGN_PUBLIC_IP: 'ENABLED' });
  });

  it('picks the private subnets of corral:vpcId and creates a security group in it', () => {
    const { template } = synthCorral({
      context: { 'corral:vpcId': 'vpc-0abc1234', [vpcLookupKey]: lookedUpVpc },
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    template.resourceCountIs('AWS::EC2::VPC', 0);
    expect(reconcilerVariables(template)).toMatchObject({
      SUBNET_IDS: 'subnet-0private1,subnet-0private2',
      ASSIGN_PUBLIC_IP: 'DISABLED',
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0abc1234' });
  });

  it('refuses subnets without security groups or a VPC to create one in', () => {
    expect(() => synthCorral({ context: { 'corral:subnetIds': 'subnet-aaa' } })).toThrow(/corral:securityGroupIds/);
  });

  it('refuses an assignPublicIp other than ENABLED or DISABLED', () => {
    expect(() => synthCorral({ context: { 'corral:assignPublicIp': 'yes' } })).toThrow(/ENABLED or DISABLED/);
  });
});
