import type { AlarmStates } from '../aws/alarm-states.js';
import { fieldPath } from '../core/spec/field-error.js';
import { type ErrorDetail, ValidationError } from './errors.js';

/** How the API checks a spec's `rollout.alarms`: the stack's name prefix, and CloudWatch. */
export interface RolloutAlarmChecks {
  states: AlarmStates;
  /** The functions may read only alarms named with this ('' for any). */
  namePrefix: string;
}

/**
 * Refuses `rollout.alarms` that could never gate a rollout: a name outside the stack's prefix
 * (the reconciler is not allowed to read it) or an alarm CloudWatch does not know (400, one detail
 * per alarm, `rollout.alarms[i]`). When CloudWatch cannot be read the names pass; the reconciler
 * then holds the rollout and says why, rather than the API refusing a valid spec.
 */
export async function requireRolloutAlarms(checks: RolloutAlarmChecks, alarms: readonly string[] | undefined): Promise<void> {
  if (!alarms?.length) return;
  const details: ErrorDetail[] = [];
  alarms.forEach((name, index) => {
    if (!name.startsWith(checks.namePrefix)) {
      details.push({
        field: fieldPath('rollout.alarms', index),
        message: `must start with "${checks.namePrefix}": Corral may read only alarms named with the stack's prefix (context corral:alarmNamePrefix)`,
      });
    }
  });
  if (details.length === 0) {
    const reading = await checks.states.read(alarms);
    if (reading.kind === 'read') {
      for (const missing of reading.missing) {
        details.push({ field: fieldPath('rollout.alarms', alarms.indexOf(missing)), message: `alarm ${missing} does not exist in CloudWatch` });
      }
    }
  }
  if (details.length > 0) throw new ValidationError(details, 'the service spec names alarms Corral cannot use');
}
