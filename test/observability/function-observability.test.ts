import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captured } from '../../lib/aws/clients.js';
import { functionObservability } from '../../lib/observability/function-observability.js';

const middlewareOf = (client: SQSClient) => client.middlewareStack.identify().join('\n');

describe('the Lambda entries\' tracer', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is absent unless CORRAL_TRACE_AWS_CALLS is true: clients are left as they are, even in Lambda', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    for (const value of [undefined, 'false', 'TRUE']) {
      vi.stubEnv('CORRAL_TRACE_AWS_CALLS', value);
      const { tracer, clientOptions } = await functionObservability('corral-reconciler');
      const client = new SQSClient({ region: 'us-east-1' });
      const before = middlewareOf(client);
      expect(tracer).toBeUndefined();
      expect(captured(clientOptions, client)).toBe(client);
      expect(middlewareOf(client)).toBe(before);
    }
  });

  it('with CORRAL_TRACE_AWS_CALLS=true is off outside Lambda (local mode, tests, no X-Ray daemon)', async () => {
    vi.stubEnv('CORRAL_TRACE_AWS_CALLS', 'true');
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    const { tracer, clientOptions } = await functionObservability('corral-reconciler');
    const client = new SQSClient({ region: 'us-east-1' });
    const before = middlewareOf(client);
    expect(tracer?.isTracingEnabled()).toBe(false);
    expect(captured(clientOptions, client)).toBe(client);
    expect(middlewareOf(client)).toBe(before);
  });

  it('with CORRAL_TRACE_AWS_CALLS=true in Lambda, puts each SDK call of a client built with its options in the trace', async () => {
    vi.stubEnv('CORRAL_TRACE_AWS_CALLS', 'true');
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    const { tracer, clientOptions } = await functionObservability('corral-reconciler');
    const client = new SQSClient({ region: 'us-east-1' });
    const before = middlewareOf(client);
    expect(tracer?.isTracingEnabled()).toBe(true);
    captured(clientOptions, client);
    expect(middlewareOf(client)).not.toBe(before);
    expect(middlewareOf(client)).toMatch(/XRay/i);
  });
});
