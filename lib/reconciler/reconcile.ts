import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../clock.js';
import type { Lease } from '../core/lease/index.js';
import { afterLaunch, isStalled, plan, stalledStatus, type Plan, type PlanEvent, type ServiceStatus } from '../core/planner/index.js';
import { serviceStartedBy } from '../core/task-definition.js';
import type { AlarmReading } from '../core/planner/alarm-gate.js';
import type { AlarmStates } from '../aws/alarm-states.js';
import type { ContainerRuntime, ObservedTask as EcsTask } from '../aws/container-runtime.js';
import type { LeaseAfterCommit, NewServiceEvent, ReconcileState, ReconcileWrite, ServicePartition, ServiceRecord, StoredStatus } from '../aws/state-store.js';
import { planningDigestOf, sameDigest, type PlanningRevision } from '../aws/state/planning-digest.js';
import type { MetricsRecorder } from '../observability/metrics.js';
import { scopeToRecord } from '../observability/reconcile-logger.js';
import { reportReconcile } from '../observability/reconcile-metrics.js';
import { TerminalError } from './errors.js';
import { knownTasksAfter, sameKnownTasks } from './known-tasks.js';
import { launchPlannedTasks } from './launch.js';
import { desiredOf } from './planner-input.js';
import { taskDefinitionArns, type TaskDefinitionSettings } from './task-definitions.js';
import { decideWithTraffic, type TrafficDecisionInput, type TrafficPorts } from './traffic-reconcile.js';

/** The lease a reconcile runs under; the runner owns it. */
export interface HeldLease {
  current(): Lease;
  /** Renews the lease if a third of it has passed; throws LeaseLostError if it was taken over. */
  keep(): Promise<void>;
  /**
   * Whether the pass before this one finished (AcquiredLease `predecessorFinished`, or this
   * runner's previous pass). If not, it may have died between RunTask and its commit, leaving
   * tasks the status item's `knownTasks` does not name.
   */
  readonly previousPassFinished: boolean;
  /** How the commit left the lease: the runner releases it only if the commit did not. */
  committed(after: LeaseAfterCommit | 'held'): void;
}

export interface ReconcileDependencies {
  state: ReconcileState;
  runtime: ContainerRuntime;
  /** Rollout alarm gates (CloudWatch). */
  alarms: AlarmStates;
  clock: Clock;
  /** This reconcile's logger (lib/observability/reconcile-logger.ts). */
  logger: Logger;
  metrics: MetricsRecorder;
  taskDefinitions: TaskDefinitionSettings;
  lease: HeldLease;
  /** The sweep's observation of this service's tasks; looked at afresh before acting on it. */
  snapshot?: EcsTask[];
  /** Tasks the triggering events named (ECS task state changes): described along with the known ones. */
  taskArns?: readonly string[];
  /** Target groups and Cloud Map; a service whose spec uses traffic needs them. */
  traffic?: TrafficPorts;
}

export interface ReconcileResult {
  requeueAfterMs?: number;
}

/**
 * One level-triggered reconcile of one service, controller-runtime's contract: returns when to
 * look again, or throws (a TerminalError is recorded in the status first). The shell applies the
 * plan and decides nothing:
 *
 *   one consistent Query of the partition → observe ECS (and the target groups and Cloud Map
 *   services the service uses) → plan (the whole decision, traffic folded in) → task definitions
 *   for the starts → deregistrations and registrations, StopTask, RunTask (the lease checked before each) →
 *   afterLaunch (what to record, from what RunTask did) → one TransactWriteItems of status,
 *   events and revision bookkeeping whose lease action checks the token and releases the lease
 *   (or takes a pass asked for meanwhile).
 *
 * A converged service costs the Query and no write. A reconciler whose lease was taken over while
 * it was acting gets every write refused; RunTask's client token (derived from the observation)
 * makes a stale launch return the successor's tasks rather than new ones.
 */
