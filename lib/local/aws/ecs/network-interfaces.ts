import { randomUUID } from 'node:crypto';
import { randomHex } from '../random-ids.js';
import type { TaskRecord, TaskStatus } from './task-record.js';

/** The elastic network interface Fargate gives an `awsvpc` task, fixed when the task is created. */
export interface NetworkInterfaceRecord {
  attachmentId: string;
  subnetId: string;
  networkInterfaceId: string;
  macAddress: string;
  privateIPv4Address: string;
}

/**
 * Private IPv4 addresses of the local VPC (10.0.0.0/16). An address belongs to one task from
 * RunTask until the task is STOPPED, so two live tasks never share one (load balancers register
 * targets by it). Like a subnet, the first four addresses of each /24 and its last are not used.
 */
export class PrivateAddressPool {
  private readonly inUse = new Set<string>();
  private next = 0;

  allocate(): string {
    for (let tried = 0; tried < 65536; tried++) {
      const n = this.next;
      this.next = (this.next + 1) % 65536;
      const host = n & 255;
      if (host < 4 || host === 255) continue;
      const address = `10.0.${n >> 8}.${host}`;
      if (this.inUse.has(address)) continue;
      this.inUse.add(address);
      return address;
    }
    throw new Error('The local VPC has no free private IPv4 address.');
  }

  release(address: string): void {
    this.inUse.delete(address);
  }
}

export function createNetworkInterface(subnetId: string, privateIPv4Address: string): NetworkInterfaceRecord {
  const mac = randomHex(5).match(/../g)!.join(':');
  return {
    attachmentId: randomUUID(),
    subnetId,
    networkInterfaceId: `eni-${randomHex(9).slice(0, 17)}`,
    macAddress: `0a:${mac}`,
    privateIPv4Address,
  };
}

/** The attachment's status follows the task's, as Fargate reports it. */
function attachmentStatus(status: TaskStatus): string {
  switch (status) {
    case 'PROVISIONING':
      return 'PRECREATED';
    case 'DEPROVISIONING':
      return 'DETACHING';
    case 'STOPPED':
      return 'DELETED';
    default:
      return 'ATTACHED';
  }
}

/** `attachments[]` of a task: while provisioning, only the subnet is known. */
export function attachmentsView(task: TaskRecord, region: string): Record<string, unknown>[] {
  const eni = task.networkInterface;
  if (!eni) return [];
  const status = attachmentStatus(task.lastStatus);
  const details =
    status === 'PRECREATED'
      ? [{ name: 'subnetId', value: eni.subnetId }]
      : [
          { name: 'subnetId', value: eni.subnetId },
          { name: 'networkInterfaceId', value: eni.networkInterfaceId },
          { name: 'macAddress', value: eni.macAddress },
          { name: 'privateDnsName', value: privateDnsName(eni.privateIPv4Address, region) },
          { name: 'privateIPv4Address', value: eni.privateIPv4Address },
        ];
  return [{ id: eni.attachmentId, type: 'ElasticNetworkInterface', status, details }];
}

/** `containers[].networkInterfaces` of a task: the task's ENI once it is attached. */
export function containerNetworkInterfacesView(task: TaskRecord): Record<string, unknown>[] {
  const eni = task.networkInterface;
  if (!eni || task.lastStatus === 'PROVISIONING') return [];
  return [{ attachmentId: eni.attachmentId, privateIpv4Address: eni.privateIPv4Address }];
}

/** "10.0.1.23" → "ip-10-0-1-23.ec2.internal" in us-east-1, "ip-10-0-1-23.eu-west-1.compute.internal" elsewhere. */
function privateDnsName(address: string, region: string): string {
  const domain = region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
  return `ip-${address.replaceAll('.', '-')}.${domain}`;
}
