import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../lib/cli/spec-diff.js';

describe('diffSpecs', () => {
  it('is empty for equal specs, whatever the key order', () => {
    expect(diffSpecs({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('shows a changed field as a - and a + line under its dotted path', () => {
    expect(diffSpecs({ image: 'a', rollout: { maxSurge: 1 } }, { image: 'a', rollout: { maxSurge: 2 } })).toEqual([
      { op: '-', path: 'rollout.maxSurge', value: 1 },
      { op: '+', path: 'rollout.maxSurge', value: 2 },
    ]);
  });

  it('shows added and removed fields, walking into added objects', () => {
    expect(diffSpecs({ environment: { A: '1' }, port: 80 }, { environment: { A: '1', B: '2' }, healthCheck: { retries: 3 } })).toEqual([
      { op: '+', path: 'environment.B', value: '2' },
      { op: '+', path: 'healthCheck.retries', value: 3 },
      { op: '-', path: 'port', value: 80 },
    ]);
  });

  it('compares arrays whole and tells 3 from "3"', () => {
    expect(diffSpecs({ command: ['a', 'b'], replicas: 3 }, { command: ['a', 'c'], replicas: '3' })).toEqual([
      { op: '-', path: 'command', value: ['a', 'b'] },
      { op: '+', path: 'command', value: ['a', 'c'] },
      { op: '-', path: 'replicas', value: 3 },
      { op: '+', path: 'replicas', value: '3' },
    ]);
  });
});
