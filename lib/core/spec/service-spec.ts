import { cleanFields, hasField, taskSettingProblems, type IsClean } from './checks.js';
import { fieldPath, type FieldError, type SpecValidation } from './field-error.js';
import { cloneAsJson, isPlainObject } from './json-clone.js';
import { isLiteralZero } from './rollout.js';
import { validateServiceSpecSchema } from './generated/validators.js';
import { checkWith } from './schema-check.js';
import type { CanaryStep } from '../planner/canary.js';

/** A count of tasks (3) or a percentage of replicas ("25%"). */
export type CountOrPercent = number | `${number}%`;

export type RolloutStrategy = 'RollingUpdate' | 'Recreate' | 'Canary';

export interface HealthCheck {
  /** ["CMD-SHELL", "<shell command>"] or ["CMD", "<program>", ...args]. */
  command: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

export interface RolloutPolicy {
  strategy: RolloutStrategy;
  maxSurge: CountOrPercent;
  maxUnavailable: CountOrPercent;
  minHealthySeconds: number;
  progressDeadlineSeconds: number;
  /** Absent: derived from replicas by resolveRollout. */
  failureThreshold?: number;
  autoRollback: boolean;
  /** Canary only: setWeight and pause steps, in order. */
  steps?: CanaryStep[];
  /** CloudWatch alarm names gating every rollout; absent when none. */
  alarms?: string[];
}

/** A target group the service's tasks are registered with (target type ip); the port defaults to the spec's `port`. */
export interface LoadBalancer {
  targetGroupArn: string;
  containerPort?: number;
}

/** A Cloud Map service the tasks are registered in. */
export interface ServiceRegistry {
  registryArn: string;
}

/** A service spec as validated: every default filled, nothing unknown. */
export interface ServiceSpec {
  image: string;
  replicas: number;
  cpu: number;
  memory: number;
  command?: string[];
  environment: Record<string, string>;
  secrets: Record<string, string>;
  port?: number;
  healthCheck?: HealthCheck;
  rollout: RolloutPolicy;
  revisionHistoryLimit: number;
  /** Absent when empty, so specs written before traffic existed read back the same. */
  loadBalancers?: LoadBalancer[];
  serviceRegistries?: ServiceRegistry[];
}

/**
 * Validates a service spec a user sent and fills its defaults. Never throws and never mutates
 * `input`; every problem is reported with its field path.
 */
export function validateServiceSpec(input: unknown): SpecValidation<ServiceSpec> {
  const data = cloneAsJson(input);
  if (data === undefined) return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
  const memoryGiven = hasField(data, 'memory');
  const errors = checkWith(validateServiceSpecSchema, data);
  const isClean = cleanFields(errors);
  errors.push(...taskSettingProblems(data, isClean, memoryGiven), ...rolloutProblems(data, isClean), ...trafficProblems(data, isClean));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, spec: normalized(data as unknown as ServiceSpec) };
}

function rolloutProblems(data: unknown, isClean: IsClean): FieldError[] {
  if (!isPlainObject(data) || !isPlainObject(data.rollout)) return [];
  const rollout = data.rollout as unknown as RolloutPolicy;
  const problems: FieldError[] = [];
  if (
    isClean('rollout.maxSurge') &&
    isClean('rollout.maxUnavailable') &&
    isLiteralZero(rollout.maxSurge) &&
    isLiteralZero(rollout.maxUnavailable)
  ) {
    // Nothing could ever be replaced: no room above replicas and none below.
    problems.push({ field: 'rollout', message: 'maxSurge and maxUnavailable cannot both be 0' });
  }
  if (
    isClean('rollout.minHealthySeconds') &&
    isClean('rollout.progressDeadlineSeconds') &&
    rollout.progressDeadlineSeconds <= rollout.minHealthySeconds
  ) {
    // As Kubernetes requires of progressDeadlineSeconds and minReadySeconds: otherwise every
    // rollout would miss its deadline while its first task is still proving itself.
    problems.push({
      field: 'rollout.progressDeadlineSeconds',
      message: `must be greater than minHealthySeconds (${rollout.minHealthySeconds})`,
    });
  }
  problems.push(...canaryProblems(rollout, isClean));
  return problems;
}

