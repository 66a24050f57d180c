import { epochSeconds } from '../input.js';

export type NamespaceType = 'HTTP' | 'DNS_PRIVATE';

export interface NamespaceRecord {
  id: string;
  arn: string;
  name: string;
  type: NamespaceType;
  description?: string;
  vpc?: string;
  createdAt: number;
  creatorRequestId?: string;
}

export interface InstanceRecord {
  id: string;
  creatorRequestId?: string;
  attributes: Record<string, string>;
}

export interface ServiceRecord {
  id: string;
  arn: string;
  name: string;
  namespaceId: string;
  description?: string;
  dnsConfig?: { RoutingPolicy?: string; DnsRecords: { Type: string; TTL: number }[] };
  healthCheckCustomConfig?: { FailureThreshold?: number };
  createdAt: number;
  creatorRequestId?: string;
}

export interface OperationRecord {
  id: string;
  type: 'CREATE_NAMESPACE' | 'REGISTER_INSTANCE' | 'DEREGISTER_INSTANCE';
  createdAt: number;
  targets: Partial<Record<'NAMESPACE' | 'SERVICE' | 'INSTANCE', string>>;
}

export function namespaceView(namespace: NamespaceRecord, serviceCount: number): Record<string, unknown> {
  return {
    Id: namespace.id,
    Arn: namespace.arn,
    Name: namespace.name,
    Type: namespace.type,
    Description: namespace.description,
    ServiceCount: serviceCount,
    Properties: {
      DnsProperties: namespace.type === 'HTTP' ? {} : { HostedZoneId: `Z${namespace.id.slice(3).toUpperCase()}`, SOA: { TTL: 15 } },
      HttpProperties: { HttpName: namespace.name },
    },
    CreateDate: epochSeconds(namespace.createdAt),
    CreatorRequestId: namespace.creatorRequestId,
  };
}

export function serviceView(service: ServiceRecord, namespace: NamespaceRecord | undefined, instanceCount: number): Record<string, unknown> {
  return {
    Id: service.id,
    Arn: service.arn,
    Name: service.name,
    NamespaceId: service.namespaceId,
    Description: service.description,
    InstanceCount: instanceCount,
    DnsConfig: service.dnsConfig,
    // A service in a DNS namespace answers DNS queries and DiscoverInstances; one in an HTTP namespace only the latter.
    Type: namespace?.type === 'HTTP' || service.dnsConfig === undefined ? 'HTTP' : 'DNS_HTTP',
    HealthCheckCustomConfig: service.healthCheckCustomConfig,
    CreateDate: epochSeconds(service.createdAt),
    CreatorRequestId: service.creatorRequestId,
  };
}

export function operationView(operation: OperationRecord): Record<string, unknown> {
  // Local operations complete at once; a caller polling GetOperation sees SUCCESS on the first try.
  return {
    Id: operation.id,
    Type: operation.type,
    Status: 'SUCCESS',
    CreateDate: epochSeconds(operation.createdAt),
    UpdateDate: epochSeconds(operation.createdAt),
    Targets: operation.targets,
  };
}