export async function reconcile(deps: ReconcileDependencies, name: string): Promise<ReconcileResult> {
  const partition = await deps.state.readPartition(name);
  if (!partition) return {};
  const { record, status: previous } = partition;
  scopeToRecord(deps.logger, record);
  if (isStalled(previous, record.generation)) return {};

  // Observe from what is known — the task ARNs the last commit recorded and those the events
  // named, in DescribeTasks calls of 100 — unless the known set may be incomplete: no record yet,
  // a previous pass that did not finish (it may have launched tasks and died before recording
  // them), or the sweep (which lists the cluster).
  const startedBy = serviceStartedBy(name);
  const asked = !deps.snapshot && partition.knownTasks && deps.lease.previousPassFinished
    ? [...new Set([...Object.keys(partition.knownTasks), ...(deps.taskArns ?? [])])]
    : undefined;
  const observe = async () =>
    asked ? (await deps.runtime.describeTasks(asked)).filter((t) => t.startedBy === startedBy) : deps.runtime.observe(startedBy);
  const alarms = await readAlarms(deps, partition);
  const decide = (observed: EcsTask[]) =>
    recordingStalls(deps, partition, decideWithTraffic(deps, trafficInput(partition, observed, alarms, deps.clock.now())));
  let tasks = deps.snapshot ?? (await observe());
  let choice = await decide(tasks);
  if (deps.snapshot && (choice.acts || hasWork(choice.plan, previous))) {
    tasks = await observe();
    choice = await decide(tasks);
  }
  const decided = choice.plan;
  // The digest the sweep plans from must describe these revisions; a stale one is rewritten once.
  const planning = planningDigestOf(record.generation, partition.revisions, decided.prune);
  const digestStale = !sameDigest(partition.planning, planning);
  const knownBefore = knownTasksAfter(partition.knownTasks, tasks, [], asked, deps.clock.now());
  const knownStale = !deps.lease.previousPassFinished || !sameKnownTasks(partition.knownTasks, knownBefore);
  if (!choice.acts && !hasWork(decided, previous) && !digestStale && !knownStale) return requeue(decided.requeueAfterMs);

  let definitions: Awaited<ReturnType<typeof taskDefinitionArns>>;
  try {
    definitions = await taskDefinitionArns(deps, record, partition.revisions, decided.start.map((s) => s.revision));
  } catch (error) {
    if (error instanceof TerminalError) await recordStall(deps, partition, error);
    throw error;
  }

  // Out of traffic before anything stops or starts: fast removal, and draining before a stop.
  await recordingStalls(deps, partition, choice.applyTraffic(() => deps.lease.keep()));
  for (const stop of decided.stop) {
    await deps.lease.keep();
    await deps.runtime.stopTask(stop.taskArn, stop.reason);
  }
  let report: Awaited<ReturnType<typeof launchPlannedTasks>> = { started: [], failures: [], taskArns: [] };
  if (decided.start.length > 0) {
    await deps.lease.keep();
    report = await launchPlannedTasks(deps, {
      record, starts: decided.start, fleet: tasks.map((t) => t.taskArn), attempt: previous?.backoff?.failures ?? 0, arns: definitions.arns,
    });
  }
  const decision = afterLaunch(decided, report, deps.clock.now());
  const known = knownTasksAfter(partition.knownTasks, tasks, report.taskArns, asked, deps.clock.now());
  // The commit releases the lease too (unless a pass was asked for, or the service is yet to be
  // removed under it): a pass costs no separate release.
  deps.lease.committed(await deps.state.commit(name, {
    ...(decision.status !== previous || digestStale || knownStale || report.taskArns.length > 0 ? { status: decision.status, planning, knownTasks: known } : {}),
    events: decision.events.map((event) => eventOf(event, decision.status)),
    taskDefinitions: definitions.registered,
    availableRevisions: newlyAvailable(partition, decision.status),
    prune: decided.prune,
  }, deps.lease.current(), { release: !decided.removeService }));
  reportReconcile(deps, name, decided, report, decision.events);
  if (decided.removeService) await deps.state.removeService(name);
  return requeue(decision.requeueAfterMs);
}

/** What planning a service needs from the table: the spec, the last status and its revisions (or their digest). */
interface PlanningView {
  record: ServiceRecord;
  status?: ServiceStatus;
  revisions: readonly PlanningRevision[];
}

/**
 * Whether the sweep must reconcile a service under its lease, decided without the lease from
 * the sweep's batched status read and its observation of the tasks: the same plan `reconcile` makes,
 * from the revisions digest on the status item. Anything this cannot judge — no status yet, a
 * digest of another generation, a rollout that alarms may gate, a traffic resource in doubt —
 * answers yes, and `reconcile` reads everything afresh and plans again before writing, so this
 * decides only how much the sweep costs, never what gets written.
 */
