import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { servicesNamedBy } from '../../lib/reconciler/triggers.js';

const message = (body: unknown): SQSRecord => ({ body: typeof body === 'string' ? body : JSON.stringify(body) }) as SQSRecord;
const taskEvent = (startedBy: string | undefined, taskArn: string) => ({
  source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: { taskArn, lastStatus: 'RUNNING', ...(startedBy ? { startedBy } : {}) },
});

describe('the services a batch of queue messages names', () => {
  it('names each service once however many of its task events and requeues the batch holds', () => {
    const event: SQSEvent = {
      Records: [
        ...Array.from({ length: 10 }, (_, i) => message(taskEvent('corral/web', `arn:task/${i}`))),
        message(taskEvent('corral/api', 'arn:task/a')),
        message({ service: 'web' }),
        message(taskEvent('corral-job/nightly', 'arn:task/j')),
        message(taskEvent(undefined, 'arn:task/console')),
        message('not json'),
        message('null'),
      ],
    };
    expect(servicesNamedBy(event)).toEqual(['web', 'api']);
  });
});
