import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { CorralMetrics, type DiagnosticsLogger } from '../observability/metrics.js';

/** One value of one series, as CloudWatch would extract it from an EMF document. */
export interface MetricDatapoint {
  name: string;
  unit: string;
  value: number;
  /** The series' dimensions: {} for the aggregate, { service: 'web' } for a service's. */
  dimensions: Record<string, string>;
}

/**
 * Local mode's CloudWatch: every function's metrics go here as the EMF documents Powertools
 * builds, instead of to stdout. With a `print` (local mode at `--log-level DEBUG`), each metric
 * of each document is printed as one line:
 *
 *   metric RolloutCompleted 1 Count service=web
 *   metric ReconcileDuration 12.5,3.1 Milliseconds (aggregate)
 *
 * Tests count datapoints by series with `sum` and read the documents themselves.
 */
export class LocalMetrics {
  readonly documents: EmfOutput[] = [];
  private readonly functions: CorralMetrics[] = [];

  constructor(private readonly print?: (line: string) => void) {}

  /** A function's metrics, publishing here. */
  forFunction(logger?: DiagnosticsLogger): CorralMetrics {
    const metrics = new CorralMetrics({ sink: (document) => this.receive(document), ...(logger ? { logger } : {}) });
    this.functions.push(metrics);
    return metrics;
  }

  /** Publishes what the functions have buffered, as their handlers' middleware does at the end of an invocation. */
  flush(): void {
    for (const metrics of this.functions) metrics.powertools.publishStoredMetrics();
  }

  /** Every datapoint of every document: a value for each of its metrics in each of its dimension sets. */
  datapoints(): MetricDatapoint[] {
    return this.documents.flatMap(datapointsOf);
  }

  /** The sum of the values of one series: `dimensions` names exactly its dimensions ({} for the aggregate). */
  sum(name: string, dimensions: Record<string, string> = {}): number {
    const key = seriesKey(dimensions);
    return this.datapoints()
      .filter((d) => d.name === name && seriesKey(d.dimensions) === key)
      .reduce((sum, d) => sum + d.value, 0);
  }

  clear(): void {
    this.documents.length = 0;
  }

  private receive(document: EmfOutput): void {
    this.documents.push(document);
    if (!this.print) return;
    for (const directive of document._aws.CloudWatchMetrics) {
      for (const { Name, Unit } of directive.Metrics) {
        const values = ([] as number[]).concat(document[Name] as number | number[]).map((v) => (Number.isInteger(v) ? v : v.toFixed(1))).join(',');
        for (const set of directive.Dimensions) {
          const dimensions = set.map((key) => `${key}=${String(document[key])}`).join(' ') || '(aggregate)';
          this.print(`metric ${Name} ${values} ${Unit} ${dimensions}`);
        }
      }
    }
  }
}

function datapointsOf(document: EmfOutput): MetricDatapoint[] {
  return document._aws.CloudWatchMetrics.flatMap((directive) =>
    directive.Metrics.flatMap(({ Name, Unit }) => {
      const values = ([] as number[]).concat(document[Name] as number | number[]);
      return directive.Dimensions.flatMap((set) => {
        const dimensions = Object.fromEntries(set.map((key) => [key, String(document[key])]));
        return values.map((value) => ({ name: Name, unit: Unit ?? 'None', value, dimensions }));
      });
    }),
  );
}

function seriesKey(dimensions: Record<string, string>): string {
  return JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
}
