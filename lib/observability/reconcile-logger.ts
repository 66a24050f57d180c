import type { Logger } from '@aws-lambda-powertools/logger';

/** What made a service be reconciled: the trigger every log line of its reconcile names. */
export type ReconcileTrigger = 'desired-state' | 'requeue' | 'task-state-change' | 'sweep';

/**
 * The logger of one service's reconcile: `service` is the Corral service (Powertools' service
 * key; the function is in `function_name`), `trigger` what brought the reconcile about, and the
 * reconcile adds `generation` and `revision` once it has read them (`scopeToRecord`). A child of
 * the function's logger, so the Lambda context and log level carry over, and one per reconcile,
 * since an invocation reconciles several services at once.
 */
export function reconcileLogger(logger: Logger, service: string, trigger: ReconcileTrigger): Logger {
  return logger.createChild({ serviceName: service, persistentKeys: { trigger } }) as Logger;
}

/** Adds what the reconcile read to every later line of it. */
export function scopeToRecord(logger: Logger, record: { generation: number; revision: number }): void {
  logger.appendPersistentKeys({ generation: record.generation, revision: record.revision });
}
