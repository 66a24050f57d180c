import { describe, expect, it } from 'vitest';
import type { ObservedTask } from '../../lib/aws/container-runtime.js';
import { StoppedTaskMemory } from '../../lib/aws/stopped-tasks.js';

const hour = 60 * 60_000;
const task = (arn: string, lastStatus: string, stoppedAt?: number): ObservedTask => ({
  taskArn: arn, taskDefinitionArn: 'td', lastStatus, desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING', healthStatus: 'UNKNOWN', createdAt: 0,
  ...(stoppedAt === undefined ? {} : { stoppedAt }),
});

describe('stopped tasks are described once', () => {
  it('recalls only tasks seen STOPPED; a task on its way down is described again', () => {
    const memory = new StoppedTaskMemory();
    memory.remember([task('a', 'STOPPED'), task('b', 'RUNNING'), task('c', 'DEPROVISIONING')]);
    const { known, unknown } = memory.recall(['a', 'b', 'c', 'd']);
    expect(known.map((t) => t.taskArn)).toEqual(['a']);
    expect(unknown).toEqual(['b', 'c', 'd']);
  });

  it('forgets the oldest beyond its capacity', () => {
    const memory = new StoppedTaskMemory(2);
    memory.remember([task('a', 'STOPPED'), task('b', 'STOPPED'), task('c', 'STOPPED')]);
    expect(memory.recall(['a', 'b', 'c']).unknown).toEqual(['a']);
    expect(memory.size).toBe(2);
  });

  it('forgets tasks stopped more than two hours before the latest stop it has seen (ECS lists them for about one)', () => {
    const memory = new StoppedTaskMemory();
    memory.remember([task('a', 'STOPPED', 0), task('b', 'STOPPED', 1.5 * hour)]);
    expect(memory.size).toBe(2);
    memory.remember([task('c', 'STOPPED', 2.5 * hour)]);
    expect(memory.recall(['a', 'b', 'c']).unknown).toEqual(['a']);
    expect(memory.size).toBe(2);
  });
});
