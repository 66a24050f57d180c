/**
 * The package's public entry: the `Corral` construct for your own CDK app, its props, the
 * one-command `CorralStack`/`createCorralApp`, the constructs for secrets Corral rotates, and
 * the metric contract (namespace, names, dimensions) its alarms and dashboard read.
 */
export { Corral } from './infra/corral.js';
export {
  CorralPropsError,
  type CorralAlarmThresholds,
  type CorralApiThrottling,
  type CorralFunctionName,
  type CorralProps,
} from './infra/corral-props.js';
export { CorralStack, type CorralStackProps } from './infra/corral-stack.js';
export { createCorralApp, type CorralAppOptions } from './infra/corral-app.js';
export { CorralContextError, contextKeys, type CorralContext } from './infra/corral-context.js';
export { CorralManagedSecret, type CorralManagedSecretProps } from './infra/corral-managed-secret.js';
export { CorralRotation, type AttachRotationOptions } from './infra/corral-rotation.js';
export { RotationScheduleError } from './infra/rotation-schedule.js';
export type { CorralApi } from './infra/corral-api.js';
export type { CorralFunction } from './infra/corral-function.js';
export type { CorralMonitoring } from './infra/corral-monitoring.js';
export type { CorralQueues } from './infra/corral-queues.js';
export type { CorralTable } from './infra/corral-table.js';
export type { TaskNetworking } from './infra/task-networking.js';
export type { TaskRoles } from './infra/task-roles.js';
export { jobRunOutcomes, metricDimension, metricNames, metricNamespace, metrics } from './observability/metric-names.js';
