import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CorralContextError, contextKeys, type AssignPublicIp, type CorralContext } from './corral-context.js';
import { infraDefaults } from './defaults.js';

/**
 * Where Corral runs tasks: the ECS cluster and the awsvpc networking RunTask needs.
 *
 * Each piece comes from context when given, otherwise it is created:
 * - cluster: `corral:clusterName`, else a Fargate cluster with Container Insights;
 * - subnets: `corral:subnetIds`, else the private subnets of `corral:vpcId` (public ones if it
 *   has none), else a new VPC;
 * - security groups: `corral:securityGroupIds`, else one without ingress in that VPC.
 *
 * The VPC created by default has two AZs and public subnets only: tasks get public IPs to
 * pull images, so no NAT gateway (about 32 USD a month each) is needed, and the security group
 * admits no inbound traffic, so a public IP exposes nothing.
 */
export class TaskNetworking extends Construct {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly assignPublicIp: AssignPublicIp;
  /** The VPC tasks run in, when it is known (created or looked up). */
  readonly vpc?: ec2.IVpc;
  /** The security group created for tasks, when none was given: add ingress rules to it. */
  readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, context: CorralContext) {
    super(scope, id);
    const stack = Stack.of(this);

    if (context.clusterName) {
      this.clusterName = context.clusterName;
      this.clusterArn = stack.formatArn({ service: 'ecs', resource: 'cluster', resourceName: context.clusterName });
    } else {
      // The L1 resource: ecs.Cluster would create a VPC of its own that Fargate tasks never use.
      const cluster = new ecs.CfnCluster(this, 'Cluster', {
        clusterSettings: [{ name: 'containerInsights', value: 'enabled' }],
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      });
      this.clusterName = cluster.ref;
      this.clusterArn = cluster.attrArn;
    }

    if (context.subnetIds && !context.securityGroupIds && !context.vpcId) {
      throw new CorralContextError(
        `${contextKeys.subnetIds} needs ${contextKeys.securityGroupIds}, or ${contextKeys.vpcId} to create a security group in`,
      );
    }

    this.vpc = context.vpcId
      ? ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: context.vpcId })
      : context.subnetIds
        ? undefined
        : this.createVpc();

    if (context.subnetIds) {
      this.subnetIds = [...context.subnetIds];
      this.assignPublicIp = context.assignPublicIp ?? 'DISABLED';
    } else {
      const vpc = this.vpc as ec2.IVpc;
      const usePrivate = vpc.privateSubnets.length > 0;
      this.subnetIds = (usePrivate ? vpc.privateSubnets : vpc.publicSubnets).map((subnet) => subnet.subnetId);
      this.assignPublicIp = context.assignPublicIp ?? (usePrivate ? 'DISABLED' : 'ENABLED');
    }

    if (context.securityGroupIds) {
      this.securityGroupIds = [...context.securityGroupIds];
    } else {
      this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
        vpc: this.vpc as ec2.IVpc,
        description: 'Corral tasks: no inbound traffic, all outbound',
        allowAllOutbound: true,
      });
      this.securityGroupIds = [this.securityGroup.securityGroupId];
    }
  }

  private createVpc(): ec2.Vpc {
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: infraDefaults.logRetention });
    return new ec2.Vpc(this, 'Vpc', {
      maxAzs: infraDefaults.vpcMaxAzs,
      natGateways: 0,
      subnetConfiguration: [{ name: 'tasks', subnetType: ec2.SubnetType.PUBLIC }],
      // Rejected traffic only: enough to see blocked connections, at a fraction of the cost.
      flowLogs: {
        rejected: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });
  }
}
