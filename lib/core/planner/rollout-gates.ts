import { type AlarmReading, judgeAlarms } from './alarm-gate.js';
import type { Desired, PlanEvent, PlannerSpec, RolloutRecord } from './types.js';

export type Promotion = 'step' | 'full';

/**
 * The user's promotions that this rollout has not taken into account yet: `Desired.promotion`
 * is a counter, so each promote is seen exactly once however many reconciles read it.
 * Updates `record.promotionsSeen`.
 */
export function takePromotion(record: RolloutRecord, desired: Desired): Promotion | undefined {
  const count = desired.promotion?.count ?? 0;
  const seen = record.promotionsSeen ?? 0;
  record.promotionsSeen = count;
  if (count <= seen) return undefined;
  return (desired.promotion?.fullCount ?? 0) > seen ? 'full' : 'step';
}

export interface AlarmGateOutcome {
  /** The rollout fails: an alarm entered ALARM after it started. */
  tripped?: { reason: string; kind: 'AlarmFired' };
  /** The rollout holds (no starts or stops) for this reason. */
  held?: NonNullable<RolloutRecord['held']>;
  /** The promotion, unless it went to accepting alarms that were firing at the start. */
  promotion?: Promotion;
  events: PlanEvent[];
}

/**
 * Applies `spec.alarms` to a forward rollout. Example: alarm "errors" is in ALARM since before the
 * rollout started → held (event AlarmFiringAtStart, once); the user promotes → accepted, the
 * rollout moves; "errors" clears and fires again later → that firing is after the start: failed.
 */
export function gateOnAlarms(input: {
  record: RolloutRecord;
  spec: PlannerSpec;
  alarms: AlarmReading | undefined;
  promotion: Promotion | undefined;
  name: string;
}): AlarmGateOutcome {
  const { record, spec, promotion, name } = input;
  if (!spec.alarms?.length) return { promotion, events: [] };
  const reading = input.alarms ?? { kind: 'unreadable', reason: 'the alarm states were not read' };
  const verdict = judgeAlarms({ reading, rolloutStartedAt: record.startedAt, firingAtStartAccepted: record.firingAtStartAccepted ?? false });
  const before = record.held?.reason;
  const hold = (held: NonNullable<RolloutRecord['held']>, type: PlanEvent['type']): AlarmGateOutcome => ({
    held,
    promotion,
    events: before === held.reason ? [] : [{ type, message: held.message }],
  });
  switch (verdict.kind) {
    case 'pass':
      return { promotion, events: [] };
    case 'fail':
      return { tripped: { reason: `alarm ${verdict.alarm} entered ALARM (${verdict.reason})`, kind: 'AlarmFired' }, promotion, events: [] };
    case 'holdFiringAtStart':
      if (promotion) {
        record.firingAtStartAccepted = true;
        return { events: [{ type: 'CanaryPromoted', message: `Promoted past ${list(verdict.alarms)} firing since before the rollout started` }] };
      }
      return hold(
        {
          reason: 'AlarmFiringAtStart',
          message: `${list(verdict.alarms)} already in ALARM when the rollout started: holding until it clears or \`corral rollout promote ${name}\``,
        },
        'AlarmFiringAtStart',
      );
    case 'holdUnreadable':
      return hold({ reason: 'AlarmsUnreadable', message: `Cannot read the rollout's alarms (${verdict.reason}): holding` }, 'RolloutHeld');
    case 'missing':
      return hold({ reason: 'AlarmMissing', message: `${list(verdict.alarms)} ${verdict.alarms.length === 1 ? 'does' : 'do'} not exist in CloudWatch: holding` }, 'RolloutHeld');
  }
}

function list(alarms: readonly string[]): string {
  return `${alarms.length === 1 ? 'alarm' : 'alarms'} ${alarms.join(', ')}`;
}
