import type { DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent, ScheduledEvent, SQSEvent } from 'aws-lambda';
import type { RequeueMessage } from '../aws/requeue.js';
import { serviceOfStartedBy } from '../core/task-definition.js';
import { serviceKeys } from '../aws/state/keys.js';

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
        const message = parseRequeueMessage(record.body);
        if (message) names.add(message.service);
      }
    }
  } else if (event['detail-type'] === 'ECS Task State Change') {
    const service = serviceOfStartedBy((event.detail as { startedBy?: string }).startedBy);
    if (service) names.add(service);
  }
  return [...names];
}

function parseRequeueMessage(body: string): RequeueMessage | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<RequeueMessage>;
    return typeof parsed.service === 'string' ? { service: parsed.service } : undefined;
  } catch {
    return undefined;
  }
}
