import { Tags } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AlarmReadPolicy } from './alarm-read-policy.js';
import { CorralApi } from './corral-api.js';
import { CorralFunction } from './corral-function.js';
import { CorralMonitoring } from './corral-monitoring.js';
import { CorralManagedSecret, type CorralManagedSecretProps } from './corral-managed-secret.js';
import { accountSecretsArn, managedSecretsReason, managedSecretsStatement } from './managed-secret-policy.js';
import { resolveCorralProps, type CorralFunctionName, type CorralProps } from './corral-props.js';
import { CorralQueues } from './corral-queues.js';
import { CorralRotation, type AttachRotationOptions } from './corral-rotation.js';
import { CorralTable } from './corral-table.js';
import { infraDefaults } from './defaults.js';
import { DispatcherSchedule } from './dispatcher-schedule.js';
import { allowServicesToUseKey } from './encryption-key.js';
import type { LogSettings } from './log-settings.js';
import { acknowledgeKeyGrantActions, acknowledgeWildcardResource } from './nag-acknowledgements.js';
import { functionEntry } from './project-paths.js';
import { ReconcilerTriggers } from './reconciler-triggers.js';
import { TaskControlPolicy } from './task-control-policy.js';
import { TrafficPolicy } from './traffic-policy.js';
import { TaskNetworking } from './task-networking.js';
import { TaskRoles } from './task-roles.js';

/**
 * Corral inside any stack: the table, the IAM-authenticated API, the reconciler on its four
 * triggers, the leader-elected dispatcher, the rotation function, and the ECS cluster, roles
 * and networking the tasks run with (yours or created; see `CorralProps`).
 *
 * ```ts
 * const corral = new Corral(this, 'Corral', { vpc, cluster });
 * corral.taskRoles.taskRole.addToPolicy(...); // what your containers may do
 * ```
 */
export class Corral extends Construct {
  readonly table: CorralTable;
  readonly api: CorralApi;
  readonly queues: CorralQueues;
  readonly networking: TaskNetworking;
  readonly taskRoles: TaskRoles;
  readonly functions: Readonly<Record<CorralFunctionName, CorralFunction>>;
  readonly rotation: CorralRotation;
  /** The alarms, their topic and the dashboard; absent when `monitoring` is false. */
  readonly monitoring?: CorralMonitoring;

