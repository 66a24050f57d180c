export { startLocalAws, type LocalAws } from './start-local-aws.js';
export { defaultTaskDelays, type LocalAwsOptions, type RotationEvent, type RotationHandler, type TaskDelays } from './options.js';
export type { LocalAwsStats } from './stats.js';
export type { ImageBehavior, ImageBehaviorKind, ImageRule } from './faults.js';
export { capacityFailureReason } from './ecs/tasks.js';
