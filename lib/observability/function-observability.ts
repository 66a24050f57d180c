import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { CorralMetrics } from './metrics.js';

/**
 * A Lambda function's logger, metrics and tracer, built once per cold start by its entry
 * (functions/<name>/index.ts), and the client option that puts its AWS calls in the trace.
 * Only the entries import this: the Tracer loads the X-Ray SDK, which hooks every promise, so
 * local mode and the tests, which never trace, leave it out. Outside Lambda the Tracer is off
 * anyway (Powertools checks AWS_EXECUTION_ENV).
 */
export function functionObservability(serviceName: string) {
  const logger = new Logger({ serviceName });
  const tracer = new Tracer({ serviceName });
  return {
    logger,
    metrics: new CorralMetrics({ logger }),
    tracer,
    clientOptions: { capture: <T>(client: T): T => tracer.captureAWSv3Client(client) },
  };
}
