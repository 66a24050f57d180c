/** Request counters for benchmarks and tests: how many ECS calls a run cost, how many were throttled. */
export interface LocalAwsStats {
  ecsCalls: number;
  throttled: number;
  /** Requests per operation, keyed "service:Operation", e.g. "ecs:RunTask" (throttled ones included). */
  byOperation: Record<string, number>;
}

export class StatsCounter {
  private current: LocalAwsStats = emptyStats();

  record(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.current.byOperation[key] = (this.current.byOperation[key] ?? 0) + 1;
    if (service === 'ecs') this.current.ecsCalls++;
  }

  recordThrottled(): void {
    this.current.throttled++;
  }

  snapshot(): LocalAwsStats {
    return { ...this.current, byOperation: { ...this.current.byOperation } };
  }

  reset(): void {
    this.current = emptyStats();
  }
}

function emptyStats(): LocalAwsStats {
  return { ecsCalls: 0, throttled: 0, byOperation: {} };
}
