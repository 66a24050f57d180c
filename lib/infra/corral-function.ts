import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { traceAwsCallsVariable } from '../observability/trace-aws-calls.js';
import { metricNamespace } from '../observability/metric-names.js';
import { lambdaBundleSettings } from './bundle-settings.js';
import { infraDefaults } from './defaults.js';
import { corralLogGroup, type LogSettings } from './log-settings.js';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';
import { bundlingRoot } from './project-paths.js';

export interface CorralFunctionProps {
  /** Short name: "api", "reconciler"...; also the Powertools service name suffix. */
  readonly name: string;
  /** Absolute path of the TypeScript entry exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment?: Record<string, string>;
  /** Retention, key and removal policy of the function's log group. */
  readonly logs: LogSettings;
  readonly reservedConcurrentExecutions?: number;
  /**
   * Adds each AWS SDK call to the invocation's trace (Powertools Tracer, which bundles and loads
   * the X-Ray SDK: about 125 KB and 20 ms of every cold start). Lambda traces the invocations
   * either way.
   * @default false (defaults.ts)
   */
  readonly traceAwsCalls?: boolean;
}

/**
 * A Corral Lambda: Node.js 24 on Graviton, bundled as minified ESM with source maps by the
 * local esbuild (never Docker), its own log group with a retention, and a role that may write
 * to that log group only (instead of the AWS managed AWSLambdaBasicExecutionRole, whose
 * `logs:*` on every group cdk-nag rightly flags). Tracing is active: Lambda samples and
 * starts each trace (or continues the caller's, such as API Gateway's) with the invocation's
 * init and run; with `traceAwsCalls`, Powertools Tracer adds the AWS SDK calls to it.
 */
export class CorralFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CorralFunctionProps) {
    super(scope, id);
    const traceAwsCalls = props.traceAwsCalls ?? infraDefaults.traceAwsCalls;
    const bundleSettings = lambdaBundleSettings({ traceAwsCalls });
    this.logGroup = corralLogGroup(this, 'Logs', props.logs);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Corral ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: lambda.Tracing.ACTIVE,
      ...bundlingRoot(),
      environment: {
        POWERTOOLS_SERVICE_NAME: `corral-${props.name}`,
        POWERTOOLS_LOG_LEVEL: infraDefaults.powertoolsLogLevel,
        POWERTOOLS_METRICS_NAMESPACE: metricNamespace,
        NODE_OPTIONS: '--enable-source-maps',
        // Also written into the bundle (lambdaBundleSettings); here for whoever reads the function's configuration.
        [traceAwsCallsVariable]: String(traceAwsCalls),
        ...props.environment,
      },
      bundling: {
        ...bundleSettings,
        format: OutputFormat.ESM,
        forceDockerBundling: false,
        externalModules: [],
      },
    });
    // Written by CDK for active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords).
    acknowledgeWildcardResource(
      this.role,
      '*',
      'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (X-Ray service authorization reference).',
    );
  }
}
