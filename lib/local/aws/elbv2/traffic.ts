import type { Clock, ClockTimer } from '../../../clock.js';
import { AwsError } from '../errors.js';
import type { TargetGroupTargets, TargetProbe, TargetRecord } from './target-health.js';

export interface TrafficSettings {
  targetGroupArn: string;
  requestsPerSecond: number;
  requestMs: number;
}

export interface TrafficFailure {
  /** ISO time the request was sent. */
  at: string;
  /** "ip:port", or "-" when there was no target to send to. */
  target: string;
  reason: string;
}

export interface TrafficReport extends TrafficSettings {
  sent: number;
  served: number;
  failed: number;
  /** Requests sent whose outcome is not known yet. */
  inFlight: number;
  /** The last 20 failures, oldest first. */
  failures: TrafficFailure[];
}

const keptFailures = 20;

/**
 * A synthetic client behind one target group that routes like an Application Load Balancer:
 * round robin over the `healthy` targets; when none is healthy, over every registered target that
 * is not draining (ALB fails open); never a new request to a draining target, while requests
 * already sent to it finish — unless draining ends first, which closes their connections.
 * A request is served only when the same task serves its target from the moment it is sent until
 * `requestMs` later; anything else (nothing listening yet, stopped or replaced task, a 5xx) fails.
 */
export class TrafficClient {
  private sent = 0;
  private served = 0;
  private failed = 0;
  private inFlight = 0;
  private readonly failures: TrafficFailure[] = [];
  private next = 0;
  private timer?: ClockTimer;
  private readonly pending = new Set<ClockTimer>();
  private readonly startedAt: number;

  constructor(
    readonly settings: TrafficSettings,
    private readonly clock: Clock,
    private readonly probe: TargetProbe,
    private readonly targets: () => TargetGroupTargets | undefined,
  ) {
    this.startedAt = clock.now();
    this.schedule(1);
  }

  report(): TrafficReport {
    return { ...this.settings, sent: this.sent, served: this.served, failed: this.failed, inFlight: this.inFlight, failures: [...this.failures] };
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    for (const timer of this.pending) this.clock.clearTimeout(timer);
    this.pending.clear();
    this.inFlight = 0;
  }

  /** Request n goes out at start + n / rate, so fractional intervals do not drift. */
  private schedule(n: number): void {
    const due = this.startedAt + (n * 1000) / this.settings.requestsPerSecond;
    this.timer = this.clock.setTimeout(() => {
      this.send();
      this.schedule(n + 1);
    }, due - this.clock.now());
  }

  private send(): void {
    this.sent++;
    const sentAt = this.clock.now();
    const target = this.pick();
    if (!target) {
      this.fail(sentAt, '-', 'no registered target (the load balancer answers 503)');
      return;
    }
    const name = `${target.id}:${target.port}`;
    const first = this.probe.check(target.id, target.port);
    if (!first.passes) {
      this.fail(sentAt, name, failureText(first.reason, first.statusCode));
      return;
    }
    this.inFlight++;
    const timer = this.clock.setTimeout(() => {
      this.pending.delete(timer);
      this.inFlight--;
      const registered = this.targets()?.find(target.id, target.port);
      const last = this.probe.check(target.id, target.port);
      if (registered !== target) this.fail(sentAt, name, 'connection closed: the target left the target group (draining ended)');
      else if (!last.passes) this.fail(sentAt, name, `${failureText(last.reason, last.statusCode)} before the response`);
      else if (last.taskId !== first.taskId) this.fail(sentAt, name, 'the task serving the request was replaced');
      else this.served++;
    }, this.settings.requestMs);
    this.pending.add(timer);
  }

  private pick(): TargetRecord | undefined {
    const registered = this.targets()?.all().filter((t) => t.state !== 'draining') ?? [];
    const healthy = registered.filter((t) => t.state === 'healthy');
    const pool = healthy.length > 0 ? healthy : registered;
    if (pool.length === 0) return undefined;
    return pool[this.next++ % pool.length];
  }

  private fail(sentAt: number, target: string, reason: string): void {
    this.failed++;
    this.failures.push({ at: new Date(sentAt).toISOString(), target, reason });
    if (this.failures.length > keptFailures) this.failures.shift();
  }
}

function failureText(reason: string, statusCode: number | undefined): string {
  return reason === 'Target.Timeout' ? 'connection timed out: nothing serves at the target' : `the target answered ${statusCode ?? 503}`;
}

/** Reads a `POST /_corral/traffic` body. */
export function readTrafficSettings(body: unknown): TrafficSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badTraffic('body must be a JSON object');
  const { targetGroupArn, requestsPerSecond = 10, requestMs = 50 } = body as Record<string, unknown>;
  if (typeof targetGroupArn !== 'string' || !targetGroupArn.startsWith('arn:')) throw badTraffic('targetGroupArn must be a target group ARN');
  if (typeof requestsPerSecond !== 'number' || !(requestsPerSecond > 0 && requestsPerSecond <= 1000)) {
    throw badTraffic('requestsPerSecond must be a number above 0 and at most 1000');
  }
  if (typeof requestMs !== 'number' || !(requestMs >= 0 && requestMs <= 60_000)) throw badTraffic('requestMs must be a number 0..60000');
  return { targetGroupArn, requestsPerSecond, requestMs };
}

export function badTraffic(message: string, status = 400): AwsError {
  return new AwsError('ValidationException', message, status);
}
