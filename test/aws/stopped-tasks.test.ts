import { describe, expect, it } from 'vitest';
import type { ObservedTask } from '../../lib/aws/container-runtime.js';
import { StoppedTaskMemory } from '../../lib/aws/stopped-tasks.js';

const task = (arn: string, lastStatus: string): ObservedTask => ({
  taskArn: arn, taskDefinitionArn: 'td', lastStatus, desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING', healthStatus: 'UNKNOWN', createdAt: 0,
});

describe('stopped tasks are described once', () => {
  it('recalls only tasks seen STOPPED; a task on its way down is described again', () => {
    const memory = new StoppedTaskMemory();
    memory.remember([task('a', 'STOPPED'), task('b', 'RUNNING'), task('c', 'DEPROVISIONING')]);
    const { known, unknown } = memory.recall(['a', 'b', 'c', 'd']);
    expect(known.map((t) => t.taskArn)).toEqual(['a']);
    expect(unknown).toEqual(['b', 'c', 'd']);
  });

  it('forgets what ECS no longer lists, and the oldest beyond its capacity', () => {
    const memory = new StoppedTaskMemory(2);
    memory.remember([task('a', 'STOPPED'), task('b', 'STOPPED'), task('c', 'STOPPED')]);
    expect(memory.recall(['a', 'b', 'c']).unknown).toEqual(['a']);
    memory.keepOnly(new Set(['c']));
    expect(memory.size).toBe(1);
    expect(memory.recall(['b', 'c']).known.map((t) => t.taskArn)).toEqual(['c']);
  });
});
