import type { ServiceCondition, ServiceStatus } from './types.js';

/** What a TerminalError left: the generation it judged, why, and what to tell the user. */
export interface Stall {
  generation: number;
  /** The spec's revision, for a service never reconciled before. */
  revision: number;
  replicas: number;
  reason: string;
  message: string;
}

/**
 * The status after a TerminalError (an image or secret that cannot exist, a task definition ECS
 * refuses): phase Failed, a `Stalled` condition with the reason, `observedGeneration` the
 * generation judged. The rest of the previous status stays, so the fleet's bookkeeping survives.
 */
export function stalledStatus(previous: ServiceStatus | undefined, stall: Stall, now: number): ServiceStatus {
  const condition: ServiceCondition = { type: 'Stalled', status: 'True', reason: stall.reason, message: stall.message, lastTransitionTime: now };
  const base: ServiceStatus = previous ?? {
    phase: 'Failed',
    observedGeneration: stall.generation,
    revision: stall.revision,
    targetRevision: stall.revision,
    counts: { desired: stall.replicas, running: 0, healthy: 0, updated: 0, available: 0 },
    message: '',
    conditions: [],
    healthySince: {},
    failedTasks: {},
  };
  return {
    ...base,
    phase: 'Failed',
    observedGeneration: stall.generation,
    message: `${stall.message}; change the spec to try again`,
    conditions: [...base.conditions.filter((c) => c.type !== 'Stalled'), condition],
  };
}

/** Whether `status` records a TerminalError for `generation`: nothing to do until the spec changes. */
export function isStalled(status: ServiceStatus | undefined, generation: number): boolean {
  return status !== undefined && status.observedGeneration === generation && status.conditions.some((c) => c.type === 'Stalled' && c.status === 'True');
}
