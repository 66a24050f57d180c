/**
 * Alarm gates on a rollout, decided from alarm states the shell read (CloudWatch DescribeAlarms).
 * An alarm that enters ALARM after the rollout started fails it; one already in ALARM when it
 * started holds it (condition AlarmFiringAtStart) until it clears or a user promotes — never
 * silently ignored, unlike ECS's alarm-based rollback. An alarm that cannot be read holds too:
 * a gate that cannot see does not pass.
 */

export interface AlarmState {
  name: string;
  value: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason: string;
  /** Epoch ms the alarm last changed value (CloudWatch's StateTransitionedTimestamp). */
  transitionedAt: number;
}

export type AlarmReading =
  | { kind: 'read'; states: readonly AlarmState[]; missing: readonly string[] }
  | { kind: 'unreadable'; reason: string };

export type AlarmVerdict =
  | { kind: 'pass' }
  | { kind: 'fail'; alarm: string; reason: string }
  | { kind: 'holdFiringAtStart'; alarms: string[] }
  | { kind: 'holdUnreadable'; reason: string }
  | { kind: 'missing'; alarms: string[] };

export function judgeAlarms(input: {
  reading: AlarmReading;
  /** Epoch ms the rollout started. */
  rolloutStartedAt: number;
  /** A user promoted past the alarms that were firing at the start. */
  firingAtStartAccepted: boolean;
}): AlarmVerdict {
  const { reading, rolloutStartedAt } = input;
  if (reading.kind === 'unreadable') return { kind: 'holdUnreadable', reason: reading.reason };
  if (reading.missing.length > 0) return { kind: 'missing', alarms: [...reading.missing] };
  const firing = reading.states.filter((state) => state.value === 'ALARM');
  // Strictly after: an alarm stamped at the very instant the rollout started was firing when it began.
  const entered = firing.find((state) => state.transitionedAt > rolloutStartedAt);
  if (entered) return { kind: 'fail', alarm: entered.name, reason: entered.reason };
  if (firing.length > 0 && !input.firingAtStartAccepted) return { kind: 'holdFiringAtStart', alarms: firing.map((state) => state.name) };
  return { kind: 'pass' };
}
