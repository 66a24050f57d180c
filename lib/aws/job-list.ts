import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './generation-writes.js';
import type { JobRecord, JobRun } from './job-store.js';
import { queryKindPage, type Page, type PageRequest } from './kind-pages.js';
import { tableSchema } from './table-schema.js';

/**
 * What puts a run in the byKind index, so `GET /jobs` reads the runs of a whole page of jobs in
 * one Query (job-list.ts) rather than one per job: kind `jobRun`, name `<job>#<tick ISO>`. Job
 * names are DNS labels, whose characters all sort after `#`, so one job's runs are contiguous
 * and in tick order.
 */
export const runIndex = {
  kind: 'jobRun',
  separator: '#',
  name: (job: string, tick: number) => `${job}#${new Date(tick).toISOString()}`,
} as const;

/** A listed job with its recorded runs, newest tick first (what its status is computed from). */
export interface ListedJob {
  record: JobRecord;
  runs: JobRun[];
}

/** The character after the separator: `<last>$` bounds every `<last>#…` name from above. */
const afterSeparator = String.fromCharCode(runIndex.separator.charCodeAt(0) + 1);

/**
 * `GET /jobs`, a page at a time: one Query of the byKind index for the specs, and one Query of
 * the same index for the runs of every job on the page, `name BETWEEN '<first>#' AND '<last>$'`
 * (run names are `<job>#<tick>`, see `runIndex`). A page costs 2 Queries, plus one more per MB of
 * runs (about 20 runs of ~300 bytes a job: 100 jobs are ~0.6 MB); never one read per job.
 */
export async function listJobPage(
  db: DynamoDBDocumentClient,
  tableName: string,
  request: PageRequest,
  { toJobRecord, toJobRun }: { toJobRecord: (item: Record<string, unknown>) => JobRecord; toJobRun: (item: Record<string, unknown>) => JobRun },
): Promise<Page<ListedJob>> {
  const specs = await queryKindPage(db, tableName, 'job', request);
  const records = specs.items.map(toJobRecord);
  const runs = new Map<string, JobRun[]>(records.map((r) => [r.name, []]));
  if (records.length > 0) {
    const { name: indexName, partitionKey, sortKey } = tableSchema.kindIndex;
    const items = await queryAll(db, {
      TableName: tableName,
      IndexName: indexName,
      KeyConditionExpression: '#kind = :kind AND #name BETWEEN :first AND :last',
      ExpressionAttributeNames: { '#kind': partitionKey, '#name': sortKey },
      ExpressionAttributeValues: {
        ':kind': runIndex.kind,
        ':first': `${records[0]!.name}${runIndex.separator}`,
        ':last': `${records[records.length - 1]!.name}${afterSeparator}`,
      },
    });
    for (const item of items) {
      const name = String(item[sortKey]);
      runs.get(name.slice(0, name.indexOf(runIndex.separator)))?.push(toJobRun(item));
    }
  }
  const items = records.map((record) => ({ record, runs: runs.get(record.name)!.sort((a, b) => b.tick - a.tick) }));
  return specs.nextAfter === undefined ? { items } : { items, nextAfter: specs.nextAfter };
}
