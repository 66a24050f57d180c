import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { functionObservability } from '../../lib/observability/function-observability.js';

const middlewareOf = (client: SQSClient) => client.middlewareStack.identify().join('\n');

describe('the Lambda entries\' tracer', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is off outside Lambda: clients are left as they are (local mode, tests, no X-Ray daemon)', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    const { tracer, clientOptions } = functionObservability('corral-reconciler');
    const client = new SQSClient({ region: 'us-east-1' });
    const before = middlewareOf(client);
    expect(tracer.isTracingEnabled()).toBe(false);
    expect(clientOptions.capture(client)).toBe(client);
    expect(middlewareOf(client)).toBe(before);
  });

  it('in Lambda, puts each SDK call of a client built with its options in the trace', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    const { tracer, clientOptions } = functionObservability('corral-reconciler');
    const client = new SQSClient({ region: 'us-east-1' });
    const before = middlewareOf(client);
    expect(tracer.isTracingEnabled()).toBe(true);
    clientOptions.capture(client);
    expect(middlewareOf(client)).not.toBe(before);
    expect(middlewareOf(client)).toMatch(/XRay/i);
  });
});
