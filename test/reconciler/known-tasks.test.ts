import { describe, expect, it } from 'vitest';
import type { ObservedTask } from '../../lib/aws/container-runtime.js';
import { knownTasksAfter, sameKnownTasks } from '../../lib/reconciler/known-tasks.js';

const hour = 3_600_000;
const now = 10 * hour;
const task = (arn: string, extra: Partial<ObservedTask> = {}): ObservedTask => ({
  taskArn: arn, taskDefinitionArn: 'td', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', healthStatus: 'UNKNOWN', createdAt: 0, ...extra,
});

describe('the task ARNs a reconcile records', () => {
  it('keeps what it saw and started, with when each became known; forgets tasks stopped over an hour ago', () => {
    const known = knownTasksAfter({ a: 1, b: 2 }, [task('a'), task('b', { lastStatus: 'STOPPED', stoppedAt: now - 2 * hour }), task('c', { lastStatus: 'STOPPED', stoppedAt: now - 1_000 })], ['d'], undefined, now);
    expect(known).toEqual({ a: 1, c: now, d: now });
  });

  it('keeps a task DescribeTasks did not return for two hours, so one that is merely late is never dropped', () => {
    const asked = ['fresh', 'old'];
    expect(knownTasksAfter({ fresh: now - hour, old: now - 3 * hour }, [], [], asked, now)).toEqual({ fresh: now - hour });
  });

  it('compares by ARN', () => {
    expect(sameKnownTasks({ a: 1, b: 2 }, { b: 5, a: 9 })).toBe(true);
    expect(sameKnownTasks({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameKnownTasks(undefined, {})).toBe(false);
  });
});
