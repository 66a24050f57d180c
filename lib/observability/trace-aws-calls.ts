/**
 * The environment variable that turns on AWS SDK call tracing in the functions (the construct's
 * `traceAwsCalls`, as `true` or `false`). The bundler also writes its value into the code
 * (lib/infra/bundle-settings.ts), so a bundle built with `false` carries no X-Ray SDK at all.
 */
export const traceAwsCallsVariable = 'CORRAL_TRACE_AWS_CALLS';
