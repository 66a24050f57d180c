import type { Requeue, RequeueMessage } from '../aws/requeue.js';
import { requeueDelaySeconds } from '../aws/requeue.js';
import type { LocalBus } from './bus.js';

/** Local mode's requeue: the bus's delay queue in place of SQS, with SQS's message shape and cap. */
export class BusRequeue implements Requeue {
  constructor(private readonly bus: LocalBus, private readonly queue: string) {}

  async after(service: string, delayMs: number): Promise<void> {
    const body: RequeueMessage = { service };
    this.bus.sendMessage(this.queue, JSON.stringify(body), requeueDelaySeconds(delayMs));
  }
}
