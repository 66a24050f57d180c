import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Corral, type CorralProps } from '../../lib/index.js';
import { skipBundling } from './synth-corral.js';

export const env = { account: '123456789012', region: 'eu-west-1' };

/** A user's own stack with their VPC and cluster, imported as most platform teams would. */
function userStack(app: App): { stack: Stack; vpc: ec2.IVpc; cluster: ecs.ICluster } {
  const stack = new Stack(app, 'Platform', { env });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0abc1234',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    publicSubnetIds: ['subnet-0public1', 'subnet-0public2'],
    publicSubnetRouteTableIds: ['rtb-0public', 'rtb-0public'],
    privateSubnetIds: ['subnet-0private1', 'subnet-0private2'],
    privateSubnetRouteTableIds: ['rtb-0private1', 'rtb-0private2'],
  });
  const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'platform', vpc });
  return { stack, vpc, cluster };
}

/** `new Corral(stack, 'Corral', { vpc, cluster, ...configure() })` in the user's stack, cdk-nag on. */
export function synthInUserStack(configure: (stack: Stack, vpc: ec2.IVpc, cluster: ecs.ICluster) => CorralProps = () => ({})) {
  const app = new App({ context: skipBundling });
  const { stack, vpc, cluster } = userStack(app);
  const corral = new Corral(stack, 'Corral', { vpc, cluster, ...configure(stack, vpc, cluster) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, corral, template: Template.fromStack(stack) };
}

/** Corral's four functions (not the custom resources CDK may add beside them). */
export function corralFunctions(template: Template): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('^Corral ') },
  }) as Record<string, { Properties: Record<string, unknown> }>;
}
