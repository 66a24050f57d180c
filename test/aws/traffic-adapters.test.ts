import {
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  GetOperationCommand,
  ListInstancesCommand,
  ServiceDiscoveryClient,
  ServiceDiscoveryServiceException,
} from '@aws-sdk/client-servicediscovery';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CloudMapRegistry } from '../../lib/aws/cloud-map-registry.js';
import { ElbTargetGroups } from '../../lib/aws/elb-target-groups.js';
import { TrafficError, TrafficResourceNotFoundError, TrafficResourceUnusableError, TrafficThrottledError } from '../../lib/aws/traffic-errors.js';
import { credentials, type Harness, region, startHarness } from '../local/local-aws-harness.js';

describe('traffic adapters over the wire (local endpoint)', () => {
  let h: Harness;
  let elb: ElasticLoadBalancingV2Client;
  let cloudMap: ServiceDiscoveryClient;
  beforeAll(async () => {
    h = await startHarness();
    elb = new ElasticLoadBalancingV2Client({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
    cloudMap = new ServiceDiscoveryClient({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
  });
  afterAll(async () => {
    elb.destroy();
    cloudMap.destroy();
    await h.close();
  });

  test('ElbTargetGroups registers, reports health, reads the deregistration delay and drains', async () => {
    const created = await elb.send(new CreateTargetGroupCommand({ Name: 'adapter', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip' }));
    const arn = created.TargetGroups?.[0]?.TargetGroupArn as string;
    const groups = new ElbTargetGroups(elb);
    expect(await groups.drainingMs(arn)).toBe(300_000);
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }));
    expect(await groups.drainingMs(arn)).toBe(5_000);
    await groups.register(arn, [{ ip: '10.3.0.1', port: 8080 }, { ip: '10.3.0.2', port: 8080 }]);
    await groups.register(arn, [{ ip: '10.3.0.1', port: 8080 }]);
    await groups.deregister(arn, [{ ip: '10.3.0.2', port: 8080 }, { ip: '10.3.0.9', port: 8080 }]);
    expect(await groups.health(arn)).toEqual([
      { ip: '10.3.0.1', port: 8080, state: 'initial', reason: 'Elb.RegistrationInProgress' },
      { ip: '10.3.0.2', port: 8080, state: 'draining', reason: 'Target.DeregistrationInProgress' },
    ]);
  });

  test('a missing target group is a terminal TrafficResourceNotFoundError; a non-IP target is unusable', async () => {
    const groups = new ElbTargetGroups(elb);
    const missing = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/none/0123456789abcdef';
    const error = await groups.register(missing, [{ ip: '10.3.0.1', port: 80 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrafficResourceNotFoundError);
    expect(error).toMatchObject({ terminal: true, operation: 'RegisterTargets', resource: missing });
    expect((error as Error).cause).toBeInstanceOf(TargetGroupNotFoundException);
    await expect(groups.health(missing)).rejects.toBeInstanceOf(TrafficResourceNotFoundError);

    const created = await elb.send(new CreateTargetGroupCommand({ Name: 'instances', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip' }));
    await expect(groups.register(created.TargetGroups?.[0]?.TargetGroupArn as string, [{ ip: 'not-an-ip', port: 80 }])).rejects.toBeInstanceOf(
      TrafficResourceUnusableError,
    );
  });

  test('CloudMapRegistry registers, lists and deregisters (twice is fine); a missing service is terminal', async () => {
    const { OperationId } = await cloudMap.send(new CreateHttpNamespaceCommand({ Name: 'adapter.local' }));
    const { Operation } = await cloudMap.send(new GetOperationCommand({ OperationId }));
    const { Service } = await cloudMap.send(new CreateServiceCommand({ Name: 'web', NamespaceId: Operation?.Targets?.NAMESPACE }));
    const registry = new CloudMapRegistry(cloudMap);
    const arn = Service?.Arn as string;
    await registry.register(arn, { id: 'task-1', attributes: { AWS_INSTANCE_IPV4: '10.3.0.1', AWS_INSTANCE_PORT: '80' } });
    await registry.register(arn, { id: 'task-2', attributes: { AWS_INSTANCE_IPV4: '10.3.0.2', AWS_INSTANCE_PORT: '80' } });
    expect((await registry.list(arn)).map((i) => i.id)).toEqual(['task-1', 'task-2']);
    await registry.deregister(arn, 'task-1');
    await registry.deregister(arn, 'task-1');
    expect(await registry.list(arn)).toEqual([{ id: 'task-2', attributes: { AWS_INSTANCE_IPV4: '10.3.0.2', AWS_INSTANCE_PORT: '80' } }]);
    expect((await cloudMap.send(new ListInstancesCommand({ ServiceId: Service?.Id }))).Instances).toHaveLength(1);
    const missing = 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-0000000000000000';
    await expect(registry.register(missing, { id: 't', attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })).rejects.toMatchObject({
      name: 'TrafficResourceNotFoundError',
      terminal: true,
    });
    await expect(registry.deregister(missing, 't')).rejects.toBeInstanceOf(TrafficResourceNotFoundError);
  });
});

describe('traffic error mapping', () => {
  const elbError = (name: string) =>
    new ElasticLoadBalancingV2ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message: `${name} happened` });

  test.each([
    ['Throttling', TrafficThrottledError, false],
    ['TargetGroupNotFoundException', TrafficResourceNotFoundError, true],
    ['InvalidTargetException', TrafficResourceUnusableError, true],
    ['InternalFailure', TrafficError, false],
  ])('ELB %s → %s (terminal %s)', async (name, type, terminal) => {
    const mock = mockClient(ElasticLoadBalancingV2Client);
    mock.on(RegisterTargetsCommand).rejects(elbError(name));
    const error = await new ElbTargetGroups(new ElasticLoadBalancingV2Client({ region })).register('arn:tg', [{ ip: '10.0.0.1', port: 80 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ terminal, operation: 'RegisterTargets', resource: 'arn:tg' });
    mock.restore();
  });

  test.each([
    ['RequestLimitExceeded', TrafficThrottledError],
    ['ServiceNotFound', TrafficResourceNotFoundError],
    ['InvalidInput', TrafficResourceUnusableError],
  ])('Cloud Map %s → %s', async (name, type) => {
    const mock = mockClient(ServiceDiscoveryClient);
    mock.on(ListInstancesCommand).rejects(new ServiceDiscoveryServiceException({ name, $fault: 'client', $metadata: {}, message: name }));
    await expect(new CloudMapRegistry(new ServiceDiscoveryClient({ region })).list('arn:aws:servicediscovery:us-east-1:1:service/srv-x')).rejects.toBeInstanceOf(type);
    mock.restore();
  });
});
