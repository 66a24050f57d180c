import type { ServiceStatus } from '../core/planner/index.js';
import type { ServiceRecord } from '../aws/state-store.js';

/** The status fields of the public contract; the planner's bookkeeping stays internal. */
export interface PublicStatus {
  phase: ServiceStatus['phase'];
  observedGeneration: number;
  revision: number;
  targetRevision: number;
  /** The image of `revision` (what runs; after a rollback, not the spec's image). */
  image?: string;
  stableRevision?: number;
  counts: ServiceStatus['counts'];
  message: string;
  conditions: (Omit<ServiceStatus['conditions'][number], 'lastTransitionTime'> & { lastTransitionTime: string })[];
  paused: boolean;
}

export function publicStatus(record: ServiceRecord, status: ServiceStatus | undefined): PublicStatus {
  if (!status) {
    return {
      phase: record.deleting ? 'Terminating' : 'Pending',
      observedGeneration: 0,
      revision: record.revision,
      targetRevision: record.revision,
      counts: { desired: record.spec.replicas, running: 0, healthy: 0, updated: 0, available: 0 },
      message: record.deleting ? 'Waiting for the reconciler to stop the tasks' : 'Waiting for the reconciler',
      conditions: [],
      paused: record.paused,
    };
  }
  return {
    phase: status.phase,
    observedGeneration: status.observedGeneration,
    revision: status.revision,
    targetRevision: status.targetRevision,
    ...(status.image !== undefined ? { image: status.image } : {}),
    ...(status.stableRevision !== undefined ? { stableRevision: status.stableRevision } : {}),
    counts: status.counts,
    message: status.message,
    conditions: status.conditions.map((c) => ({ ...c, lastTransitionTime: new Date(c.lastTransitionTime).toISOString() })),
    paused: record.paused,
  };
}
