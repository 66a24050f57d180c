import { isSchedule, nextRunAfter, parseSchedule, previousRunAtOrBefore, type Schedule } from './schedule.js';

/** What the jobs pass needs to know of a job to order it: its spec's timing, not its runs. */
export interface PassJob {
  name: string;
  schedule: string;
  /** Rate ticks are anchor + k × period; no tick at or before it is owed. */
  scheduleAnchor: number;
  timeZone: string;
  timeoutSeconds?: number;
  deleting: boolean;
}

/**
 * What started the pass. The one-minute tick handles every job. A precise wake-up for `at`
 * handles the jobs with a tick from `owedFrom` on (normally `at` itself: the pass that armed it
 * covered every tick before it) and the jobs whose need it cannot see from the spec alone
 * (an active run's timeout, a deletion).
 */
export type JobsPassTrigger = { kind: 'tick' } | { kind: 'wake-up'; at: number; owedFrom: number };

export const jobsPassDefaults = {
  /** On the one-minute tick, ticks this recent count as due and go first (cron jobs on the minute). */
  tickDueWindowMs: 1_000,
} as const;

/**
 * What one dispatch of a job told the pass: an instant the job needs the leader besides its
 * ticks (an active run's timeout), or that the job is gone; or that the dispatch failed.
 */
export type DispatchOutcome = { wakeUpAt?: number; removed: boolean } | 'failed';

interface Entry {
  job: PassJob;
  schedule?: Schedule;
  /** The earliest instant this pass owes the job a dispatch: a due tick, a coming one, a timeout. */
  dueAt?: number;
  /** `now` of the job's last dispatch in this pass; it covered everything due up to then. */
  dispatchedAt?: number;
  /** Dispatched once in this pass whether or not anything is due (the tick's full pass). */
  always: boolean;
}

/**
 * The dispatcher's jobs pass as a decision over time: which job to dispatch next at `now`, and
 * when the leader must wake up again. The shell asks `next(clock.now())` before every dispatch,
 * so a tick that comes due while the pass works on other jobs is dispatched at once, ahead of
 * them, by the leader already holding the lease, instead of by a wake-up that would wait for
 * that lease. Order: due jobs, the longest overdue first; then the jobs the pass always visits.
 *
 * Worked example, wake-up for 12:00:00.300, rate(1 minute) jobs A (ticks at :00.300), B (:00.600)
 * and C (:30.000), C with a timeoutSeconds: at 12:00:00.305 `next` answers A (due), then C (its
 * timeout may be due; the spec cannot tell); at 12:00:00.610 B, which came due meanwhile; then
 * nothing; `wakeUpAt` is 12:00:30.000 (C's tick), unless C's dispatch reported an earlier timeout.
 */
export class JobsPass {
  private readonly entries: Entry[];

  constructor(jobs: readonly PassJob[], trigger: JobsPassTrigger, now: number) {
    const owedFrom = trigger.kind === 'tick' ? now - jobsPassDefaults.tickDueWindowMs : trigger.owedFrom;
    this.entries = jobs.map((job) => {
      const parsed = parseSchedule(job.schedule);
      const schedule = isSchedule(parsed) ? parsed : undefined;
      const always = trigger.kind === 'tick' || schedule === undefined || job.deleting || job.timeoutSeconds !== undefined;
      if (schedule === undefined) return { job, always };
      const latest = previousRunAtOrBefore(schedule, now, job.scheduleAnchor, job.timeZone);
      const owed = latest !== undefined && latest > job.scheduleAnchor && latest >= owedFrom;
      const dueAt = owed ? latest : nextRunAfter(schedule, now, job.scheduleAnchor, job.timeZone);
      return { job, schedule, always, ...(dueAt === undefined ? {} : { dueAt }) };
    });
  }

  /** The job to dispatch now, or undefined when the pass is done. */
  next(now: number): string | undefined {
    let due: Entry | undefined;
    for (const entry of this.entries) {
      if (!this.isDue(entry, now)) continue;
      if (due === undefined || entry.dueAt! < due.dueAt!) due = entry;
    }
    return (due ?? this.entries.find((entry) => entry.always && entry.dispatchedAt === undefined))?.job.name;
  }

  /**
   * Records a dispatch of `name` made at `now`. It covered every tick up to `now`; the job is
   * owed another only if one comes (or its timeout does) while the pass still runs.
   */
  dispatched(name: string, now: number, outcome: DispatchOutcome): void {
    const entry = this.entries.find((e) => e.job.name === name);
    if (entry === undefined) return;
    entry.dispatchedAt = now;
    const tick = this.nextTick(entry, now);
    const next = outcome === 'failed' ? tick : outcome.removed ? undefined : Math.min(tick ?? Infinity, outcome.wakeUpAt ?? Infinity);
    if (next === undefined || next === Infinity) delete entry.dueAt;
    else entry.dueAt = next;
  }

  /**
   * When the leader must act next, once `next` answers nothing: the earliest instant any job is
   * owed — a tick to come, or a timeout a dispatch reported. A wake-up pass counts the jobs it
   * did not visit by their ticks; their timeouts were armed by the pass that last visited them.
   * An instant already past (a tick that came due after the last `next`, a timeout a dispatch
   * could not enforce) makes the next wake-up come at once.
   */
  wakeUpAt(): number | undefined {
    let earliest: number | undefined;
    for (const { dueAt } of this.entries) {
      if (dueAt !== undefined && (earliest === undefined || dueAt < earliest)) earliest = dueAt;
    }
    return earliest;
  }

  /**
   * Due at `now`: its instant has come and no dispatch of this pass covered it. A dispatch that
   * reported the job due at or before its own `now` (a timeout it could not enforce) is not
   * repeated in this pass.
   */
  private isDue(entry: Entry, now: number): boolean {
    if (entry.dueAt === undefined || entry.dueAt > now) return false;
    return entry.dispatchedAt === undefined || entry.dueAt > entry.dispatchedAt;
  }

  private nextTick(entry: Entry, now: number): number | undefined {
    return entry.schedule === undefined ? undefined : nextRunAfter(entry.schedule, now, entry.job.scheduleAnchor, entry.job.timeZone);
  }
}
