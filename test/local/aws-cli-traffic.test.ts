import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsCliWithEnv, type CliResult } from '../support/aws-cli.js';
import { type Harness, startHarness } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const aws = (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> =>
  awsCliWithEnv(h.aws.url, args, { AWS_MAX_ATTEMPTS: '1', ...extraEnv });

describe.concurrent('AWS CLI against local Elastic Load Balancing v2 and Cloud Map', () => {
  test('elbv2: create-target-group, register-targets, describe-target-health, attributes, tags and errors', async () => {
    const created = await aws([
      'elbv2', 'create-target-group', '--name', 'cli-web', '--protocol', 'HTTP', '--port', '80', '--vpc-id', 'vpc-local',
      '--target-type', 'ip', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2',
      '--healthy-threshold-count', '2', '--tags', 'Key=corral:managed,Value=true',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const group = created.json.TargetGroups[0];
    expect(group).toMatchObject({ TargetGroupName: 'cli-web', HealthCheckIntervalSeconds: 5, HealthyThresholdCount: 2, TargetType: 'ip' });
    const arn: string = group.TargetGroupArn;

    const [registered, attributes, tags] = await Promise.all([
      aws(['elbv2', 'register-targets', '--target-group-arn', arn, '--targets', 'Id=10.1.0.1', 'Id=10.1.0.2,Port=8080']),
      aws(['elbv2', 'modify-target-group-attributes', '--target-group-arn', arn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=5']),
      aws(['elbv2', 'describe-tags', '--resource-arns', arn]),
    ]);
    expect(registered.code, registered.stderr).toBe(0);
    expect(attributes.json.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '5' });
    expect(tags.json.TagDescriptions).toEqual([{ ResourceArn: arn, Tags: [{ Key: 'corral:managed', Value: 'true' }] }]);

    await aws(['elbv2', 'deregister-targets', '--target-group-arn', arn, '--targets', 'Id=10.1.0.1']);
    const health = await aws(['elbv2', 'describe-target-health', '--target-group-arn', arn]);
    expect(health.json.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: '10.1.0.1', Port: 80 },
        HealthCheckPort: '80',
        TargetHealth: { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' },
      },
      {
        Target: { Id: '10.1.0.2', Port: 8080 },
        HealthCheckPort: '8080',
        TargetHealth: { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' },
      },
    ]);

    const [missing, invalid] = await Promise.all([
      aws(['elbv2', 'describe-target-health', '--target-group-arn', arn.replace(/[0-9a-f]{16}$/, '0000000000000000')]),
      aws(['elbv2', 'create-target-group', '--name', 'cli_bad', '--protocol', 'HTTP', '--port', '80', '--vpc-id', 'vpc-local']),
    ]);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toMatch(/An error occurred \(TargetGroupNotFound\) when calling the DescribeTargetHealth operation.*: One or more target groups not found/);
    expect(invalid.code).toBe(254);
    expect(invalid.stderr).toContain('(ValidationError)');
  });

  test('servicediscovery: namespaces, services, instances; discover-instances through the endpoint as proxy for the data- host', async () => {
    const namespace = await aws(['servicediscovery', 'create-http-namespace', '--name', 'cli.local']);
    expect(namespace.code, namespace.stderr).toBe(0);
    const operation = await aws(['servicediscovery', 'get-operation', '--operation-id', namespace.json.OperationId]);
    expect(operation.json.Operation).toMatchObject({ Status: 'SUCCESS', Type: 'CREATE_NAMESPACE' });
    const service = await aws(['servicediscovery', 'create-service', '--name', 'web', '--namespace-id', operation.json.Operation.Targets.NAMESPACE]);
    const serviceId: string = service.json.Service.Id;
    const registered = await aws([
      'servicediscovery', 'register-instance', '--service-id', serviceId, '--instance-id', 'task-1',
      '--attributes', 'AWS_INSTANCE_IPV4=10.2.0.1,AWS_INSTANCE_PORT=80',
    ]);
    expect(registered.json.OperationId).toEqual(expect.any(String));
    const [listed, got, missing] = await Promise.all([
      aws(['servicediscovery', 'list-instances', '--service-id', serviceId]),
      aws(['servicediscovery', 'get-instance', '--service-id', serviceId, '--instance-id', 'task-1']),
      aws(['servicediscovery', 'get-instance', '--service-id', serviceId, '--instance-id', 'task-2']),
    ]);
    expect(listed.json.Instances).toEqual([{ Id: 'task-1', Attributes: { AWS_INSTANCE_IPV4: '10.2.0.1', AWS_INSTANCE_PORT: '80' } }]);
    expect(got.json.Instance).toMatchObject({ Id: 'task-1' });
    expect(missing.stderr).toContain('(InstanceNotFound)');

    // The CLI sends DiscoverInstances to http://data-127.0.0.1:<port>, a name nothing resolves;
    // with the endpoint as its HTTP proxy the request still arrives (newer CLIs can instead set
    // AWS_DISABLE_HOST_PREFIX_INJECTION=true).
    const discovered = await aws(['servicediscovery', 'discover-instances', '--namespace-name', 'cli.local', '--service-name', 'web'], {
      HTTP_PROXY: h.aws.url,
    });
    expect(discovered.code, discovered.stderr).toBe(0);
    expect(discovered.json.Instances).toEqual([
      { InstanceId: 'task-1', NamespaceName: 'cli.local', ServiceName: 'web', HealthStatus: 'HEALTHY', Attributes: { AWS_INSTANCE_IPV4: '10.2.0.1', AWS_INSTANCE_PORT: '80' } },
    ]);
  });
});
