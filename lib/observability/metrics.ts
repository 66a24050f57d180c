import { Metrics } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { metricNamespace, metrics as definitions, type JobRunOutcome, type MetricName, type MetricUnitName } from './metric-names.js';

/** The dimension values a datapoint may name; which ones a metric uses is in metric-names.ts. */
export interface MetricDimensions {
  /** The Corral service's name. */
  service?: string;
  job?: string;
  outcome?: JobRunOutcome;
}

/** What the shell records metrics through: the facts a reconcile, a job run or a rotation produced. */
export interface MetricsRecorder {
  add(name: MetricName, value: number, dimensions?: MetricDimensions): void;
}

export type DiagnosticsLogger = Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;

/** Where EMF documents go instead of stdout: local mode's sink, tests. */
export type EmfSink = (document: EmfOutput) => void;

export interface CorralMetricsOptions {
  /** Powertools' own diagnostics (an invalid dimension, say); the console by default. */
  logger?: DiagnosticsLogger;
  /** Hand each EMF document here instead of writing it to stdout, where Lambda sends it to CloudWatch. */
  sink?: EmfSink;
}

interface Definition {
  unit: MetricUnitName;
  always?: readonly (keyof MetricDimensions)[];
  per?: keyof MetricDimensions;
}

/**
 * Corral's metrics on Powertools Metrics (EMF), namespace `Corral`. Powertools puts a default
 * `service` dimension (the function's name) on every series; here `service` means a Corral service,
 * so the default is cleared and each datapoint goes out as metric-names.ts says:
 *
 *   add('RolloutCompleted', 1, { service: 'web' })
 *     → buffered in `powertools` under the dimension sets [[]] (the aggregate), published once per
 *       invocation by logMetrics(metrics.powertools) in the handler's middy chain;
 *     → and at once a document with the dimension sets [["service"]] and service = "web".
 *   add('JobRuns', 1, { outcome: 'Missed', job: 'nightly' })
 *     → at once a document with [["outcome"], ["outcome", "job"]]: a metric that always carries a
 *       dimension cannot share the aggregate document, whose series have none.
 *
 * A document per per-service datapoint, because an EMF document holds one value per dimension
 * and one invocation reconciles many services.
 */
export class CorralMetrics implements MetricsRecorder {
  /** The function's buffer of aggregate datapoints; the logMetrics middleware publishes it. */
  readonly powertools: Metrics;
  private readonly diagnostics: DiagnosticsLogger;

  constructor(private readonly options: CorralMetricsOptions = {}) {
    const logger = options.logger ?? console;
    // An invocation that recorded nothing (most API requests) is normal here, not worth a warning.
    this.diagnostics = {
      debug: (...args) => logger.debug(...args),
      info: (...args) => logger.info(...args),
      error: (...args) => logger.error(...args),
      warn: (...args) => (String(args[0]).startsWith('No application metrics to publish') ? undefined : logger.warn(...args)),
    };
    this.powertools = this.document(false);
  }

  add(name: MetricName, value: number, dimensions: MetricDimensions = {}): void {
    const definition: Definition = definitions[name];
    const always: Record<string, string> = {};
    for (const key of definition.always ?? []) {
      const dimension = dimensions[key];
      if (dimension === undefined) throw new RangeError(`metric ${name} needs the dimension ${key}`);
      always[key] = dimension;
    }
    const perValue = definition.per === undefined ? undefined : dimensions[definition.per];

    if (definition.always === undefined) {
      // The empty dimension set, explicitly: the series with no dimensions at all.
      if (!this.powertools.hasStoredMetrics()) this.powertools.addDimensions({});
      this.powertools.addMetric(name, definition.unit, value);
      if (perValue === undefined) return;
    }
    const single = this.document(true);
    // What every set of the document carries (JobRuns' outcome); each set adds its own.
    single.setDefaultDimensions(always);
    if (definition.always !== undefined) single.addDimensions({});
    if (perValue !== undefined) single.addDimensions({ [definition.per!]: perValue });
    single.addMetric(name, definition.unit, value);
  }

  /** A Powertools instance without the default `service` dimension, writing to the sink if there is one. */
  private document(single: boolean): Metrics {
    const options = { namespace: metricNamespace, singleMetric: single, logger: this.diagnostics };
    const document = this.options.sink ? new SinkMetrics(this.options.sink, options) : new Metrics(options);
    document.clearDefaultDimensions();
    return document;
  }
}

/** Powertools Metrics whose documents go to a sink rather than stdout; built and validated the same way. */
class SinkMetrics extends Metrics {
  constructor(
    private readonly sink: EmfSink,
    options: ConstructorParameters<typeof Metrics>[0],
  ) {
    super(options);
  }

  override publishStoredMetrics(): this {
    try {
      if (this.hasStoredMetrics() && !this.isDisabled()) this.sink(this.serializeMetrics());
    } finally {
      this.clearMetrics();
      this.clearDimensions();
      this.clearMetadata();
    }
    return this;
  }
}
