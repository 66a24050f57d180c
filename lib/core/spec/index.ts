export type { BodyValidation, FieldError, SpecValidation } from './field-error.js';
export { fargateSizeProblem } from './fargate-sizes.js';
export { validateJobSpec, type JobSpec } from './job-spec.js';
export { NAME_MAX_LENGTH, NAME_PATTERN, validateJobName, validateServiceName } from './names.js';
export {
  validatePromoteRequest,
  validateRollbackRequest,
  validateScaleRequest,
  type PromoteRequest,
  type RollbackRequest,
  type ScaleRequest,
} from './requests.js';
export {
  FAILURE_THRESHOLD_MAX,
  FAILURE_THRESHOLD_MIN,
  isLiteralZero,
  resolveRollout,
  type ResolvedRollout,
} from './rollout.js';
export {
  validateServiceSpec,
  type CountOrPercent,
  type HealthCheck,
  type LoadBalancer,
  type RolloutPolicy,
  type RolloutStrategy,
  type ServiceRegistry,
  type ServiceSpec,
} from './service-spec.js';
export { canonicalJson, templateHash, templateOf, type TaskTemplate, type TemplateSource } from './template.js';
export {
  allocateForRestart,
  allocateForSpec,
  describeChange,
  rollbackTo,
  undoTarget,
  type UndoTarget,
  type NewRevision,
  type RevisionAllocation,
  type RevisionPointers,
} from './revision-allocation.js';
