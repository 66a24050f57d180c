import type { JobStore } from '../aws/job-store.js';
import type { WakeUpQueue } from '../aws/wake-up-queue.js';
import { needsWakeUp, wakeUpDefaults, wakeUpDelaySeconds } from '../core/jobs/index.js';

/**
 * Arms the dispatcher's precise wake-ups (see lib/core/jobs/wake-up.ts): one message at a time
 * for the earliest instant a job needs the leader, remembered in the table so every pass does
 * not add another.
 */
export class WakeUps {
  constructor(private readonly queue: WakeUpQueue, private readonly jobs: JobStore) {}

  /** Makes sure a wake-up at or before `at` is on its way. */
  async arm(at: number, now: number): Promise<void> {
    if (!needsWakeUp(at, await this.jobs.armedWakeUp(), now)) return;
    await this.send(at, now);
  }

  /** Sends the wake-up for `at` again: its message came early (beyond the queue's delay limit). */
  async rearm(at: number, now: number): Promise<void> {
    await this.send(at, now);
  }

  /** Tries the wake-up for `at` again in a second: the lease was held when it came. */
  async retry(at: number, now: number): Promise<boolean> {
    if (now - at > wakeUpDefaults.retryWindowMs) return false;
    await this.queue.send({ wakeUpAt: at }, wakeUpDefaults.retryDelaySeconds);
    return true;
  }

  private async send(at: number, now: number): Promise<void> {
    const delaySeconds = wakeUpDelaySeconds(at, now);
    await this.queue.send({ wakeUpAt: at }, delaySeconds);
    await this.jobs.rememberWakeUp({ at, arrivesAt: now + delaySeconds * 1000 });
  }
}
