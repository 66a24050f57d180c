import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Asks for a service to be reconciled again after a delay (a health gate, a backoff). */
export interface Requeue {
  after(service: string, delayMs: number): Promise<void>;
}

/** SQS caps a message's delay at 15 minutes; a longer wait is re-planned when it arrives. */
export const maxRequeueDelaySeconds = 900;

export function requeueDelaySeconds(delayMs: number): number {
  return Math.min(maxRequeueDelaySeconds, Math.max(0, Math.ceil(delayMs / 1000)));
}

export interface RequeueMessage {
  service: string;
}

/**
 * The requeue on SQS with per-message DelaySeconds: precise to the second, durable, retried by
 * the event source mapping, and one message per wait rather than a poll of every service.
 */
export class SqsRequeue implements Requeue {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async after(service: string, delayMs: number): Promise<void> {
    const body: RequeueMessage = { service };
    await this.sqs.send(new SendMessageCommand({
      QueueUrl: this.queueUrl,
      MessageBody: JSON.stringify(body),
      DelaySeconds: requeueDelaySeconds(delayMs),
    }));
  }
}
