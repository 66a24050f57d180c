import type { WakeUpMessage, WakeUpQueue } from '../aws/wake-up-queue.js';
import type { LocalBus } from './bus.js';

/** Local mode's wake-up queue: the bus's delay queue in place of SQS, with SQS's 0..900 s delays. */
export class BusWakeUpQueue implements WakeUpQueue {
  constructor(private readonly bus: LocalBus, private readonly queue: string) {}

  async send(message: WakeUpMessage, delaySeconds: number): Promise<void> {
    this.bus.sendMessage(this.queue, JSON.stringify(message), delaySeconds);
  }
}
