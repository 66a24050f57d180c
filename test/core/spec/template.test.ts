import { describe, expect, it } from 'vitest';
import { templateHash, templateOf, validateServiceSpec, type ServiceSpec } from '../../../lib/core/spec/index.js';

function spec(input: Record<string, unknown>): ServiceSpec {
  const result = validateServiceSpec({ image: 'nginx:1.27', replicas: 3, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

const base = spec({ environment: { A: '1', B: '2' }, port: 80, healthCheck: { command: ['CMD', 'check'] } });

describe('templateOf', () => {
  it('takes the task fields and nothing about scale or rollout', () => {
    expect(templateOf(base)).toEqual({
      image: 'nginx:1.27',
      environment: { A: '1', B: '2' },
      secrets: {},
      cpu: 256,
      memory: 512,
      healthCheck: { command: ['CMD', 'check'], intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 },
      port: 80,
    });
  });

  it('copies, so changing the template leaves the spec alone', () => {
    const template = templateOf(base);
    template.environment.C = '3';
    template.healthCheck?.command.push('x');
    expect(base.environment).toEqual({ A: '1', B: '2' });
    expect(base.healthCheck?.command).toEqual(['CMD', 'check']);
  });
});

describe('templateHash', () => {
  const hashOf = (input: Record<string, unknown>) =>
    templateHash(templateOf(spec({ environment: { A: '1', B: '2' }, port: 80, healthCheck: { command: ['CMD', 'check'] }, ...input })));
  const baseHash = templateHash(templateOf(base));

  it('is a SHA-256 hex digest', () => {
    expect(baseHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['replicas', { replicas: 9 }],
    ['rollout policy', { rollout: { maxSurge: 5, strategy: 'Recreate', autoRollback: false } }],
    ['revision history limit', { revisionHistoryLimit: 3 }],
    ['environment key order', { environment: { B: '2', A: '1' } }],
  ])('does not change with %s', (_, change) => {
    expect(hashOf(change)).toBe(baseHash);
  });

  it.each([
    ['image', { image: 'nginx:1.28' }],
    ['command', { command: ['nginx', '-g', 'daemon off;'] }],
    ['an environment value', { environment: { A: '1', B: '3' } }],
    ['an added variable', { environment: { A: '1', B: '2', C: '' } }],
    ['secrets', { secrets: { TOKEN: 'prod/token' } }],
    ['cpu and memory', { cpu: 512, memory: 1024 }],
    ['memory alone', { memory: 1024 }],
    ['the health check', { healthCheck: { command: ['CMD', 'check'], retries: 4 } }],
    ['the port', { port: 8080 }],
    ['no port', { port: undefined }],
  ])('changes with %s', (_, change) => {
    expect(hashOf(change)).not.toBe(baseHash);
  });

  it('tells a reordered command apart', () => {
    expect(hashOf({ command: ['a', 'b'] })).not.toBe(hashOf({ command: ['b', 'a'] }));
  });

  it('does not confuse a value moved between environment and secrets', () => {
    expect(hashOf({ environment: {}, secrets: { A: 'x' } })).not.toBe(hashOf({ environment: { A: 'x' }, secrets: {} }));
  });
});