export async function needsReconcile(
  deps: Pick<ReconcileDependencies, 'clock' | 'traffic'>,
  record: ServiceRecord,
  stored: StoredStatus | undefined,
  tasks: EcsTask[],
): Promise<{ reconcile: boolean; requeueAfterMs?: number }> {
  if (stored && isStalled(stored.status, record.generation)) return { reconcile: false };
  if (!stored?.planning || stored.planning.generation !== record.generation) return { reconcile: true };
  const view: PlanningView = { record, status: stored.status, revisions: stored.planning.revisions };
  if (alarmsMayGate(view)) return { reconcile: true };
  let choice: Awaited<ReturnType<typeof decideWithTraffic>>;
  try {
    choice = await decideWithTraffic(deps, trafficInput(view, tasks, undefined, deps.clock.now()));
  } catch (error) {
    if (error instanceof TerminalError) return { reconcile: true };
    throw error;
  }
  const stale = !sameDigest(stored.planning, planningDigestOf(record.generation, stored.planning.revisions, choice.plan.prune));
  if (choice.acts || hasWork(choice.plan, stored.status) || stale) return { reconcile: true };
  return { reconcile: false, ...requeue(choice.plan.requeueAfterMs) };
}

function trafficInput(view: PlanningView, tasks: EcsTask[], alarms: AlarmReading | undefined, now: number): TrafficDecisionInput {
  const { record, status, revisions } = view;
  const desired = desiredOf(record, revisions);
  return {
    name: record.name, desired, revisions, previous: status, tasks,
    planned: (observed) => plan(desired, { tasks: observed, ...(status ? { status } : {}), ...(alarms ? { alarms } : {}) }, now),
  };
}

/** Phases in which this generation's rollout is over: nothing an alarm could gate. */
const rolloutOver = new Set(['Available', 'RolledBack', 'Aborted', 'Failed']);

/**
 * The states of `rollout.alarms` (one DescribeAlarms per 100), read only while a rollout of this
 * generation may be under way, so a converged service costs no CloudWatch call.
 */
async function readAlarms(deps: ReconcileDependencies, partition: ServicePartition): Promise<AlarmReading | undefined> {
  return alarmsMayGate(partition) ? deps.alarms.read(partition.record.spec.rollout.alarms!) : undefined;
}

function alarmsMayGate({ record, status }: PlanningView): boolean {
  if (!record.spec.rollout.alarms?.length) return false;
  return !(status && status.observedGeneration === record.generation && rolloutOver.has(status.phase));
}

/** Records a TerminalError from `work` in the status before passing it on. */
async function recordingStalls<T>(deps: ReconcileDependencies, partition: ServicePartition, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof TerminalError) await recordStall(deps, partition, error);
    throw error;
  }
}

function hasWork(p: Plan, previous: ServiceStatus | undefined): boolean {
  return p.start.length > 0 || p.stop.length > 0 || p.removeService === true || p.status !== previous || p.events.length > 0 || p.prune.length > 0;
}

/** The stable revision, the first time it is: an undo may go back to it. */
function newlyAvailable(partition: ServicePartition, status: ServiceStatus): number[] {
  const stable = status.stableRevision;
  if (stable === undefined) return [];
  const record = partition.revisions.find((r) => r.revision === stable);
  return record && record.availableAt === undefined ? [stable] : [];
}

async function recordStall(deps: ReconcileDependencies, partition: ServicePartition, error: TerminalError): Promise<void> {
  const { record, status } = partition;
  const stalled = stalledStatus(status, {
    generation: record.generation, revision: record.revision, replicas: record.spec.replicas, reason: error.reason, message: error.message,
  }, deps.clock.now());
  const write: ReconcileWrite = {
    status: stalled,
    planning: planningDigestOf(record.generation, partition.revisions),
    events: [{ type: 'Stalled', message: `${error.message}; not retried until the spec changes`, revision: record.revision }],
    taskDefinitions: [], availableRevisions: [], prune: [],
  };
  await deps.state.commit(record.name, write, deps.lease.current());
}

function eventOf(event: PlanEvent, status: ServiceStatus): NewServiceEvent {
  return { type: event.type, message: event.message, ...(event.taskArn ? { taskArn: event.taskArn } : {}), revision: event.revision ?? status.revision };
}

function requeue(ms: number | undefined): ReconcileResult {
  return ms !== undefined && Number.isFinite(ms) ? { requeueAfterMs: ms } : {};
}
