/** The local endpoint's call counts (`GET/DELETE /_corral/stats`), and the sums the targets use. */
export type ByOperation = Record<string, number>;

export async function readStats(awsUrl: string): Promise<ByOperation> {
  return ((await (await fetch(`${awsUrl}/_corral/stats`)).json()) as { byOperation: ByOperation }).byOperation;
}

export async function resetStats(awsUrl: string): Promise<void> {
  await fetch(`${awsUrl}/_corral/stats`, { method: 'DELETE' });
}

const sum = (calls: ByOperation, keep: (operation: string) => boolean) =>
  Object.entries(calls).filter(([operation]) => keep(operation)).reduce((total, [, n]) => total + n, 0);

/** ECS ListTasks + DescribeTasks: the task read bucket. */
export const ecsListDescribe = (calls: ByOperation) => sum(calls, (op) => op === 'ecs:ListTasks' || op === 'ecs:DescribeTasks');
export const dynamoCalls = (calls: ByOperation) => sum(calls, (op) => op.startsWith('dynamodb:'));
const writeOperations = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'].map((op) => `dynamodb:${op}`);
export const dynamoWrites = (calls: ByOperation) => sum(calls, (op) => writeOperations.includes(op));

/** `a - b` per operation: the calls made between two readings. */
export function callsBetween(after: ByOperation, before: ByOperation): ByOperation {
  return Object.fromEntries(Object.entries(after).map(([op, n]) => [op, n - (before[op] ?? 0)]).filter(([, n]) => (n as number) > 0));
}
