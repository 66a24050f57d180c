import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../../clock.js';
import { AwsError } from '../errors.js';
import { Input } from '../input.js';
import { decodeToken, page } from '../paging.js';
import { StateFile } from '../state-file.js';
import {
  type InstanceRecord,
  type NamespaceRecord,
  type NamespaceType,
  namespaceView,
  type OperationRecord,
  operationView,
  type ServiceRecord,
  serviceView,
} from './cloud-map-records.js';

export interface CloudMapEmulatorOptions {
  clock: Clock;
  accountId: string;
  region: string;
  /** Where namespaces and services are kept across restarts (instances are not); undefined keeps them in memory. */
  stateFile?: string;
}

interface CloudMapState {
  namespaces: NamespaceRecord[];
  services: ServiceRecord[];
}

const persistedChanges = new Set(['CreateHttpNamespace', 'CreatePrivateDnsNamespace', 'CreateService']);

/** Cloud Map's model patterns and quotas. */
const instanceIdPattern = /^[0-9a-zA-Z_/:.@-]+$/;
const serviceNamePattern = /^(?:(?=.{1,127}$)(?:[a-zA-Z0-9_][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9_][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*|\.)$/;
const attributeKeyPattern = /^[a-zA-Z0-9!-~]+$/;
const attributeValuePattern = /^(?:[a-zA-Z0-9!-~][ \ta-zA-Z0-9!-~]*)?[a-zA-Z0-9!-~]?$/;
const maxAttributes = 30;

const serviceNotFound = (id: string): AwsError => new AwsError('ServiceNotFound', `Service not found: ${id}`);

/**
 * AWS Cloud Map (`Route53AutoNaming_v20170314`): HTTP and private DNS namespaces, services, and
 * instances registered and deregistered through operations that complete at once.
 * DiscoverInstances is the data-plane call the SDK sends to the `data-` host prefix; the endpoint
 * answers it on any host name.
 */
export class CloudMapEmulator {
  private readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly services = new Map<string, ServiceRecord>();
  /** Per service id, in registration order. */
  private readonly instances = new Map<string, Map<string, InstanceRecord>>();
  private readonly operations = new Map<string, OperationRecord>();
  private readonly state: StateFile<CloudMapState>;
  private readonly arnPrefix: string;
  private revision = 0;

  constructor(private readonly options: CloudMapEmulatorOptions) {
    this.arnPrefix = `arn:aws:servicediscovery:${options.region}:${options.accountId}`;
    this.state = new StateFile(options.stateFile);
    const saved = this.state.load();
    for (const namespace of saved?.namespaces ?? []) this.namespaces.set(namespace.id, namespace);
    for (const service of saved?.services ?? []) {
      this.services.set(service.id, service);
      this.instances.set(service.id, new Map());
    }
  }

  handle(operation: string, body: unknown): unknown {
    const result = this.dispatch(operation, Input.of(body, 'InvalidInput'));
    if (persistedChanges.has(operation)) this.state.save({ namespaces: [...this.namespaces.values()], services: [...this.services.values()] });
    return result;
  }

  private dispatch(operation: string, input: Input): unknown {
    switch (operation) {
      case 'CreateHttpNamespace':
        return this.createNamespace(input, 'HTTP');
      case 'CreatePrivateDnsNamespace':
        return this.createNamespace(input, 'DNS_PRIVATE');
      case 'GetNamespace': {
        const namespace = this.namespace(input.string('Id', { required: true, max: 64 }));
        return { Namespace: namespaceView(namespace, this.servicesIn(namespace.id).length) };
      }
      case 'ListNamespaces':
        return this.list(input, [...this.namespaces.values()], 'Namespaces', (n) => namespaceView(n, this.servicesIn(n.id).length));
      case 'GetOperation': {
        const found = this.operations.get(input.string('OperationId', { required: true, max: 64 }));
        if (!found) throw new AwsError('OperationNotFound', 'No operation found with the specified ID');
        return { Operation: operationView(found) };
      }
      case 'CreateService':
        return { Service: this.serviceView(this.createService(input)) };
      case 'GetService':
        return { Service: this.serviceView(this.service(input.string('Id', { required: true, max: 64 }))) };
      case 'ListServices':
        return this.list(input, [...this.services.values()], 'Services', (s) => this.serviceView(s));
      case 'RegisterInstance':
        return this.registerInstance(input);
      case 'DeregisterInstance': {
        const service = this.service(input.string('ServiceId', { required: true, max: 64 }));
        const id = input.string('InstanceId', { required: true, max: 64 });
        const instances = this.instances.get(service.id) as Map<string, InstanceRecord>;
        if (!instances.delete(id)) throw new AwsError('InstanceNotFound', `Instance not found: ${id}`);
        this.revision++;
        return { OperationId: this.recordOperation('DEREGISTER_INSTANCE', { SERVICE: service.id, INSTANCE: id }) };
      }
      case 'GetInstance': {
        const service = this.service(input.string('ServiceId', { required: true, max: 64 }));
        const id = input.string('InstanceId', { required: true, max: 64 });
        const instance = this.instances.get(service.id)?.get(id);
        if (!instance) throw new AwsError('InstanceNotFound', `Instance not found: ${id}`);
        return { Instance: { Id: instance.id, CreatorRequestId: instance.creatorRequestId, Attributes: instance.attributes } };
      }
      case 'ListInstances': {
        const service = this.service(input.string('ServiceId', { required: true, max: 64 }));
        const instances = [...(this.instances.get(service.id) as Map<string, InstanceRecord>).values()];
        return this.list(input, instances, 'Instances', (i) => ({ Id: i.id, Attributes: i.attributes }));
      }
      case 'DiscoverInstances':
        return this.discoverInstances(input);
      default:
        throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported by the local Cloud Map emulator.`);
    }
  }

  private createNamespace(input: Input, type: NamespaceType): unknown {
    const name = input.string('Name', { required: true, min: 1, max: type === 'HTTP' ? 1024 : 253, pattern: /^[!-~]+$/ });
    const vpc = type === 'DNS_PRIVATE' ? input.string('Vpc', { required: true, max: 64 }) : undefined;
    const existing = [...this.namespaces.values()].find((n) => n.name === name);
    if (existing) throw new AwsError('NamespaceAlreadyExists', `Namespace ${name} already exists (${existing.id})`);
    const id = `ns-${randomBytes(8).toString('hex')}`;
    this.namespaces.set(id, {
      id,
      arn: `${this.arnPrefix}:namespace/${id}`,
      name,
      type,
      description: input.string('Description', { max: 1024 }),
      vpc,
      createdAt: this.options.clock.now(),
      creatorRequestId: input.string('CreatorRequestId', { max: 64 }),
    });
    return { OperationId: this.recordOperation('CREATE_NAMESPACE', { NAMESPACE: id }) };
  }

  private createService(input: Input): ServiceRecord {
    const name = input.string('Name', { required: true, pattern: serviceNamePattern });
    const dnsConfig = input.object('DnsConfig') as ServiceRecord['dnsConfig'] | undefined;
    const namespaceId = input.string('NamespaceId', { max: 64 }) ?? (dnsConfig as { NamespaceId?: string } | undefined)?.NamespaceId;
    if (namespaceId === undefined) throw input.fail('NamespaceId is required');
    const namespace = this.namespaces.get(namespaceId);
    if (!namespace) throw new AwsError('NamespaceNotFound', `Namespace not found: ${namespaceId}`);
    if (dnsConfig !== undefined) {
      if (namespace.type === 'HTTP') throw input.fail('DnsConfig can only be specified for a service in a DNS namespace');
      if (!Array.isArray(dnsConfig.DnsRecords) || dnsConfig.DnsRecords.length === 0) throw input.fail('DnsConfig.DnsRecords must not be empty');
    }
    const existing = this.servicesIn(namespaceId).find((s) => s.name === name);
    if (existing) throw new AwsError('ServiceAlreadyExists', `Service already exists: ${existing.id}`);
    const id = `srv-${randomBytes(8).toString('hex')}`;
    const service: ServiceRecord = {
      id,
      arn: `${this.arnPrefix}:service/${id}`,
      name,
      namespaceId,
      description: input.string('Description', { max: 1024 }),
      dnsConfig: dnsConfig && { RoutingPolicy: (dnsConfig.RoutingPolicy as string | undefined) ?? 'MULTIVALUE', DnsRecords: dnsConfig.DnsRecords },
      healthCheckCustomConfig: input.object('HealthCheckCustomConfig') as ServiceRecord['healthCheckCustomConfig'],
      createdAt: this.options.clock.now(),
      creatorRequestId: input.string('CreatorRequestId', { max: 64 }),
    };
    this.services.set(id, service);
    this.instances.set(id, new Map());
    return service;
  }

  private registerInstance(input: Input): unknown {
    const service = this.service(input.string('ServiceId', { required: true, max: 64 }));
    const id = input.string('InstanceId', { required: true, max: 64, pattern: instanceIdPattern });
    const attributes = readAttributes(input, 'Attributes', true) as Record<string, string>;
    const records = service.dnsConfig?.DnsRecords.map((r) => r.Type) ?? [];
    if (records.includes('A') && attributes.AWS_INSTANCE_IPV4 === undefined) {
      throw input.fail('AWS_INSTANCE_IPV4 is required when the service has an A record');
    }
    if (records.includes('SRV') && attributes.AWS_INSTANCE_PORT === undefined) {
      throw input.fail('AWS_INSTANCE_PORT is required when the service has an SRV record');
    }
    const instances = this.instances.get(service.id) as Map<string, InstanceRecord>;
    instances.set(id, { id, creatorRequestId: input.string('CreatorRequestId', { max: 64 }), attributes });
    this.revision++;
    return { OperationId: this.recordOperation('REGISTER_INSTANCE', { SERVICE: service.id, INSTANCE: id }) };
  }

  private discoverInstances(input: Input): unknown {
    const namespaceName = input.string('NamespaceName', { required: true, max: 1024 });
    const serviceName = input.string('ServiceName', { required: true });
    const maxResults = input.integer('MaxResults', { min: 1, max: 1000, fallback: 100 });
    const health = input.string('HealthStatus') ?? 'HEALTHY';
    if (!['HEALTHY', 'UNHEALTHY', 'ALL', 'HEALTHY_OR_ELSE_ALL'].includes(health)) throw input.fail(`HealthStatus ${health} is not valid`);
    const query = readAttributes(input, 'QueryParameters', false) ?? {};
    const optional = readAttributes(input, 'OptionalParameters', false) ?? {};
    const namespace = [...this.namespaces.values()].find((n) => n.name === namespaceName);
    if (!namespace) throw new AwsError('NamespaceNotFound', `Namespace not found: ${namespaceName}`);
    const service = this.servicesIn(namespace.id).find((s) => s.name === serviceName);
    if (!service) throw serviceNotFound(serviceName);
    const matches = (instance: InstanceRecord, wanted: Record<string, string>) =>
      Object.entries(wanted).every(([key, value]) => instance.attributes[key] === value);
    // Local instances have no health checks of their own: each counts as HEALTHY, so UNHEALTHY finds none.
    let found = health === 'UNHEALTHY' ? [] : [...(this.instances.get(service.id) as Map<string, InstanceRecord>).values()].filter((i) => matches(i, query));
    const preferred = found.filter((i) => matches(i, optional));
    if (preferred.length > 0) found = preferred;
    return {
      Instances: found.slice(0, maxResults).map((i) => ({
        InstanceId: i.id,
        NamespaceName: namespace.name,
        ServiceName: service.name,
        HealthStatus: 'HEALTHY',
        Attributes: i.attributes,
      })),
      InstancesRevision: this.revision,
    };
  }

  private list<T>(input: Input, items: T[], field: string, view: (item: T) => unknown): unknown {
    const maxResults = input.integer('MaxResults', { min: 1, max: 100, fallback: 100 });
    const filterKey = `${field}|${JSON.stringify(input.raw('ServiceId') ?? null)}`;
    const after = decodeToken(input.string('NextToken', { max: 4096 }), filterKey, (message) => input.fail(message));
    const result = page(items, (item) => items.indexOf(item), after, maxResults, filterKey);
    return { [field]: result.items.map(view), NextToken: result.nextToken };
  }

  private serviceView(service: ServiceRecord): unknown {
    return serviceView(service, this.namespaces.get(service.namespaceId), this.instances.get(service.id)?.size ?? 0);
  }

  private servicesIn(namespaceId: string): ServiceRecord[] {
    return [...this.services.values()].filter((s) => s.namespaceId === namespaceId);
  }

  private namespace(id: string): NamespaceRecord {
    const namespace = this.namespaces.get(id);
    if (!namespace) throw new AwsError('NamespaceNotFound', `Namespace not found: ${id}`);
    return namespace;
  }

  private service(id: string): ServiceRecord {
    const service = this.services.get(id);
    if (!service) throw serviceNotFound(id);
    return service;
  }

  private recordOperation(type: OperationRecord['type'], targets: OperationRecord['targets']): string {
    const id = randomUUID().replace(/-/g, '').slice(0, 32);
    this.operations.set(id, { id, type, createdAt: this.options.clock.now(), targets });
    return id;
  }
}

function readAttributes(input: Input, field: string, required: boolean): Record<string, string> | undefined {
  const value = input.object(field);
  if (value === undefined) {
    if (required) throw input.fail(`${field} is required`);
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length > maxAttributes) throw input.fail(`${field} can have at most ${maxAttributes} entries`);
  // A null-prototype copy, so a key such as `__proto__` is stored as data.
  const attributes: Record<string, string> = Object.create(null);
  for (const [key, text] of entries) {
    if (key.length > 255 || !attributeKeyPattern.test(key)) throw input.fail(`${field} key '${key}' is not valid`);
    if (typeof text !== 'string' || text.length > 1024 || !attributeValuePattern.test(text)) throw input.fail(`${field}.${key} must be a string of printable characters`);
    attributes[key] = text;
  }
  return attributes;
}
