import { tableSchema } from '../table-schema.js';

/**
 * The key layout of a service's items, in one place. One partition per service; sort keys
 * `event#…` < `revision#…` < `spec` < `status`, so one Query from `revision#` reads a
 * service's revisions, spec and status — everything a reconcile needs — and skips its events.
 */
export const serviceKeys = {
  partition: (name: string) => `service#${name}`,
  /** The service a partition key names, or undefined for another kind of item. */
  serviceOf: (partition: string | undefined) => (partition?.startsWith('service#') ? partition.slice('service#'.length) : undefined),
  spec: 'spec',
  status: 'status',
  revisionPrefix: 'revision#',
  revision: (revision: number) => `revision#${String(revision).padStart(10, '0')}`,
  eventPrefix: 'event#',
  event: (time: string, index: number, id: string) => `event#${time}#${String(index).padStart(4, '0')}#${id}`,
} as const;

export function itemKey(partition: string, sort: string): Record<string, string> {
  return { [tableSchema.partitionKey]: partition, [tableSchema.sortKey]: sort };
}
