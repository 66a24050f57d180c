import { AwsError } from './errors.js';

/** How tasks of matching images behave, set through `POST /_corral/images`. */
/** `target-unhealthy`: the container's own health check passes, the load balancer's fails (the app answers 503). */
export type ImageBehaviorKind = 'healthy' | 'unhealthy' | 'crash' | 'exit' | 'slow-start' | 'pull-error' | 'target-unhealthy';

export interface ImageBehavior {
  behavior: ImageBehaviorKind;
  /** crash/exit: seconds RUNNING before the container exits; slow-start: extra PENDING seconds;
   *  unhealthy: seconds the health check passes before it starts failing (default: fails at once). */
  afterSeconds?: number;
  /** crash/exit: the container's exit code. */
  exitCode?: number;
}

export interface ImageRule extends ImageBehavior {
  /** An image name ("repo:tag") or a glob where `*` matches any run of characters. */
  image: string;
}

/** Defaults where a rule leaves a field out. */
export const imageBehaviorDefaults = {
  crash: { afterSeconds: 5, exitCode: 1 },
  exit: { afterSeconds: 5, exitCode: 0 },
  slowStart: { afterSeconds: 30 },
} as const;

export type EcsRateLimitsSetting = 'aws' | 'off';

export interface FaultSettings {
  throttle: number;
  runTaskFailure: number;
  ecsRateLimits: EcsRateLimitsSetting;
}

const behaviors: readonly ImageBehaviorKind[] = ['healthy', 'unhealthy', 'crash', 'exit', 'slow-start', 'pull-error', 'target-unhealthy'];

/**
 * The fault settings of the endpoint. Image rules apply to tasks launched after they are set; the
 * latest rule matching an image wins, so a later, broader rule overrides an earlier one.
 */
export class FaultControls {
  private rules: ImageRule[] = [];
  throttle = 0;
  /** Share of tasks in a RunTask call that come back in `failures[]` (capacity unavailable). */
  runTaskFailure = 0;
  /** `aws`: ECS calls meet ECS's documented token buckets (lib/local/aws/ecs/rate-limits.ts). */
  ecsRateLimits: EcsRateLimitsSetting = 'off';

  setImageRule(input: unknown): ImageRule {
    const body = asObject(input);
    const image = body.image;
    const behavior = body.behavior;
    if (typeof image !== 'string' || image === '') throw badControl('image must be a non-empty string');
    if (typeof behavior !== 'string' || !behaviors.includes(behavior as ImageBehaviorKind)) {
      throw badControl(`behavior must be one of ${behaviors.join(', ')}`);
    }
    const rule: ImageRule = { image, behavior: behavior as ImageBehaviorKind };
    if (body.afterSeconds !== undefined) rule.afterSeconds = nonNegative(body.afterSeconds, 'afterSeconds');
    if (body.exitCode !== undefined) {
      if (!Number.isInteger(body.exitCode) || (body.exitCode as number) < 0 || (body.exitCode as number) > 255) {
        throw badControl('exitCode must be an integer 0..255');
      }
      rule.exitCode = body.exitCode as number;
    }
    this.rules = this.rules.filter((r) => r.image !== image);
    this.rules.push(rule);
    return rule;
  }

  listImageRules(): ImageRule[] {
    return [...this.rules];
  }

  setFaults(input: unknown): FaultSettings {
    const body = asObject(input);
    const ecsRateLimits = body.ecsRateLimits;
    if (ecsRateLimits !== undefined && ecsRateLimits !== 'aws' && ecsRateLimits !== 'off') throw badControl('ecsRateLimits must be "aws" or "off"');
    if (body.throttle !== undefined) this.throttle = share(body.throttle, 'throttle');
    if (body.runTaskFailure !== undefined) this.runTaskFailure = share(body.runTaskFailure, 'runTaskFailure');
    if (ecsRateLimits !== undefined) this.ecsRateLimits = ecsRateLimits;
    return this.settings();
  }

  settings(): FaultSettings {
    return { throttle: this.throttle, runTaskFailure: this.runTaskFailure, ecsRateLimits: this.ecsRateLimits };
  }

  behaviorOf(image: string): ImageBehavior {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      if (globMatches(this.rules[i].image, image)) return this.rules[i];
    }
    return { behavior: 'healthy' };
  }
}

export function globMatches(glob: string, value: string): boolean {
  const pattern = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(value);
}

function asObject(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badControl('body must be a JSON object');
  return input as Record<string, unknown>;
}

function share(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw badControl(`${field} must be a number 0..1`);
  return value;
}

function nonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0)) throw badControl(`${field} must be a non-negative number`);
  return value;
}

function badControl(message: string): AwsError {
  return new AwsError('ValidationException', message);
}
