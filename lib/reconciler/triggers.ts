import type { DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent, ScheduledEvent, SQSEvent } from 'aws-lambda';
import type { RequeueMessage } from '../aws/requeue.js';
import { serviceOfStartedBy } from '../core/task-definition.js';
import { serviceKeys } from '../aws/state/keys.js';

/**
 * How the task-event queue hands ECS task state changes to the reconciler (lib/infra and local
 * mode alike): up to 1,000 at once, gathered for at most a second. A RunTask of three tasks makes
 * about nine events within moments; with the window they arrive in one invocation, which
 * reconciles their service once. A second is well inside "a dying task leaves its target group
 * within one event delivery".
 *
 * Why 1,000 and not 100: when many services roll at once, a full batch fills before its window
 * ends, and each of a service's events can land in a different batch. With 100 services × 10
 * replicas rolling in local mode, batches of 100 named each service about 25 times a rollout;
 * concurrent invocations contended for its lease and the rollout cost 78 DynamoDB calls a
 * service, against 31 with batches of 1,000 (9 passes a service either way when it is alone).
 * Lambda caps a batch at 6 MB: 1,000 events of about 3 KB (an ECS task state change with its
 * SQS envelope) stay under it, and a larger burst is only cut into more invocations.
 */
export const taskEventBatching = { batchSize: 1_000, maxBatchingWindowMs: 1_000 } as const;

/** The events the reconciler Lambda is subscribed to. */
export type ReconcilerEvent =
  | DynamoDBStreamEvent
  | SQSEvent
  | EventBridgeEvent<'ECS Task State Change', { startedBy?: string }>
  | ScheduledEvent;

/**
 * Whether a table stream record is a service's desired state: the only records that trigger the
 * reconciler (the stack's event source mapping filters the same way; lib/infra).
 */
export function isServiceSpecRecord(record: DynamoDBRecord): boolean {
  return serviceKeys.serviceOf(record.dynamodb?.Keys?.pk?.S) !== undefined && record.dynamodb?.Keys?.sk?.S === serviceKeys.spec;
}

/**
 * The services an event names. Level-triggered: the event only says *which* service to look
 * at. Stream records count only for spec items, so the reconciler's own status and event
 * writes never trigger it again.
 */
export function servicesNamedBy(event: ReconcilerEvent): string[] {
  const names = new Set<string>();
  if ('Records' in event) {
    for (const record of event.Records) {
      if ('dynamodb' in record) {
        if (isServiceSpecRecord(record)) names.add(serviceKeys.serviceOf(record.dynamodb!.Keys!.pk!.S)!);
      } else if ('body' in record) {
        const service = messageOf(record.body).service;
        if (service) names.add(service);
      }
    }
  } else if (event['detail-type'] === 'ECS Task State Change') {
    const service = serviceOfStartedBy((event.detail as { startedBy?: string }).startedBy);
    if (service) names.add(service);
  }
  return [...names];
}

/**
 * The task ARNs the event's ECS task state changes name, by service: a reconcile describes them
 * along with the tasks it already knows, so a task it never recorded (started by a reconcile that
 * died before its commit) is seen from its first event on.
 */
export function taskArnsNamedBy(event: ReconcilerEvent): Map<string, string[]> {
  const byService = new Map<string, string[]>();
  const add = ({ service, taskArn }: QueueMessage) => {
    if (!service || !taskArn) return;
    const arns = byService.get(service) ?? [];
    if (!arns.includes(taskArn)) arns.push(taskArn);
    byService.set(service, arns);
  };
  if ('Records' in event) {
    for (const record of event.Records) if ('body' in record) add(messageOf(record.body));
  } else if (event['detail-type'] === 'ECS Task State Change') {
    add(taskChangeOf(event.detail));
  }
  return byService;
}

/** What a queue message names: the service, and for a task state change its task. */
interface QueueMessage {
  service?: string;
  taskArn?: string;
}

type TaskChangeDetail = { startedBy?: unknown; taskArn?: unknown } | undefined;

function taskChangeOf(detail: TaskChangeDetail): QueueMessage {
  const service = typeof detail?.startedBy === 'string' ? serviceOfStartedBy(detail.startedBy) : undefined;
  return { ...(service ? { service } : {}), ...(typeof detail?.taskArn === 'string' ? { taskArn: detail.taskArn } : {}) };
}

/**
 * A queue message, parsed once (a batch holds up to 1,000): a task state change from the
 * task-event queue names its service in `startedBy`, a requeue names it outright.
 */
function messageOf(body: string): QueueMessage {
  let parsed: ({ 'detail-type'?: unknown; detail?: TaskChangeDetail } & Partial<RequeueMessage>) | null;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return {};
  }
  if (parsed?.['detail-type'] === 'ECS Task State Change') return taskChangeOf(parsed.detail);
  return typeof parsed?.service === 'string' ? { service: parsed.service } : {};
}
