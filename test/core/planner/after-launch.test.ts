import { describe, expect, it } from 'vitest';
import { afterLaunch, isStalled, plan, prunableRevisions, stalledStatus, type LaunchReport } from '../../../lib/core/planner/index.js';
import type { Desired, ServiceStatus } from '../../../lib/core/planner/index.js';
import { FleetSimulator, makeSpec, T0 } from './simulator.js';

/** The first plan of a new 3-replica service: three starts, a launch event. */
function firstPlan() {
  return new FleetSimulator(makeSpec({ replicas: 3 })).reconcile();
}

describe('afterLaunch: what to record once RunTask answered', () => {
  const cases: { name: string; report: LaunchReport; events: string[]; backoff: boolean; requeueAtMost?: number }[] = [
    {
      name: 'everything started: the plan, with its launch events',
      report: { started: [{ revision: 1, count: 3 }], failures: [] },
      events: ['Deploying revision 1: 3 tasks', 'Scaled up: started 3 tasks of revision 1'],
      backoff: false,
    },
    {
      name: 'some refused: what started and what ECS refused, no "Scaled up", a backoff',
      report: {
        started: [{ revision: 1, count: 1 }],
        failures: [
          { type: 'RunTaskFailed', revision: 1, reason: 'RESOURCE:MEMORY', message: 'ECS could not start a task of revision 1: RESOURCE:MEMORY' },
          { type: 'RunTaskFailed', revision: 1, reason: 'RESOURCE:MEMORY', message: 'ECS could not start a task of revision 1: RESOURCE:MEMORY' },
        ],
      },
      events: ['Deploying revision 1: 3 tasks', 'Started 1 of 3 planned tasks of revision 1', 'ECS could not start a task of revision 1: RESOURCE:MEMORY', 'ECS could not start a task of revision 1: RESOURCE:MEMORY'],
      backoff: true,
      requeueAtMost: 10_000,
    },
    {
      name: 'the call refused: nothing started, no "Started" event',
      report: { started: [{ revision: 1, count: 0 }], failures: [{ type: 'RunTaskFailed', revision: 1, reason: 'AccessDenied', message: 'RunTask for 3 task(s) of revision 1 failed: AccessDenied' }] },
      events: ['Deploying revision 1: 3 tasks', 'RunTask for 3 task(s) of revision 1 failed: AccessDenied'],
      backoff: true,
      requeueAtMost: 10_000,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const planned = firstPlan();
      const decision = afterLaunch(planned, c.report, T0);
      expect(decision.events.map((e) => e.message)).toEqual(c.events);
      expect(decision.status.backoff !== undefined).toBe(c.backoff);
      if (c.backoff) {
        expect(decision.status.message).toMatch(/^Could not start tasks: .*; backing off$/);
        expect(decision.requeueAfterMs).toBeLessThanOrEqual(c.requeueAtMost!);
        expect(decision.requeueAfterMs).toBeGreaterThanOrEqual(1_000);
      } else {
        expect(decision.status).toBe(planned.status);
      }
    });
  }

  it('a plan that starts nothing is recorded as it is', () => {
    const sim = new FleetSimulator(makeSpec({ replicas: 2 }));
    sim.runToQuiet();
    const quiet = sim.reconcile();
    expect(afterLaunch(quiet, { started: [], failures: [] }, T0)).toEqual({ status: quiet.status, events: [] });
  });
});

describe('prunableRevisions: beyond the history limit and not in use', () => {
  const status = (revision: number, stableRevision?: number) => ({ revision, targetRevision: revision, ...(stableRevision ? { stableRevision } : {}) }) as unknown as ServiceStatus;
  const desired = (revision: number, revisions: number[], limit: number) => ({ revision, revisions, revisionHistoryLimit: limit }) as unknown as Desired;
  const running = (revision: number) => ({ revision, lastStatus: 'RUNNING' }) as never;
  const table: { name: string; args: Parameters<typeof prunableRevisions>; prune: number[] }[] = [
    { name: 'within the limit', args: [desired(3, [1, 2, 3], 3), [], status(3, 3)], prune: [] },
    { name: 'the oldest beyond it', args: [desired(13, range(13), 10), [], status(13, 13)], prune: [1, 2, 3] },
    { name: 'keeps the stable revision', args: [desired(13, range(13), 10), [], status(13, 2)], prune: [1, 3] },
    { name: 'keeps a revision a task still runs', args: [desired(13, range(13), 10), [running(1)], status(13, 13)], prune: [2, 3] },
    { name: 'keeps the wanted revision after a rollback to an old one', args: [desired(1, range(12), 10), [], status(1, 1)], prune: [2] },
  ];
  for (const row of table) it(row.name, () => expect(prunableRevisions(...row.args)).toEqual(row.prune));
});

describe('a TerminalError recorded as the Stalled condition', () => {
  it('fails the service for that generation only, keeping what the last status knew', () => {
    const sim = new FleetSimulator(makeSpec({ replicas: 2 }));
    const previous = sim.reconcile().status;
    const stalled = stalledStatus(previous, { generation: 4, revision: 2, replicas: 2, reason: 'TaskDefinitionRejected', message: 'ECS refused the task definition of revision 2: bad image' }, T0);
    expect(stalled).toMatchObject({ phase: 'Failed', observedGeneration: 4, revision: previous.revision, counts: previous.counts });
    expect(stalled.conditions.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'TaskDefinitionRejected' });
    expect(isStalled(stalled, 4)).toBe(true);
    expect(isStalled(stalled, 5)).toBe(false);
    expect(isStalled(previous, previous.observedGeneration)).toBe(false);
    // A service never reconciled before gets a status of its own.
    expect(stalledStatus(undefined, { generation: 1, revision: 1, replicas: 3, reason: 'R', message: 'm' }, T0)).toMatchObject({ phase: 'Failed', revision: 1, counts: { desired: 3, running: 0 } });
  });

  it('the next generation plans afresh, without the condition', () => {
    const sim = new FleetSimulator(makeSpec({ replicas: 1 }));
    const previous = sim.reconcile().status;
    const stalled = stalledStatus(previous, { generation: previous.observedGeneration, revision: 1, replicas: 1, reason: 'R', message: 'm' }, T0);
    const next = plan({ ...sim.desired, generation: previous.observedGeneration + 1 }, { tasks: [], status: stalled }, T0);
    expect(next.status.conditions.map((c) => c.type)).not.toContain('Stalled');
  });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
