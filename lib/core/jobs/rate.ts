import type { FieldError } from '../spec/field-error.js';

export type RateUnit = 'minute' | 'hour' | 'day';

/** `rate(value unit)`: every `periodMs`, counted from the job's anchor (its creation time). */
export interface RateSchedule {
  kind: 'rate';
  expression: string;
  value: number;
  unit: RateUnit;
  periodMs: number;
}

/** A rate's units as fixed lengths of absolute time: a day is 24 hours, daylight saving or not. */
const unitMs: Record<RateUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Parses `rate(value unit)` as EventBridge does: value a positive whole number, unit minute,
 * hour or day — singular when the value is 1 and plural otherwise ("rate(1 hours)" and
 * "rate(5 hour)" are both rejected).
 */
export function parseRate(expression: string): RateSchedule | FieldError {
  const fail = (why: string): FieldError => ({ field: 'schedule', message: `${expression}: ${why}` });
  const match = /^rate\(\s*(\S+)\s+(\S+)\s*\)$/.exec(expression);
  if (match === null) return fail('must be rate(value unit), e.g. rate(5 minutes)');
  const [, valueText, unitText] = match;
  if (!/^[1-9][0-9]*$/.test(valueText)) return fail(`value "${valueText}" must be a positive whole number`);
  const value = Number(valueText);
  const singular = unitText.endsWith('s') ? unitText.slice(0, -1) : unitText;
  if (singular !== 'minute' && singular !== 'hour' && singular !== 'day') {
    return fail(`unit "${unitText}" must be minute(s), hour(s) or day(s)`);
  }
  if (value === 1 && unitText !== singular) return fail(`use "${singular}" (singular) when the value is 1`);
  if (value > 1 && unitText === singular) return fail(`use "${singular}s" (plural) when the value is more than 1`);
  const periodMs = value * unitMs[singular];
  if (!Number.isSafeInteger(periodMs)) return fail('value is too large');
  return { kind: 'rate', expression, value, unit: singular, periodMs };
}

/**
 * Ticks of a rate schedule are anchor + k × period for k ≥ 1: a job created at 12:00:30 with
 * rate(5 minutes) first runs at 12:05:30, then 12:10:30, ...
 */
export function nextRateAfter(rate: RateSchedule, afterMs: number, anchorMs: number): number {
  const k = afterMs < anchorMs ? 1 : Math.floor((afterMs - anchorMs) / rate.periodMs) + 1;
  return anchorMs + k * rate.periodMs;
}

/** The latest tick at or before `atMs`, or undefined before the first tick. */
export function previousRateAtOrBefore(rate: RateSchedule, atMs: number, anchorMs: number): number | undefined {
  const k = Math.floor((atMs - anchorMs) / rate.periodMs);
  return k >= 1 ? anchorMs + k * rate.periodMs : undefined;
}
