import type { JobStore } from '../aws/job-store.js';
import type { WakeUpMessage, WakeUpQueue } from '../aws/wake-up-queue.js';
import { needsWakeUp, wakeUpDefaults, wakeUpDelaySeconds } from '../core/jobs/index.js';

/**
 * Arms the dispatcher's precise wake-ups (see lib/core/jobs/wake-up.ts): one message at a time
 * for the earliest instant a job needs the leader, remembered in the table so every pass does
 * not add another. `now` is when the message is sent: its delay counts from there.
 */
export class WakeUps {
  constructor(private readonly queue: WakeUpQueue, private readonly jobs: JobStore) {}

  /** Makes sure a wake-up at or before `at` is on its way. */
  async arm(at: number, now: number): Promise<void> {
    if (!needsWakeUp(at, await this.jobs.armedWakeUp(), now)) return;
    await this.send({ wakeUpAt: at }, now);
  }

  /** Sends a wake-up again: its message came early (beyond the queue's delay limit). */
  async rearm(message: WakeUpMessage, now: number): Promise<void> {
    await this.send(message, now);
  }

  /**
   * A wake-up at once that is owed every tick not yet recorded, however old: local mode starting
   * (its queue starts empty) catches up on the ticks due while it was down.
   */
  async catchUp(now: number): Promise<void> {
    await this.send({ wakeUpAt: now, owedFrom: 0 }, now);
  }

  /** Tries a wake-up again in a second: the lease was held when it came. */
  async retry(message: WakeUpMessage, now: number): Promise<boolean> {
    if (now - message.wakeUpAt > wakeUpDefaults.retryWindowMs) return false;
    await this.queue.send(message, wakeUpDefaults.retryDelaySeconds);
    return true;
  }

  private async send(message: WakeUpMessage, now: number): Promise<void> {
    const delaySeconds = wakeUpDelaySeconds(message.wakeUpAt, now);
    await this.queue.send(message, delaySeconds);
    await this.jobs.rememberWakeUp({ at: message.wakeUpAt, arrivesAt: now + delaySeconds * 1000 });
  }
}
