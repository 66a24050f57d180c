import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import type { AssignPublicIp } from './corral-context.js';
import { CorralPropsError, type CorralProps } from './corral-props.js';
import { infraDefaults } from './defaults.js';
import { corralLogGroup, type LogSettings } from './log-settings.js';

export interface TaskNetworkingProps
  extends Pick<CorralProps, 'vpc' | 'cluster' | 'taskSubnets' | 'securityGroups' | 'assignPublicIp'> {
  /** For the flow logs of a VPC created here. */
  readonly logs: LogSettings;
}

/**
 * Where Corral runs tasks: the ECS cluster and the awsvpc networking RunTask needs.
 *
 * Each piece is used when given, otherwise created:
 * - cluster: a Fargate cluster with Container Insights;
 * - subnets: `taskSubnets` of the VPC, by default its private subnets (else isolated, else
 *   public ones); `taskSubnets.subnets` alone needs no VPC when the security groups are given;
 * - security groups: one without ingress in the VPC;
 * - VPC: the given one, else the cluster's (an `ecs.Cluster`), else a new one.
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
  /** The VPC tasks run in, when it is known (given, the cluster's or created). */
  readonly vpc?: ec2.IVpc;
  /** The security group created for tasks, when none was given: add ingress rules to it. */
  readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: TaskNetworkingProps) {
    super(scope, id);

    if (props.cluster) {
      this.clusterName = props.cluster.clusterName;
      this.clusterArn = props.cluster.clusterArn;
    } else {
      // The L1 resource: ecs.Cluster would create a VPC of its own that Fargate tasks never use.
      const cluster = new ecs.CfnCluster(this, 'Cluster', {
        clusterSettings: [{ name: 'containerInsights', value: 'enabled' }],
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      });
      this.clusterName = cluster.ref;
      this.clusterArn = cluster.attrArn;
    }

    const givenSubnets = props.taskSubnets?.subnets;
    const vpc = props.vpc ?? (props.cluster instanceof ecs.Cluster ? props.cluster.vpc : undefined);
    if (!vpc && givenSubnets && !props.securityGroups) {
      throw new CorralPropsError('taskSubnets.subnets without a vpc needs securityGroups, or a vpc to create one in');
    }
    if (!vpc && props.taskSubnets && !givenSubnets) {
      throw new CorralPropsError('taskSubnets selects subnets by type or group, which needs a vpc');
    }
    this.vpc = vpc ?? (givenSubnets ? undefined : this.createVpc(props.logs));

    if (this.vpc) {
      // CDK's default selection: private subnets, else isolated ones, else public ones.
      const selected = this.vpc.selectSubnets(props.taskSubnets);
      this.subnetIds = selected.subnetIds;
      this.assignPublicIp = publicIp(props.assignPublicIp ?? selected.hasPublic);
    } else {
      this.subnetIds = (givenSubnets ?? []).map((subnet) => subnet.subnetId);
      this.assignPublicIp = publicIp(props.assignPublicIp ?? false);
    }

    if (props.securityGroups) {
      this.securityGroupIds = props.securityGroups.map((group) => group.securityGroupId);
    } else {
      this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
        vpc: this.vpc as ec2.IVpc,
        description: 'Corral tasks: no inbound traffic, all outbound',
        allowAllOutbound: true,
      });
      this.securityGroupIds = [this.securityGroup.securityGroupId];
    }
  }

  private createVpc(logs: LogSettings): ec2.Vpc {
    const flowLogGroup = corralLogGroup(this, 'FlowLogs', logs);
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

function publicIp(enabled: boolean): AssignPublicIp {
  return enabled ? 'ENABLED' : 'DISABLED';
}
