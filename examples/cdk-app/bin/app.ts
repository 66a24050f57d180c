import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Corral } from 'corral';

const app = new App();
const stack = new Stack(app, 'Platform', {
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
});

// What the platform team already has: a VPC with private subnets and a cluster.
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

// Corral inside it: tasks run on that cluster, in the VPC's private subnets.
const corral = new Corral(stack, 'Corral', {
  cluster,
  logRetention: RetentionDays.THREE_MONTHS,
  reservedConcurrency: { reconciler: 20 },
  tags: { team: 'platform' },
  // Alarms (on by default) mail the team; thresholds not given keep their defaults.
  alarmEmail: 'platform-oncall@example.com',
  alarmThresholds: { apiLatencyP99: Duration.seconds(2) },
});

// What the containers Corral starts may do.
corral.taskRoles.taskRole.addToPolicy(
  new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::example-assets/*'] }),
);