  constructor(scope: Construct, id: string, corralProps: CorralProps = {}) {
    super(scope, id);
    const props = resolveCorralProps(corralProps);
    const { encryptionKey, removalPolicy } = props;
    const logs: LogSettings = { retention: props.logRetention, encryptionKey, removalPolicy };
    if (encryptionKey) allowServicesToUseKey(this, encryptionKey);
    for (const [key, value] of Object.entries(props.tags)) Tags.of(this).add(key, value);

    this.table = new CorralTable(this, 'State', { encryptionKey, removalPolicy, deletionProtection: props.deletionProtection });
    this.queues = new CorralQueues(this, 'Queues', { encryptionKey, removalPolicy });
    this.networking = new TaskNetworking(this, 'Tasks', { ...props, logs });
    this.taskRoles = new TaskRoles(this, 'TaskRoles');
    const table = this.table.table;

    // What the functions' code reads (see functions/*): where state lives and how to run tasks.
    const environment: Record<string, string> = {
      TABLE_NAME: table.tableName,
      CLUSTER_ARN: this.networking.clusterArn,
      REQUEUE_QUEUE_URL: this.queues.requeue.queueUrl,
      SUBNET_IDS: this.networking.subnetIds.join(','),
      SECURITY_GROUP_IDS: this.networking.securityGroupIds.join(','),
      ASSIGN_PUBLIC_IP: this.networking.assignPublicIp,
      EXECUTION_ROLE_ARN: this.taskRoles.executionRole.roleArn,
      TASK_ROLE_ARN: this.taskRoles.taskRole.roleArn,
      LOG_GROUP_PREFIX: infraDefaults.serviceLogGroupPrefix,
      ALARM_NAME_PREFIX: props.alarmNamePrefix,
    };
    const settings = infraDefaults.functions;
    const rotation = new CorralFunction(this, 'RotationFunction', {
      name: 'rotation',
      entry: functionEntry('rotation'),
      description: 'Corral secret rotation (Secrets Manager four-step protocol)',
      ...settings.rotation,
      logs,
      traceAwsCalls: props.traceAwsCalls,
      reservedConcurrentExecutions: props.reservedConcurrency.rotation,
      environment,
    });
    const withRotation = { ...environment, ROTATION_FUNCTION_ARN: rotation.function.functionArn };
    const api = new CorralFunction(this, 'ApiFunction', {
      name: 'api',
      entry: functionEntry('api'),
      description: 'Corral desired-state API',
      ...settings.api,
      logs,
      traceAwsCalls: props.traceAwsCalls,
      reservedConcurrentExecutions: props.reservedConcurrency.api,
      environment: withRotation,
    });
    const reconciler = new CorralFunction(this, 'ReconcilerFunction', {
      name: 'reconciler',
      entry: functionEntry('reconciler'),
      description: 'Corral reconciler: makes ECS match desired state',
      ...settings.reconciler,
      logs,
      traceAwsCalls: props.traceAwsCalls,
      reservedConcurrentExecutions: props.reservedConcurrency.reconciler,
      environment: withRotation,
    });
    const dispatcher = new CorralFunction(this, 'DispatcherFunction', {
      name: 'dispatcher',
      entry: functionEntry('dispatcher'),
      description: 'Corral dispatcher: leader-elected singleton jobs and garbage collection',
      ...settings.dispatcher,
      logs,
      traceAwsCalls: props.traceAwsCalls,
      reservedConcurrentExecutions: props.reservedConcurrency.dispatcher,
      environment: { ...environment, WAKE_UP_QUEUE_URL: this.queues.wakeUps.queueUrl },
    });
    this.functions = { api, reconciler, dispatcher, rotation };

    for (const fn of Object.values(this.functions)) {
      table.grantReadWriteData(fn.function);
      acknowledgeWildcardResource(
        fn.role,
        `${table.tableArn}/index/*`,
        'Queries the byKind index; index ARNs are the table ARN followed by /index/<name>.',
      );
    }
    for (const fn of [reconciler, dispatcher]) this.queues.requeue.grantSendMessages(fn.function);
    this.queues.wakeUps.grantSendMessages(dispatcher.function);
    if (encryptionKey) for (const fn of Object.values(this.functions)) acknowledgeKeyGrantActions(fn.role);

    new TaskControlPolicy(this, 'TaskControl', {
      clusterArn: this.networking.clusterArn,
      clusterName: this.networking.clusterName,
      passableRoles: [this.taskRoles.executionRole, this.taskRoles.taskRole],
      roles: [reconciler.role, dispatcher.role],
    });
    // The dispatcher's full sweep runs the reconciler's code, so it cleans up stray targets too.
    new TrafficPolicy(this, 'Traffic', { roles: [reconciler.role, dispatcher.role] });
    // Rollout alarm gates: the reconciler (and the sweep) read them, the API checks names on PUT.
    new AlarmReadPolicy(this, 'RolloutAlarms', {
      roles: [api.role, reconciler.role, dispatcher.role],
      alarmNamePrefix: props.alarmNamePrefix,
    });

    // Secret metadata (rotation dates, tags, ARN from a name) of the secrets a spec may name:
    // the API checks them on PUT; DescribeSecret never returns a value.
    for (const fn of [api, reconciler]) {
      fn.role.addToPrincipalPolicy(managedSecretsStatement(this, ['secretsmanager:DescribeSecret']));
      acknowledgeWildcardResource(fn.role, accountSecretsArn(this), managedSecretsReason);
    }

    new ReconcilerTriggers(this, 'ReconcilerTriggers', {
      reconciler: reconciler.function,
      table,
      clusterArn: this.networking.clusterArn,
      requeue: this.queues.requeue,
      taskEvents: this.queues.taskEvents,
      failedEvents: this.queues.failedEvents,
    });
    new DispatcherSchedule(this, 'DispatcherSchedule', {
      dispatcher: dispatcher.function,
      table,
      failedEvents: this.queues.failedEvents,
      wakeUps: this.queues.wakeUps,
      clusterArn: this.networking.clusterArn,
    });
    this.rotation = new CorralRotation(this, 'Rotation', {
      rotationFunction: rotation.function,
      rotators: [api.function, reconciler.function],
    });

    this.api = new CorralApi(this, 'Api', { handler: api.function, throttling: props.apiThrottling, logs });

    if (props.monitoring) {
      this.monitoring = new CorralMonitoring(this, 'Monitoring', {
        reconciler: reconciler.function,
        dispatcher: dispatcher.function,
        api: this.api.restApi,
        deadLetterQueues: {
          RequeueDeadLetters: this.queues.requeueDeadLetters,
          WakeUpDeadLetters: this.queues.wakeUpDeadLetters,
          FailedEvents: this.queues.failedEvents,
        },
        alarmTopic: props.alarmTopic,
        alarmEmail: props.alarmEmail,
        encryptionKey,
        thresholds: props.alarmThresholds,
      });
    }
  }

  /** Declares a secret Corral creates and rotates on `props.schedule`. */
  addManagedSecret(id: string, props: Omit<CorralManagedSecretProps, 'rotation'>): CorralManagedSecret {
    return new CorralManagedSecret(this, id, { ...props, rotation: this.rotation });
  }

  /** Has Corral rotate an existing secret on `schedule` (`rate(...)` or `cron(...)`). */
  attachRotation(
    secret: secretsmanager.ISecret,
    schedule: string,
    options?: AttachRotationOptions,
  ): secretsmanager.CfnRotationSchedule {
    return this.rotation.attach(secret, schedule, options);
  }
}
