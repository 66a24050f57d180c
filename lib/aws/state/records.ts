import type { ServiceEventType, ServiceStatus } from '../../core/planner/index.js';
import type { RevisionPointers, ServiceSpec, TaskTemplate } from '../../core/spec/index.js';
import { fromStoredVariables } from '../variable-items.js';

/** The desired state of one service, as the API wrote it. */
export interface ServiceRecord extends RevisionPointers {
  name: string;
  /** Increments on every accepted change; the API's ETag. */
  generation: number;
  spec: ServiceSpec;
  paused: boolean;
  deleting: boolean;
  /** Promotions asked for (POST /promote): a counter, so each is seen once; `fullCount` is the count at the last `full` one. */
  promotion?: { count: number; fullCount: number };
  /** POST /abort: the revision whose rollout the user stopped (back to stable, phase Aborted). */
  abortedRevision?: number;
  createdAt: string;
  updatedAt: string;
}

/** One task template, recorded for every change of it. */
export interface RevisionRecord {
  revision: number;
  template: TaskTemplate;
  templateHash: string;
  reason: string;
  /** What asked for it, when that must not ask twice (e.g. `rotation:<version id>`). */
  trigger?: string;
  createdAt: string;
  taskDefinitionArn?: string;
  /** When all its replicas were first available at once: an undo may go back to it. */
  availableAt?: string;
}

export interface ServiceEvent {
  time: string;
  type: ServiceEventType;
  message: string;
  taskArn?: string;
  revision?: number;
}

export type NewServiceEvent = Omit<ServiceEvent, 'time'>;

export interface StatusRecord {
  status: ServiceStatus;
  updatedAt: string;
}

/** Events are kept for a week (DynamoDB TTL removes them; reads filter expired ones too). */
export const eventRetentionSeconds = 7 * 24 * 3600;

export function toServiceRecord(item: Record<string, any>): ServiceRecord {
  return {
    name: item.name, generation: Number(item.generation), spec: fromStoredVariables<ServiceSpec>(item.spec),
    revision: Number(item.revision), latestRevision: Number(item.latestRevision),
    ...(item.previousRevision !== undefined ? { previousRevision: Number(item.previousRevision) } : {}),
    paused: Boolean(item.paused), deleting: Boolean(item.deleting),
    ...(item.promotion ? { promotion: { count: Number(item.promotion.count), fullCount: Number(item.promotion.fullCount ?? 0) } } : {}),
    ...(item.abortedRevision !== undefined ? { abortedRevision: Number(item.abortedRevision) } : {}),
    createdAt: item.createdAt, updatedAt: item.updatedAt,
  };
}

export function toRevisionRecord(item: Record<string, any>): RevisionRecord {
  return {
    revision: Number(item.revision), template: fromStoredVariables<TaskTemplate>(item.template), templateHash: item.templateHash,
    reason: item.reason, createdAt: item.createdAt,
    ...(item.trigger ? { trigger: item.trigger } : {}),
    ...(item.taskDefinitionArn ? { taskDefinitionArn: item.taskDefinitionArn } : {}),
    ...(item.availableAt ? { availableAt: item.availableAt } : {}),
  };
}

export function toStatusRecord(item: Record<string, any>): StatusRecord {
  return { status: item.status as ServiceStatus, updatedAt: String(item.updatedAt) };
}

export function toServiceEvent(item: Record<string, any>): ServiceEvent {
  return {
    time: String(item.time), type: item.type as ServiceEventType, message: String(item.message),
    ...(item.taskArn ? { taskArn: String(item.taskArn) } : {}),
    ...(item.revision !== undefined ? { revision: Number(item.revision) } : {}),
  };
}
