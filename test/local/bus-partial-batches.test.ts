import type { DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, test } from 'vitest';
import { LocalBus } from '../../lib/local/bus.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';

const record = (n: number): DynamoDBRecord => ({ eventName: 'MODIFY', dynamodb: { SequenceNumber: String(n) } });

describe('LocalBus honours batchItemFailures (ReportBatchItemFailures)', () => {
  test('a stream batch is retried from the first failed record on, the records before it are done', async () => {
    const clock = new VirtualClock();
    const bus = new LocalBus({ clock, log: () => undefined, streamRetryBaseMs: 1_000 });
    const deliveries: string[][] = [];
    let failSeven = true;
    bus.addStreamTarget('corral', (event: DynamoDBStreamEvent) => {
      const numbers = event.Records.map((r) => r.dynamodb!.SequenceNumber!);
      deliveries.push(numbers);
      if (!failSeven || !numbers.includes('7')) return { batchItemFailures: [] };
      failSeven = false;
      return { batchItemFailures: [{ itemIdentifier: '7' }] };
    });
    for (let n = 1; n <= 10; n++) bus.publishStreamRecord('corral', record(n));
    await bus.runFor(clock, 5_000);
    expect(deliveries).toEqual([
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
      ['7', '8', '9', '10'],
    ]);
  });

  test('a queue message reported as failed is redelivered; one reported done is not', async () => {
    const clock = new VirtualClock();
    const bus = new LocalBus({ clock, log: () => undefined, asyncRetryDelaysMs: [1_000] });
    const bodies: string[] = [];
    let refuse = true;
    bus.addQueueTarget('requeue', (event: SQSEvent) => {
      const [message] = event.Records;
      bodies.push(message.body);
      const failed = refuse && message.body === 'bad';
      if (message.body === 'bad') refuse = false;
      return { batchItemFailures: failed ? [{ itemIdentifier: message.messageId }] : [] };
    });
    bus.sendMessage('requeue', 'good');
    bus.sendMessage('requeue', 'bad');
    await bus.runFor(clock, 5_000);
    expect(bodies.sort()).toEqual(['bad', 'bad', 'good']);
  });
});
