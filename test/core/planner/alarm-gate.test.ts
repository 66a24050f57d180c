import { describe, expect, test } from 'vitest';
import { type AlarmState, judgeAlarms } from '../../../lib/core/planner/alarm-gate.js';

const started = 1_000_000;
const alarm = (name: string, value: AlarmState['value'], transitionedAt: number, reason = `${name} reason`): AlarmState => ({ name, value, reason, transitionedAt });
const read = (...states: AlarmState[]) => ({ kind: 'read' as const, states, missing: [] });

describe('judgeAlarms', () => {
  test.each([
    ['no alarm firing passes', read(alarm('a', 'OK', 0), alarm('b', 'INSUFFICIENT_DATA', started + 5)), false, { kind: 'pass' }],
    ['an alarm entering ALARM after the start fails the rollout, naming it and its reason',
      read(alarm('a', 'OK', 0), alarm('errors', 'ALARM', started + 1, 'Threshold Crossed')), false,
      { kind: 'fail', alarm: 'errors', reason: 'Threshold Crossed' }],
    ['an alarm already firing at the start holds the rollout', read(alarm('errors', 'ALARM', started - 1)), false,
      { kind: 'holdFiringAtStart', alarms: ['errors'] }],
    ['an alarm stamped at the very instant the rollout started counts as firing at the start', read(alarm('errors', 'ALARM', started)), false,
      { kind: 'holdFiringAtStart', alarms: ['errors'] }],
    ['once a user promoted past it, an alarm firing since before the start no longer holds', read(alarm('errors', 'ALARM', started - 1)), true, { kind: 'pass' }],
    ['a new firing fails even when an older one was accepted',
      read(alarm('old', 'ALARM', started - 1), alarm('new', 'ALARM', started + 9)), true, { kind: 'fail', alarm: 'new', reason: 'new reason' }],
    ['alarms that cannot be read hold, they do not pass', { kind: 'unreadable' as const, reason: 'Rate exceeded' }, false,
      { kind: 'holdUnreadable', reason: 'Rate exceeded' }],
    ['alarms that do not exist are named', { kind: 'read' as const, states: [], missing: ['typo'] }, false, { kind: 'missing', alarms: ['typo'] }],
  ])('%s', (_what, reading, accepted, verdict) => {
    expect(judgeAlarms({ reading, rolloutStartedAt: started, firingAtStartAccepted: accepted })).toEqual(verdict);
  });
});
