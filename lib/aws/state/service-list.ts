import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetItems, keyString } from '../batch-reads.js';
import { queryKindPage, type Page, type PageRequest } from '../kind-pages.js';
import { itemKey, serviceKeys } from './keys.js';
import { toServiceRecord, toStatusRecord, type ServiceRecord, type StatusRecord } from './records.js';

/** A listed service: its spec item and, once a reconcile wrote one, its status item. */
export interface ListedService {
  record: ServiceRecord;
  status?: StatusRecord;
}

/**
 * `GET /services`, a page at a time: one Query of the byKind index for the specs and the
 * statuses in BatchGetItem calls of 100 keys, so a page of n services costs
 * 1 + ceil(n / 100) calls, never one read per service. Worked example: 250 services at the
 * default limit of 100 are 3 pages of 1 Query + 1 BatchGetItem each, 6 calls; at limit 500,
 * 1 Query + 3 BatchGetItem calls, 4.
 */
export async function listServicePage(db: DynamoDBDocumentClient, tableName: string, request: PageRequest): Promise<Page<ListedService>> {
  const specs = await queryKindPage(db, tableName, 'service', request);
  const records = specs.items.map(toServiceRecord);
  const statuses = await batchGetItems(db, tableName, records.map((r) => itemKey(serviceKeys.partition(r.name), serviceKeys.status)));
  const byKey = new Map(statuses.map((item) => [keyString(item), toStatusRecord(item)]));
  const items = records.map((record) => {
    const status = byKey.get(keyString(itemKey(serviceKeys.partition(record.name), serviceKeys.status)));
    return status ? { record, status } : { record };
  });
  return specs.nextAfter === undefined ? { items } : { items, nextAfter: specs.nextAfter };
}