/** Steps belong to Canary and Canary needs steps; a canary only grows, so no weight goes below an earlier one. */
function canaryProblems(rollout: RolloutPolicy, isClean: IsClean): FieldError[] {
  if (!isClean('rollout.strategy') || !isClean('rollout.steps')) return [];
  if (rollout.strategy !== 'Canary') {
    return rollout.steps === undefined ? [] : [{ field: 'rollout.steps', message: `is only for strategy Canary (strategy is ${rollout.strategy})` }];
  }
  if (rollout.steps === undefined) return [{ field: 'rollout.steps', message: 'is required when strategy is Canary' }];
  const problems: FieldError[] = [];
  let highest = 0;
  if (!Array.isArray(rollout.steps)) return [];
  rollout.steps.forEach((step: unknown, index) => {
    // Steps the schema refused are already reported; only well-formed weights are compared.
    if (!isPlainObject(step) || typeof step.setWeight !== 'number') return;
    if (step.setWeight < highest) {
      problems.push({ field: fieldPath(fieldPath('rollout.steps', index), 'setWeight'), message: `must not be below an earlier step's weight (${highest})` });
    }
    highest = Math.max(highest, step.setWeight);
  });
  return problems;
}

/** A load balancer needs a port to send to, and one target group listed twice would register each task twice. */
function trafficProblems(data: unknown, isClean: IsClean): FieldError[] {
  if (!isPlainObject(data) || !isClean('loadBalancers')) return [];
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  (data.loadBalancers as LoadBalancer[]).forEach((balancer, index) => {
    const at = fieldPath('loadBalancers', index);
    // An entry the schema refused (null, a string) has already been reported.
    if (!isClean(at)) return;
    if (balancer.containerPort === undefined && (data.port === undefined || !isClean('port'))) {
      problems.push({ field: fieldPath(at, 'containerPort'), message: 'is required when the spec has no port' });
    }
    if (seen.has(balancer.targetGroupArn)) problems.push({ field: fieldPath(at, 'targetGroupArn'), message: 'is listed more than once' });
    seen.add(balancer.targetGroupArn);
  });
  return problems;
}

/** Rebuilds the spec in a fixed key order, leaving out absent optional fields. */
function normalized(spec: ServiceSpec): ServiceSpec {
  const { rollout } = spec;
  return {
    image: spec.image,
    replicas: spec.replicas,
    cpu: spec.cpu,
    memory: spec.memory,
    ...(spec.command === undefined ? {} : { command: [...spec.command] }),
    environment: Object.fromEntries(Object.entries(spec.environment)),
    secrets: Object.fromEntries(Object.entries(spec.secrets)),
    ...(spec.port === undefined ? {} : { port: spec.port }),
    ...(spec.healthCheck === undefined
      ? {}
      : {
          healthCheck: {
            command: [...spec.healthCheck.command],
            intervalSeconds: spec.healthCheck.intervalSeconds,
            timeoutSeconds: spec.healthCheck.timeoutSeconds,
            retries: spec.healthCheck.retries,
            startPeriodSeconds: spec.healthCheck.startPeriodSeconds,
          },
        }),
    rollout: {
      strategy: rollout.strategy,
      maxSurge: rollout.maxSurge,
      maxUnavailable: rollout.maxUnavailable,
      minHealthySeconds: rollout.minHealthySeconds,
      progressDeadlineSeconds: rollout.progressDeadlineSeconds,
      ...(rollout.failureThreshold === undefined ? {} : { failureThreshold: rollout.failureThreshold }),
      autoRollback: rollout.autoRollback,
      ...(rollout.steps === undefined
        ? {}
        : { steps: rollout.steps.map((step) => ('setWeight' in step ? { setWeight: step.setWeight } : { pause: { ...step.pause } })) }),
      ...(rollout.alarms?.length ? { alarms: [...rollout.alarms] } : {}),
    },
    revisionHistoryLimit: spec.revisionHistoryLimit,
    ...(spec.loadBalancers?.length
      ? {
          loadBalancers: spec.loadBalancers.map((b) => ({
            targetGroupArn: b.targetGroupArn,
            ...(b.containerPort === undefined ? {} : { containerPort: b.containerPort }),
          })),
        }
      : {}),
    ...(spec.serviceRegistries?.length ? { serviceRegistries: spec.serviceRegistries.map((r) => ({ registryArn: r.registryArn })) } : {}),
  };
}
