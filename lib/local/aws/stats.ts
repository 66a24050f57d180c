/** Request counters for users, benchmarks and tests: what a run cost, by operation, and how much was throttled. */
export interface LocalAwsStats {
  throttled: number;
  /** Requests per operation, keyed "service:Operation", e.g. "ecs:RunTask" (throttled ones included). */
  byOperation: Record<string, number>;
}

export class StatsCounter {
  private current: LocalAwsStats = emptyStats();

  record(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.current.byOperation[key] = (this.current.byOperation[key] ?? 0) + 1;
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
  return { throttled: 0, byOperation: {} };
}
