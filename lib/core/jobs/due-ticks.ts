import { dueRun } from './due-run.js';
import { previousRunAtOrBefore, type Schedule } from './schedule.js';

/** A tick that will not run, and why (recorded as a Missed run). */
export interface MissedTick {
  tick: number;
  reason: string;
}

export interface DueTicks {
  /** The tick to start now: the newest owed tick, if still within its starting deadline. */
  run?: number;
  /** Owed ticks that will not run, newest first, at most `missedLimit` of them. */
  missed: MissedTick[];
}

export interface DueTicksInput {
  /** The newest tick already recorded (run, Skipped or Missed), if any. */
  lastScheduledTick: number | undefined;
  /** The job's creation or last schedule change: no tick at or before it is owed. */
  anchor: number;
  now: number;
  timeZone: string;
  /** A tick not started within this many seconds is Missed; undefined: no limit. */
  startingDeadlineSeconds: number | undefined;
  /** How many missed ticks to list one by one; older ones are summed up in the oldest's reason. */
  missedLimit: number;
}

/**
 * What the dispatcher owes a job at `now`: at most one run (the newest tick not yet recorded —
 * after an outage that is the one catch-up, never a burst) and the ticks that will not run.
 *
 * Worked example: rate(5 minutes) anchored at 12:00, last recorded tick 12:05, dispatcher back
 * at 12:17 after an outage. Ticks 12:10 and 12:15 are owed. Without a starting deadline: run
 * 12:15, and 12:10 is Missed (superseded by the 12:15 catch-up). With
 * startingDeadlineSeconds 60: 12:15 is 120 s late, past its deadline, so nothing runs and both
 * are Missed; the next run is 12:20, on time.
 */
export function dueTicks(schedule: Schedule, input: DueTicksInput): DueTicks {
  const { lastScheduledTick, anchor, now, timeZone, startingDeadlineSeconds, missedLimit } = input;
  const newest = dueRun(schedule, lastScheduledTick, anchor, now, timeZone)?.tick;
  if (newest === undefined) return { missed: [] };
  const missed: MissedTick[] = [];
  const late = pastStartingDeadline(newest, now, startingDeadlineSeconds);
  if (late) missed.push({ tick: newest, reason: lateReason(newest, now, startingDeadlineSeconds!) });

  const floor = Math.max(anchor, lastScheduledTick ?? anchor);
  const superseded = late
    ? 'the dispatcher did not reach this tick before the next one (an outage); no catch-up run was in time either'
    : `the dispatcher did not reach this tick before the next one (an outage); only the newest missed tick runs, ${iso(newest)}`;
  for (let tick = previousRunAtOrBefore(schedule, newest - 1, anchor, timeZone); tick !== undefined && tick > floor; ) {
    if (missed.length === missedLimit) {
      const oldest = missed[missed.length - 1];
      oldest.reason += `; earlier ticks back to ${iso(floor)} were missed too`;
      break;
    }
    missed.push({ tick, reason: `not run: ${superseded}` });
    tick = previousRunAtOrBefore(schedule, tick - 1, anchor, timeZone);
  }
  return late ? { missed } : { run: newest, missed };
}

/** Whether a run of `tick` that has not started by `now` is past `startingDeadlineSeconds` (none: never). */
export function pastStartingDeadline(tick: number, now: number, startingDeadlineSeconds: number | undefined): boolean {
  return startingDeadlineSeconds !== undefined && now - tick > startingDeadlineSeconds * 1000;
}

function lateReason(tick: number, now: number, deadlineSeconds: number): string {
  return `not started: the dispatcher reached this tick ${Math.round((now - tick) / 1000)} s after it, past startingDeadlineSeconds (${deadlineSeconds})`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
