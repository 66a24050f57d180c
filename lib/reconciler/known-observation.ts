import { maxTasksPerCall, type ContainerRuntime, type ObservedTask as EcsTask } from '../aws/container-runtime.js';
import { ThrottledError } from '../aws/ecs-errors.js';
import type { StoredStatus } from '../aws/state-store.js';
import { serviceStartedBy } from '../core/task-definition.js';
import type { SweepBudget } from './sweep-budget.js';

/** What observing a service without a trustworthy known set costs: both listings and a describe. */
const listingObserveCalls = 3;
/** DescribeTasks calls in flight at once; the budget paces them. */
const concurrency = 4;

export interface ServiceObservations {
  /** Each observed service's tasks (what ECS says of every ARN its status knows). */
  observed: Map<string, EcsTask[]>;
  /** Services the budget did not reach (or ECS throttled), in the order given. */
  deferred: string[];
}

/** One piece of observation: DescribeTasks calls of some services' known ARNs, or one service listed. */
type Unit = { names: string[]; arns: string[]; calls: number; listed?: false } | { names: [string]; listed: true };

/**
 * The sweep's observation of many services from what their statuses know: the task ARNs each
 * status recorded, packed across services into DescribeTasks calls of 100 (ten 10-task services a
 * call), stopped tasks the runtime remembers left out of the calls. A service with no known set
 * yet (no status) is listed by `startedBy` instead. Tasks a reconcile launched and died before
 * recording are not in the set: the cluster listing finds them (cluster-listing.ts).
 * Calls are taken from `budget`, keeping `reserve` for the cluster listing; what the budget does
 * not reach, or ECS throttles, is deferred to the next sweep.
 */
export async function observeServices(
  runtime: ContainerRuntime,
  budget: SweepBudget,
  names: readonly string[],
  statuses: ReadonlyMap<string, StoredStatus>,
  reserve: number,
): Promise<ServiceObservations> {
  const units = pack(runtime, names, statuses);
  const observed = new Map<string, EcsTask[]>();
  const deferredUnits = new Set<Unit>();
  let next = 0;
  const worker = async () => {
    while (next < units.length) {
      const unit = units[next++];
      if (!(await budget.take(unit.listed ? listingObserveCalls : unit.calls, reserve))) {
        deferredUnits.add(unit);
        continue;
      }
      try {
        if (unit.listed) {
          observed.set(unit.names[0], await runtime.observe(serviceStartedBy(unit.names[0])));
          continue;
        }
        const tasks = await runtime.describeTasks(unit.arns);
        for (const name of unit.names) {
          const startedBy = serviceStartedBy(name);
          observed.set(name, tasks.filter((t) => t.startedBy === startedBy));
        }
      } catch (error) {
        if (!(error instanceof ThrottledError)) throw error;
        // Throttled despite the pace (other callers share ECS's bucket): back off for this sweep.
        budget.stop();
        deferredUnits.add(unit);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, units.length) }, worker));
  const deferred = new Set(units.filter((u) => deferredUnits.has(u)).flatMap((u) => u.names));
  return { observed, deferred: names.filter((n) => deferred.has(n)) };
}

/**
 * Consecutive services share a DescribeTasks call while their ARNs that need asking fit in 100;
 * a service with more than 100 gets calls of its own. Services with no ARN to ask about (no
 * tasks, or only remembered stopped ones) ride along with the next call, costing nothing.
 */
function pack(runtime: ContainerRuntime, names: readonly string[], statuses: ReadonlyMap<string, StoredStatus>): Unit[] {
  // Worked example: services of 10, 10, 95 and 0 asked ARNs → [10 + 10] (one call; 95 more would
  // make 115), [95 + 0] (one call). A service of 250 closes the open call and takes 3 of its own.
  const units: Unit[] = [];
  let open: { names: string[]; arns: string[]; asked: number } | undefined;
  const close = () => {
    if (open) units.push({ names: open.names, arns: open.arns, calls: Math.ceil(open.asked / maxTasksPerCall) });
    open = undefined;
  };
  for (const name of names) {
    const stored = statuses.get(name);
    if (!stored?.knownTasks) {
      units.push({ names: [name], listed: true });
      continue;
    }
    const arns = Object.keys(stored.knownTasks);
    const asked = arns.filter((arn) => !runtime.remembersStopped(arn)).length;
    if (open && open.asked + asked > maxTasksPerCall) close();
    open ??= { names: [], arns: [], asked: 0 };
    open.names.push(name);
    open.arns.push(...arns);
    open.asked += asked;
    if (asked > maxTasksPerCall) close();
  }
  close();
  return units;
}
