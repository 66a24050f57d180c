import { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { ClientOptions } from '../aws/clients.js';
import { CorralMetrics } from './metrics.js';

export interface FunctionObservability {
  logger: Logger;
  metrics: CorralMetrics;
  /** Present only when AWS SDK calls are traced. */
  tracer?: Tracer;
  clientOptions: Pick<ClientOptions, 'capture'>;
}

/**
 * A Lambda function's logger, metrics and, when `CORRAL_TRACE_AWS_CALLS` is `true`, the
 * Powertools Tracer and the client option that puts each AWS call in the invocation's trace.
 * Built once per cold start by its entry (functions/<name>/index.ts).
 *
 * The Tracer is imported only then: it loads the X-Ray SDK (aws-xray-sdk-core, cls-hooked and
 * semver, about 125 KB of bundle), which costs about 20 ms of every cold start and hooks every
 * promise. Lambda's active tracing does not need it: Lambda and the API stage record each
 * request and invocation either way. Outside Lambda the Tracer is off even when imported
 * (Powertools checks AWS_EXECUTION_ENV).
 */
export async function functionObservability(serviceName: string): Promise<FunctionObservability> {
  const logger = new Logger({ serviceName });
  const metrics = new CorralMetrics({ logger });
  if (process.env.CORRAL_TRACE_AWS_CALLS === 'true') {
    // An `if` on the variable itself (trace-aws-calls.ts): esbuild, given its value, drops this
    // import when it is false; an early return before the import would not.
    const { Tracer } = await import('@aws-lambda-powertools/tracer');
    const tracer = new Tracer({ serviceName });
    return { logger, metrics, tracer, clientOptions: { capture: <T>(client: T): T => tracer.captureAWSv3Client(client) } };
  }
  return { logger, metrics, clientOptions: {} };
}
