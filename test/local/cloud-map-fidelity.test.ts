import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  GetInstanceCommand,
  GetOperationCommand,
  InstanceNotFound,
  ListInstancesCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
  ServiceNotFound,
} from '@aws-sdk/client-servicediscovery';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { credentials, type Harness, region, startHarness } from './local-aws-harness.js';

let h: Harness;
let cloudMap: ServiceDiscoveryClient;
beforeAll(async () => {
  h = await startHarness();
  // DiscoverInstances goes to the `data-` host prefix; against a local endpoint the prefix is turned off.
  cloudMap = new ServiceDiscoveryClient({ endpoint: h.aws.url, region, credentials, maxAttempts: 1, disableHostPrefix: true });
});
afterAll(async () => {
  cloudMap.destroy();
  await h.close();
});

async function namespace(name: string, dns = false): Promise<string> {
  const { OperationId } = dns
    ? await cloudMap.send(new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: 'vpc-local' }))
    : await cloudMap.send(new CreateHttpNamespaceCommand({ Name: name }));
  const { Operation } = await cloudMap.send(new GetOperationCommand({ OperationId }));
  expect(Operation).toMatchObject({ Status: 'SUCCESS', Type: 'CREATE_NAMESPACE', Targets: { NAMESPACE: expect.stringMatching(/^ns-/) } });
  return Operation?.Targets?.NAMESPACE as string;
}

