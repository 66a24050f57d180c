import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** The body of a dispatcher wake-up message: the instant (epoch ms) the leader must act. */
export interface WakeUpMessage {
  wakeUpAt: number;
  /**
   * Ticks from this instant on are owed to the woken pass; absent: from `wakeUpAt` (the pass
   * that armed it covered every earlier one). Local mode's start-up catch-up sends 0.
   */
  owedFrom?: number;
}

/** Where the dispatcher's precise wake-ups wait: a queue with per-message delays. */
export interface WakeUpQueue {
  send(message: WakeUpMessage, delaySeconds: number): Promise<void>;
}

export function parseWakeUpMessage(body: string): WakeUpMessage | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<WakeUpMessage>;
    if (!isInstant(parsed.wakeUpAt)) return undefined;
    if (parsed.owedFrom === undefined) return { wakeUpAt: parsed.wakeUpAt };
    return isInstant(parsed.owedFrom) ? { wakeUpAt: parsed.wakeUpAt, owedFrom: parsed.owedFrom } : undefined;
  } catch {
    return undefined;
  }
}

function isInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Wake-ups on SQS (DelaySeconds 0..900), delivered to the dispatcher by an event source mapping. */
export class SqsWakeUpQueue implements WakeUpQueue {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async send(message: WakeUpMessage, delaySeconds: number): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: delaySeconds }));
  }
}
