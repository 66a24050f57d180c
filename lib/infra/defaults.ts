import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_ALARM_NAME_PREFIX } from '../core/planner/defaults.js';

/**
 * Every tunable of the stack in one place. The numbers follow from how the functions behave:
 * the reconciler is short-lived and event-driven, the requeue queue carries delays of up to
 * 15 minutes (SQS's DelaySeconds limit), and the API is a low-traffic control plane.
 */
export const infraDefaults = {
  /**
   * Alarms a rollout may be gated on start with this (`-c corral:alarmNamePrefix=...`; '' allows
   * any): the functions may read only those alarms, and the API refuses other names.
   */
  alarmNamePrefix: DEFAULT_ALARM_NAME_PREFIX,
  /** Log group names of the services' tasks: `<prefix><service>`. */
  serviceLogGroupPrefix: '/corral/services/',
  logRetention: RetentionDays.ONE_MONTH,
  powertoolsLogLevel: 'INFO',
  /**
   * Off: the X-Ray SDK that puts each AWS call in a trace costs every cold start about 20 ms
   * (a fifth of the import of three SDK clients) and hooks every promise; Lambda and the API
   * stage trace each request and invocation without it.
   */
  traceAwsCalls: false,
  functions: {
    api: { memorySize: 512, timeout: Duration.seconds(29) },
    reconciler: { memorySize: 512, timeout: Duration.seconds(60) },
    dispatcher: { memorySize: 512, timeout: Duration.seconds(60) },
    rotation: { memorySize: 256, timeout: Duration.seconds(60) },
  },
  api: {
    /** Steady requests per second and burst for the whole stage. */
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
  },
  stream: {
    batchSize: 100,
    retryAttempts: 10,
    /** Records live 24 h in the stream; older ones go to the failure queue instead. */
    maxRecordAge: Duration.hours(24),
  },
  requeue: {
    batchSize: 10,
    /**
     * Lambda requires the visibility timeout to be at least the function timeout; AWS advises
     * six times it, so a message survives retries of a throttled batch: 6 × 60 s = 360 s.
     */
    visibilityTimeout: Duration.seconds(360),
    maxReceiveCount: 5,
  },
  taskEvents: {
    /** Six times the reconciler's timeout, as for the requeue queue. */
    visibilityTimeout: Duration.seconds(360),
    /** A task event older than an hour describes what the sweep has long since seen. */
    retention: Duration.hours(1),
    maxReceiveCount: 5,
  },
  /** The dispatcher's reading of job spec changes on the table stream. */
  jobChanges: {
    batchSize: 100,
    retryAttempts: 3,
    /** A change older than this has met a one-minute tick already, which armed its wake-up. */
    maxRecordAge: Duration.minutes(5),
  },
  wakeUps: {
    /** One wake-up at a time: the dispatcher sleeps its last second or two before acting. */
    batchSize: 1,
    visibilityTimeout: Duration.seconds(360),
    maxReceiveCount: 5,
  },
  /** Failed events and dead letters are kept for the longest time SQS allows. */
  deadLetterRetention: Duration.days(14),
  eventTargetRetryAttempts: 4,
  eventTargetMaxAge: Duration.hours(1),
  /** Sweep and dispatcher cadence. */
  tick: Duration.minutes(1),
  /** The VPC created when no networking is given. */
  vpcMaxAzs: 2,
  monitoring: {
    /** Every alarm and graph looks at 5-minute periods; one breaching period alarms. */
    period: Duration.minutes(5),
    /** The API's latency and 5xx alarms need three periods in a row: one slow burst is no incident. */
    apiDatapointsToAlarm: 3,
    /** Each alarm fires above its threshold (CorralAlarmThresholds says what each one counts). */
    thresholds: {
      deadLetterMessages: 0,
      reconcilerErrors: 0,
      dispatcherErrors: 0,
      reconcilerThrottles: 0,
      /** A record waits in the stream this long: the reconciler is failing or far behind. */
      streamIteratorAge: Duration.minutes(5),
      /** 5 % of requests: a handler bug or a failing dependency, not one unlucky client. */
      api5xxRate: 0.05,
      /** The API Lambda answers in tens of milliseconds warm; 3 s at p99 is cold starts gone wrong or DynamoDB throttling. */
      apiLatencyP99: Duration.seconds(3),
      rolloutsFailed: 0,
      leasesLost: 0,
      jobRunsMissed: 0,
      jobRunsFailed: 0,
      rotationsFailed: 0,
    },
  },
} as const;
