import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.js';
import type { Lease } from '../core/lease/index.js';
import type { ServiceSpec } from '../core/spec/index.js';
import type { LeaseAfterCommit } from './fenced-transaction.js';
import type { WriteOptions } from './generation-writes.js';
import { DynamoReconcileState, type ReconcileWrite, type ServicePartition, type StoredStatus, type KnownTasks } from './state/reconcile-state.js';
import type { NewServiceEvent, RevisionRecord, ServiceEvent, ServiceRecord, StatusRecord } from './state/records.js';
import { DynamoServiceHistory } from './state/service-history.js';
import { DynamoServiceSpecs } from './state/service-specs.js';
import { listServicePage, type ListedService } from './state/service-list.js';
import type { Page, PageRequest } from './kind-pages.js';

export type { ListedService, Page, PageRequest };
export type { LeaseAfterCommit, NewServiceEvent, ReconcileWrite, RevisionRecord, ServiceEvent, ServicePartition, ServiceRecord, StatusRecord, StoredStatus, KnownTasks, WriteOptions };

/** The ports of the desired-state store, one per item kind; lib/api and the reconciler depend on these. */

/** Spec items: desired state, written by the API (and by rotation's restarts). */
export interface ServiceSpecs {
  getService(name: string): Promise<ServiceRecord | undefined>;
  listServices(): Promise<ServiceRecord[]>;
  putService(name: string, spec: ServiceSpec, options?: WriteOptions): Promise<{ record: ServiceRecord; created: boolean; newRevision: boolean }>;
  updateService(name: string, change: (current: ServiceRecord) => Partial<ServiceRecord>, options?: WriteOptions & { allowWhileDeleting?: boolean }): Promise<ServiceRecord>;
  rollbackService(name: string, toRevision: number, options?: WriteOptions): Promise<ServiceRecord>;
  restartService(name: string, reason: string, trigger?: string): Promise<{ record: ServiceRecord; restarted: boolean }>;
}

/** Revision items, read by the API. */
export interface ServiceRevisions {
  getRevision(name: string, revision: number): Promise<RevisionRecord | undefined>;
  listRevisions(name: string): Promise<RevisionRecord[]>;
}

/** The status item, read by the API (the reconciler writes it through ReconcileState). */
export interface ServiceStatuses {
  getStatus(name: string): Promise<StatusRecord | undefined>;
}

/** `GET /services`: a page of specs with their statuses, read in batches. */
export interface ServiceListing {
  listServicePage(request: PageRequest): Promise<Page<ListedService>>;
}

/** Event items: newest first; the API and rotation add theirs. */
export interface ServiceEvents {
  appendEvents(name: string, events: NewServiceEvent[]): Promise<void>;
  listEvents(name: string, limit?: number): Promise<ServiceEvent[]>;
}

/** The reconciler's port: one read of a partition, one fenced write, and removal after a delete. */
export interface ReconcileState {
  readPartition(name: string): Promise<ServicePartition | undefined>;
  /** Many services' status items at once (eventually consistent), for the sweep. */
  readStatuses(names: readonly string[]): Promise<Map<string, StoredStatus>>;
  /** One fenced transaction; with `release`, it also releases the lease or takes a pending pass (see reconcile-state.ts). */
  commit(name: string, write: ReconcileWrite, lease: Pick<Lease, 'name' | 'token' | 'holder'>, options?: { release?: boolean }): Promise<LeaseAfterCommit | 'held'>;
  removeService(name: string): Promise<void>;
}

/** What lib/api uses. */
export type StateStore = ServiceSpecs & ServiceListing & ServiceRevisions & ServiceStatuses & ServiceEvents;

/** The DynamoDB adapters of every port, on one table. */
export function createStateStore(documents: DynamoDBDocumentClient, tableName: string, clock: Clock): StateStore & ReconcileState {
  const specs = new DynamoServiceSpecs(documents, tableName, clock);
  const history = new DynamoServiceHistory(documents, tableName, clock);
  const reconcile = new DynamoReconcileState(documents, tableName, clock);
  return {
    getService: (name) => specs.getService(name),
    listServices: () => specs.listServices(),
    listServicePage: (request) => listServicePage(documents, tableName, request),
    putService: (name, spec, options) => specs.putService(name, spec, options),
    updateService: (name, change, options) => specs.updateService(name, change, options),
    rollbackService: (name, toRevision, options) => specs.rollbackService(name, toRevision, options),
    restartService: (name, reason, trigger) => specs.restartService(name, reason, trigger),
    getRevision: (name, revision) => history.getRevision(name, revision),
    listRevisions: (name) => history.listRevisions(name),
    getStatus: (name) => history.getStatus(name),
    appendEvents: (name, events) => history.appendEvents(name, events),
    listEvents: (name, limit) => history.listEvents(name, limit),
    readPartition: (name) => reconcile.readPartition(name),
    readStatuses: (names) => reconcile.readStatuses(names),
    commit: (name, write, lease, options) => reconcile.commit(name, write, lease, options),
    removeService: (name) => reconcile.removeService(name),
  };
}
