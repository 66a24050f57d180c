import type { Clock, ClockTimer } from '../../../clock.js';
import { drainingMs, type TargetGroupRecord } from './target-group.js';

/** What one health check of `ip:port` finds, from whatever runs at that address (lib/local/aws/ecs/task-endpoints.ts). */
export type ProbeResult =
  | { passes: true; taskId: string }
  | { passes: false; reason: 'Target.Timeout' | 'Target.ResponseCodeMismatch'; statusCode?: number; taskId?: string };

export interface TargetProbe {
  check(ip: string, port: number): ProbeResult;
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export interface TargetRecord {
  id: string;
  port: number;
  availabilityZone?: string;
  state: TargetState;
  reason?: string;
  description?: string;
  /** Consecutive passing and failing checks, reset by the other kind. */
  passes: number;
  failures: number;
  /** The next health check, or the end of draining. */
  timer?: ClockTimer;
}

const descriptions: Record<string, string> = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Target.Timeout': 'Request timed out',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.NotRegistered': 'Target is not registered to the target group',
};

/**
 * The targets of one target group and their health, following the group's health check the way
 * an Application Load Balancer does (every local target group acts as if a listener forwarded to it):
 *
 * - registered → `initial` (`Elb.RegistrationInProgress`); the first check runs one interval
 *   later, then `Elb.InitialHealthChecking` until `HealthyThresholdCount` consecutive passes make it
 *   `healthy` or `UnhealthyThresholdCount` consecutive failures make it `unhealthy`;
 * - checks go on every interval: a healthy target turns unhealthy after the unhealthy threshold of
 *   failures in a row, an unhealthy one healthy after the healthy threshold of passes;
 * - deregistered → `draining` (`Target.DeregistrationInProgress`) for the group's
 *   `deregistration_delay.timeout_seconds`, then gone (`unused`, `Target.NotRegistered`).
 *
 * Worked example, interval 5 s, healthy threshold 2, a task serving from registration: checks at
 * 5 s and 10 s pass → healthy 10 s after RegisterTargets. Stopped at 30 s without deregistering,
 * unhealthy threshold 2: checks at 35 s and 40 s time out → unhealthy at 40 s.
 */
export class TargetGroupTargets {
  private readonly targets = new Map<string, TargetRecord>();

  constructor(
    private readonly group: TargetGroupRecord,
    private readonly clock: Clock,
    private readonly probe: TargetProbe,
  ) {}

  static key(id: string, port: number): string {
    return `${id}:${port}`;
  }

  register(id: string, port: number, availabilityZone?: string): void {
    const existing = this.targets.get(TargetGroupTargets.key(id, port));
    if (existing && existing.state !== 'draining') return;
    if (existing?.timer) this.clock.clearTimeout(existing.timer);
    const target: TargetRecord = { id, port, availabilityZone, state: 'initial', passes: 0, failures: 0 };
    this.setState(target, 'initial', 'Elb.RegistrationInProgress');
    this.targets.set(TargetGroupTargets.key(id, port), target);
    this.scheduleCheck(target);
  }

  /** Starts draining a registered target; one not registered (or already draining) is left as it is. */
  deregister(id: string, port: number): void {
    const key = TargetGroupTargets.key(id, port);
    const target = this.targets.get(key);
    if (!target || target.state === 'draining') return;
    if (target.timer) this.clock.clearTimeout(target.timer);
    this.setState(target, 'draining', 'Target.DeregistrationInProgress');
    const delay = drainingMs(this.group);
    if (delay === 0) {
      this.targets.delete(key);
      return;
    }
    target.timer = this.clock.setTimeout(() => this.targets.delete(key), delay);
  }

  find(id: string, port: number): TargetRecord | undefined {
    return this.targets.get(TargetGroupTargets.key(id, port));
  }

  all(): TargetRecord[] {
    return [...this.targets.values()];
  }

  count(): number {
    return this.targets.size;
  }

  /** DeleteTargetGroup: the targets go with it, timers included. */
  clear(): void {
    for (const target of this.targets.values()) if (target.timer) this.clock.clearTimeout(target.timer);
    this.targets.clear();
  }

  private scheduleCheck(target: TargetRecord): void {
    target.timer = this.clock.setTimeout(() => this.check(target), this.group.healthCheck.intervalSeconds * 1000);
  }

  private check(target: TargetRecord): void {
    const result = this.probe.check(target.id, target.port);
    const { healthyThreshold, unhealthyThreshold } = this.group.healthCheck;
    if (result.passes) {
      target.passes++;
      target.failures = 0;
    } else {
      target.failures++;
      target.passes = 0;
    }
    if (result.passes && target.state !== 'healthy' && target.passes >= healthyThreshold) {
      this.setState(target, 'healthy');
    } else if (!result.passes && target.state !== 'unhealthy' && target.failures >= unhealthyThreshold) {
      this.setState(target, 'unhealthy', result.reason, result.statusCode);
    } else if (target.state === 'initial') {
      this.setState(target, 'initial', 'Elb.InitialHealthChecking');
    }
    this.scheduleCheck(target);
  }

  private setState(target: TargetRecord, state: TargetState, reason?: string, statusCode?: number): void {
    target.state = state;
    target.reason = reason;
    target.description =
      reason === 'Target.ResponseCodeMismatch' ? `Health checks failed with these codes: [${statusCode ?? 503}]` : reason && descriptions[reason];
  }
}

/** A target's health as DescribeTargetHealth answers it (`unused` for one that is not registered). */
export function targetHealthView(group: TargetGroupRecord, id: string, port: number, target: TargetRecord | undefined): Record<string, unknown> {
  const health = target
    ? { State: target.state, Reason: target.reason, Description: target.description }
    : { State: 'unused', Reason: 'Target.NotRegistered', Description: descriptions['Target.NotRegistered'] };
  return {
    Target: { Id: id, Port: port, AvailabilityZone: target?.availabilityZone },
    HealthCheckPort: group.healthCheck.port === 'traffic-port' ? String(port) : group.healthCheck.port,
    TargetHealth: health,
  };
}
