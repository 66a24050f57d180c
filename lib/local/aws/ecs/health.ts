/** A container health check in seconds, as in the task definition (with ECS's defaults applied). */
export interface HealthCheckTiming {
  interval: number;
  timeout: number;
  retries: number;
  startPeriod: number;
}

export const healthCheckDefaults: HealthCheckTiming = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 };

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface HealthTransition {
  /** Milliseconds after the container started. */
  afterMs: number;
  status: 'HEALTHY' | 'UNHEALTHY';
}

/**
 * When a container's health changes, following Docker's rules that ECS uses: the first probe runs
 * `interval` after start and then every `interval`; a passing probe makes it HEALTHY; `retries`
 * consecutive failing probes make it UNHEALTHY; failures inside `startPeriod` do not count unless a
 * probe has already passed. `failsAfterSeconds` says from when the probes fail (undefined: never).
 *
 * Worked example, interval 30, retries 3, startPeriod 40, failing from the start: probes at 30 s
 * (inside the start period, not counted), 60, 90, 120 → UNHEALTHY at 120 s.
 * Same check, failing from 45 s: probe at 30 s passes → HEALTHY at 30 s; 60, 90, 120 fail →
 * UNHEALTHY at 120 s.
 */
export function healthTimeline(check: HealthCheckTiming, failsAfterSeconds: number | undefined): HealthTransition[] {
  const transitions: HealthTransition[] = [];
  let started = false;
  let failures = 0;
  for (let probe = 1; ; probe++) {
    const at = probe * check.interval;
    const passes = failsAfterSeconds === undefined || at < failsAfterSeconds;
    if (passes) {
      if (!started) transitions.push({ afterMs: at * 1000, status: 'HEALTHY' });
      started = true;
      failures = 0;
      if (failsAfterSeconds === undefined) return transitions;
      continue;
    }
    if (started || at >= check.startPeriod) failures++;
    if (failures >= check.retries) {
      transitions.push({ afterMs: at * 1000, status: 'UNHEALTHY' });
      return transitions;
    }
  }
}

/**
 * The task's health from its essential containers' (those with a health check): UNHEALTHY if any
 * is, HEALTHY if all are, otherwise (or with no checks at all) UNKNOWN.
 */
export function taskHealth(containers: { essential: boolean; hasHealthCheck: boolean; healthStatus: HealthStatus }[]): HealthStatus {
  const checked = containers.filter((c) => c.essential && c.hasHealthCheck);
  if (checked.length === 0) return 'UNKNOWN';
  if (checked.some((c) => c.healthStatus === 'UNHEALTHY')) return 'UNHEALTHY';
  if (checked.every((c) => c.healthStatus === 'HEALTHY')) return 'HEALTHY';
  return 'UNKNOWN';
}
