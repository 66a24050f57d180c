import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';

export interface TrafficPolicyProps {
  /** The functions' roles that put tasks into traffic and take them out (the reconciler's). */
  readonly roles: readonly iam.IRole[];
}

/** The tag a target group or Cloud Map service carries for Corral to (de)register into it. */
export const trafficTag = { key: 'corral:managed', value: 'true' } as const;

/**
 * What the reconciler needs to register a service's tasks as load balancer targets and Cloud Map
 * instances and take them out again: writes only on target groups and Cloud Map services tagged
 * `corral:managed=true`, reads where the services allow no narrower resource, and the Route 53
 * actions Cloud Map performs as the caller for DNS namespaces (as in the AWS managed policy
 * AWSCloudMapRegisterInstanceAccess), limited to the record types it writes.
 */
export class TrafficPolicy extends Construct {
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: TrafficPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const tagged = { StringEquals: { [`aws:ResourceTag/${trafficTag.key}`]: trafficTag.value } };
    const targetGroups = stack.formatArn({ service: 'elasticloadbalancing', resource: 'targetgroup', resourceName: '*/*' });
    const cloudMapServices = stack.formatArn({ service: 'servicediscovery', resource: 'service', resourceName: '*' });
    const hostedZones = stack.formatArn({ service: 'route53', region: '', account: '', resource: 'hostedzone', resourceName: '*' });
    const healthChecks = stack.formatArn({ service: 'route53', region: '', account: '', resource: 'healthcheck', resourceName: '*' });

    this.policy = new iam.Policy(this, 'Policy', {
      roles: [...props.roles],
      statements: [
        new iam.PolicyStatement({
          sid: 'RegisterTargets',
          actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
          resources: [targetGroups],
          conditions: tagged,
        }),
        new iam.PolicyStatement({
          sid: 'ReadTargetHealth',
          // Elastic Load Balancing's Describe* actions have no resource-level permissions.
          actions: ['elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTargetGroupAttributes'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'RegisterInstances',
          actions: ['servicediscovery:RegisterInstance', 'servicediscovery:DeregisterInstance', 'servicediscovery:ListInstances'],
          resources: [cloudMapServices],
          conditions: tagged,
        }),
        new iam.PolicyStatement({
          sid: 'CloudMapDnsRecords',
          actions: ['route53:ChangeResourceRecordSets'],
          resources: [hostedZones],
          conditions: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'SRV', 'CNAME'] } },
        }),
        new iam.PolicyStatement({
          sid: 'CloudMapDnsLookups',
          actions: ['route53:GetHostedZone', 'route53:GetHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck'],
          resources: [hostedZones, healthChecks],
        }),
        new iam.PolicyStatement({
          sid: 'CloudMapHealthChecks',
          // Neither action has resource-level permissions; Cloud Map calls them for instances of DNS services.
          actions: ['route53:CreateHealthCheck', 'route53:ListHostedZonesByName'],
          resources: ['*'],
        }),
      ],
    });

    acknowledgeWildcardResource(
      this.policy,
      '*',
      'DescribeTargetHealth, DescribeTargetGroupAttributes, route53:CreateHealthCheck and ListHostedZonesByName have no resource-level permissions.',
    );
    acknowledgeWildcardResource(
      this.policy,
      targetGroups,
      'Target groups named in service specs at run time; writes are limited to those tagged corral:managed=true.',
    );
    acknowledgeWildcardResource(
      this.policy,
      cloudMapServices,
      'Cloud Map services named in service specs at run time; limited to those tagged corral:managed=true.',
    );
    acknowledgeWildcardResource(
      this.policy,
      hostedZones,
      "Cloud Map writes its namespace's records as the caller; hosted zones carry no tag condition, record types are limited.",
    );
    acknowledgeWildcardResource(this.policy, healthChecks, 'Route 53 health checks Cloud Map creates for instances; ids are assigned at run time.');
  }
}
