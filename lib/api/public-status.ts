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
  /** The rollout in progress (absent once one completed): a canary's step and weight, a hold's reason. */
  rollout?: PublicRollout;
}

export interface PublicRollout {
  revision: number;
  startedAt: string;
  /** Canary: index (from 0) of the step in progress; equals `steps` once every step is done. */
  step?: number;
  steps?: number;
  /** Canary: percent of replicas on the new revision. */
  weight?: number;
  /** Canary: waiting at a pause step, for promote or until `endsAt`. */
  waiting?: { kind: 'untilPromoted' } | { kind: 'timed'; endsAt: string };
  /** Why the rollout is held (an alarm firing since its start, alarms that cannot be read). */
  held?: { reason: string; message: string };
}

function publicRollout(rollout: NonNullable<ServiceStatus['rollout']>): PublicRollout {
  return {
    revision: rollout.revision,
    startedAt: new Date(rollout.startedAt).toISOString(),
    ...(rollout.steps !== undefined ? { step: rollout.step ?? 0, steps: rollout.steps, weight: rollout.weight ?? 0 } : {}),
    ...(rollout.waiting
      ? { waiting: rollout.waiting.kind === 'timed' ? { kind: 'timed', endsAt: new Date(rollout.waiting.endsAt).toISOString() } : { kind: 'untilPromoted' } }
      : {}),
    ...(rollout.held ? { held: { ...rollout.held } } : {}),
  };
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
    ...(status.rollout ? { rollout: publicRollout(status.rollout) } : {}),
  };
}