describe('Cloud Map over JSON 1.1 (SDK v3)', () => {
  test('register, list, get, discover and deregister instances of an HTTP namespace service', async () => {
    const namespaceId = await namespace('shop.local');
    const { Service } = await cloudMap.send(new CreateServiceCommand({ Name: 'web', NamespaceId: namespaceId }));
    expect(Service).toMatchObject({
      Id: expect.stringMatching(/^srv-/),
      Arn: `arn:aws:servicediscovery:us-east-1:000000000000:service/${Service?.Id}`,
      Name: 'web',
      NamespaceId: namespaceId,
      Type: 'HTTP',
    });
    const serviceId = Service?.Id as string;
    const registered = await cloudMap.send(
      new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: 'task-a', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.7', AWS_INSTANCE_PORT: '8080' } }),
    );
    expect((await cloudMap.send(new GetOperationCommand({ OperationId: registered.OperationId }))).Operation).toMatchObject({
      Type: 'REGISTER_INSTANCE',
      Status: 'SUCCESS',
      Targets: { SERVICE: serviceId, INSTANCE: 'task-a' },
    });
    await cloudMap.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: 'task-b', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.8', AWS_INSTANCE_PORT: '8080' } }));
    expect((await cloudMap.send(new ListInstancesCommand({ ServiceId: serviceId }))).Instances).toEqual([
      { Id: 'task-a', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.7', AWS_INSTANCE_PORT: '8080' } },
      { Id: 'task-b', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.8', AWS_INSTANCE_PORT: '8080' } },
    ]);
    expect((await cloudMap.send(new GetInstanceCommand({ ServiceId: serviceId, InstanceId: 'task-b' }))).Instance?.Attributes?.AWS_INSTANCE_IPV4).toBe('10.0.0.8');
    const discovered = await cloudMap.send(new DiscoverInstancesCommand({ NamespaceName: 'shop.local', ServiceName: 'web' }));
    expect(discovered.Instances?.map((i) => [i.InstanceId, i.NamespaceName, i.ServiceName, i.HealthStatus])).toEqual([
      ['task-a', 'shop.local', 'web', 'HEALTHY'],
      ['task-b', 'shop.local', 'web', 'HEALTHY'],
    ]);
    const filtered = await cloudMap.send(
      new DiscoverInstancesCommand({ NamespaceName: 'shop.local', ServiceName: 'web', QueryParameters: { AWS_INSTANCE_IPV4: '10.0.0.8' } }),
    );
    expect(filtered.Instances?.map((i) => i.InstanceId)).toEqual(['task-b']);

    await cloudMap.send(new DeregisterInstanceCommand({ ServiceId: serviceId, InstanceId: 'task-a' }));
    expect((await cloudMap.send(new ListInstancesCommand({ ServiceId: serviceId }))).Instances?.map((i) => i.Id)).toEqual(['task-b']);
    await expect(cloudMap.send(new DeregisterInstanceCommand({ ServiceId: serviceId, InstanceId: 'task-a' }))).rejects.toBeInstanceOf(InstanceNotFound);
  });

  test('a DNS service with an A record needs AWS_INSTANCE_IPV4; DnsConfig is refused in an HTTP namespace', async () => {
    const dnsNamespace = await namespace('internal.local', true);
    const { Service } = await cloudMap.send(
      new CreateServiceCommand({ Name: 'api', NamespaceId: dnsNamespace, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] } }),
    );
    expect(Service).toMatchObject({ Type: 'DNS_HTTP', DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }] } });
    await expect(
      cloudMap.send(new RegisterInstanceCommand({ ServiceId: Service?.Id, InstanceId: 'task-c', Attributes: { AWS_INSTANCE_PORT: '80' } })),
    ).rejects.toMatchObject({ name: 'InvalidInput' });
    expect((await cloudMap.send(new ListInstancesCommand({ ServiceId: Service?.Id }))).Instances).toEqual([]);

    const httpNamespace = await namespace('plain.local');
    await expect(
      cloudMap.send(new CreateServiceCommand({ Name: 'api', NamespaceId: httpNamespace, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] } })),
    ).rejects.toMatchObject({ name: 'InvalidInput' });
  });

  test('unknown services, namespaces and operations answer their own exceptions', async () => {
    await expect(cloudMap.send(new ListInstancesCommand({ ServiceId: 'srv-0000000000000000' }))).rejects.toBeInstanceOf(ServiceNotFound);
    await expect(
      cloudMap.send(new RegisterInstanceCommand({ ServiceId: 'srv-0000000000000000', InstanceId: 'x', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })),
    ).rejects.toBeInstanceOf(ServiceNotFound);
    await expect(cloudMap.send(new DiscoverInstancesCommand({ NamespaceName: 'none.local', ServiceName: 'web' }))).rejects.toMatchObject({
      name: 'NamespaceNotFound',
    });
    await expect(cloudMap.send(new GetOperationCommand({ OperationId: 'nope' }))).rejects.toMatchObject({ name: 'OperationNotFound' });
    await expect(cloudMap.send(new CreateServiceCommand({ Name: 'web', NamespaceId: 'ns-0000000000000000' }))).rejects.toMatchObject({
      name: 'NamespaceNotFound',
    });
  });

  test('instance ids and attribute keys are checked against the model; __proto__ is stored as data', async () => {
    const namespaceId = await namespace('checks.local');
    const { Service } = await cloudMap.send(new CreateServiceCommand({ Name: 'web', NamespaceId: namespaceId }));
    await expect(
      cloudMap.send(new RegisterInstanceCommand({ ServiceId: Service?.Id, InstanceId: 'has space', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })),
    ).rejects.toMatchObject({ name: 'InvalidInput' });
    const attributes = JSON.parse('{"__proto__": "x", "AWS_INSTANCE_IPV4": "10.0.0.1"}') as Record<string, string>;
    await cloudMap.send(new RegisterInstanceCommand({ ServiceId: Service?.Id, InstanceId: 'odd', Attributes: attributes }));
    const { Instance } = await cloudMap.send(new GetInstanceCommand({ ServiceId: Service?.Id, InstanceId: 'odd' }));
    expect(Object.entries(Instance?.Attributes ?? {})).toEqual([['__proto__', 'x'], ['AWS_INSTANCE_IPV4', '10.0.0.1']]);
  });
});
