import { describe, expect, it } from 'vitest';
import { validateServiceSpec, type ServiceSpec } from '../../../lib/core/spec/index.js';

const minimal = { image: 'public.ecr.aws/nginx/nginx:1.27', replicas: 3 };

function errorsOf(input: unknown) {
  const result = validateServiceSpec(input);
  if (result.ok) throw new Error(`expected errors, got a valid spec: ${JSON.stringify(result.spec)}`);
  return result.errors;
}

function specOf(input: unknown): ServiceSpec {
  const result = validateServiceSpec(input);
  if (!result.ok) throw new Error(`expected a valid spec, got ${JSON.stringify(result.errors)}`);
  return result.spec;
}

describe('validateServiceSpec defaults', () => {
  it('fills every default of a minimal spec', () => {
    expect(specOf(minimal)).toEqual({
      image: minimal.image,
      replicas: 3,
      cpu: 256,
      memory: 512,
      environment: {},
      secrets: {},
      rollout: {
        strategy: 'RollingUpdate',
        maxSurge: '25%',
        maxUnavailable: 0,
        minHealthySeconds: 10,
        progressDeadlineSeconds: 600,
        autoRollback: true,
      },
      revisionHistoryLimit: 10,
    });
  });

  it('leaves optional fields without defaults out', () => {
    const spec = specOf(minimal);
    for (const field of ['command', 'port', 'healthCheck'] as const) expect(spec).not.toHaveProperty(field);
    expect(spec.rollout).not.toHaveProperty('failureThreshold');
  });

  it.each([
    'nginx',
    'nginx:1.27',
    'library/nginx:1.27-alpine',
    'localhost:5000/team/app:v2',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:' + 'a'.repeat(64),
    'registry.example.com/a_b/c__d/e-f:1.0@sha256:' + 'b'.repeat(64),
    'Registry.Example.com/app:Latest_1',
  ])('accepts the image reference %s', (image) => {
    expect(validateServiceSpec({ ...minimal, image }).ok).toBe(true);
  });

  it('fills health check defaults around a given command', () => {
    const spec = specOf({ ...minimal, healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/'] } });
    expect(spec.healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost/'],
      intervalSeconds: 30,
      timeoutSeconds: 5,
      retries: 3,
      startPeriodSeconds: 0,
    });
  });

  it('fills the rest of a partly given rollout and keeps what was given', () => {
    const spec = specOf({ ...minimal, rollout: { maxUnavailable: '50%', failureThreshold: 7 } });
    expect(spec.rollout).toEqual({
      strategy: 'RollingUpdate',
      maxSurge: '25%',
      maxUnavailable: '50%',
      minHealthySeconds: 10,
      progressDeadlineSeconds: 600,
      failureThreshold: 7,
      autoRollback: true,
    });
  });

  it('keeps every given value', () => {
    const full = {
      image: 'repo/app@sha256:' + 'a'.repeat(64),
      replicas: 0,
      cpu: 1024,
      memory: 3072,
      command: ['node', 'server.js', ''],
      environment: { NODE_ENV: 'production', _X1: '' },
      secrets: { DB_PASSWORD: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf', API_KEY: 'prod/api-key' },
      port: 8080,
      healthCheck: { command: ['CMD', '/bin/check'], intervalSeconds: 5, timeoutSeconds: 60, retries: 10, startPeriodSeconds: 300 },
      rollout: {
        strategy: 'Recreate',
        maxSurge: 0,
        maxUnavailable: '100%',
        minHealthySeconds: 0,
        progressDeadlineSeconds: 1,
        failureThreshold: 1,
        autoRollback: false,
      },
      revisionHistoryLimit: 0,
    };
    expect(specOf(full)).toEqual(full);
  });
});

describe('validateServiceSpec rules', () => {
  const table: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['image missing', { replicas: 1 }, 'image', /is required/],
    ['image empty', { ...minimal, image: '' }, 'image', /image reference/],
    ['image with a space', { ...minimal, image: 'nginx latest' }, 'image', /image reference/],
    ['image too long', { ...minimal, image: 'a'.repeat(256) }, 'image', /255/],
    ['image with an empty tag', { ...minimal, image: 'nginx::1' }, 'image', /Docker\/OCI image reference/],
    ['image repository in uppercase', { ...minimal, image: 'Nginx:1.27' }, 'image', /lowercase/],
    ['image ending in a colon', { ...minimal, image: 'nginx:' }, 'image', /image reference/],
    ['image digest too short', { ...minimal, image: 'nginx@sha256:abc' }, 'image', /image reference/],
    ['image path with a double dot', { ...minimal, image: 'repo/a..b' }, 'image', /image reference/],
    ['image not a string', { ...minimal, image: 42 }, 'image', /image reference/],
    ['replicas missing', { image: 'nginx' }, 'replicas', /is required/],
    ['replicas negative', { ...minimal, replicas: -1 }, 'replicas', /0 to 1000/],
    ['replicas over 1000', { ...minimal, replicas: 1001 }, 'replicas', /0 to 1000/],
    ['replicas as a string', { ...minimal, replicas: '3' }, 'replicas', /integer from 0 to 1000/],
    ['replicas fractional', { ...minimal, replicas: 1.5 }, 'replicas', /integer/],
    ['replicas huge', { ...minimal, replicas: 1e308 }, 'replicas', /0 to 1000/],
    ['replicas null', { ...minimal, replicas: null }, 'replicas', /0 to 1000/],
    ['cpu not a Fargate size', { ...minimal, cpu: 300 }, 'cpu', /Fargate CPU size/],
    ['memory below range', { ...minimal, memory: 256 }, 'memory', /512 to 122880/],
    ['memory not allowed with cpu', { ...minimal, cpu: 256, memory: 4096 }, 'memory', /512, 1024 or 2048 MiB with cpu 256/],
    ['default memory too small for the cpu', { ...minimal, cpu: 1024 }, 'memory', /2048 to 8192 in steps of 1024 MiB with cpu 1024 on Fargate; the default 512 does not fit, so set memory/],
    ['memory between steps', { ...minimal, cpu: 256, memory: 1536 }, 'memory', /with cpu 256/],
    ['memory off the 8 vCPU step', { ...minimal, cpu: 8192, memory: 17408 }, 'memory', /16384 to 61440 in steps of 4096/],
    ['command empty', { ...minimal, command: [] }, 'command', /non-empty array of strings/],
    ['command not an array', { ...minimal, command: 'node server.js' }, 'command', /non-empty array of strings/],
    ['command item not a string', { ...minimal, command: ['node', 3] }, 'command[1]', /must be a string/],
    ['environment not an object', { ...minimal, environment: ['A=1'] }, 'environment', /NAME: value/],
    ['environment name starting with a digit', { ...minimal, environment: { '1A': 'x' } }, 'environment.1A', /variable name/],
    ['environment name with a dash', { ...minimal, environment: { 'MY-VAR': 'x' } }, 'environment.MY-VAR', /variable name/],
    ['environment value a number', { ...minimal, environment: { PORT: 8080 } }, 'environment.PORT', /must be a string/],
    ['secret value not an ARN or name', { ...minimal, secrets: { X: 'has space' } }, 'secrets.X', /secret ARN or name/],
    ['secret name invalid', { ...minimal, secrets: { 'a b': 'name' } }, 'secrets.a b', /variable name/],
    ['secret also in environment', { ...minimal, environment: { TOKEN: 'x' }, secrets: { TOKEN: 'tok' } }, 'secrets.TOKEN', /also set in environment/],
    ['port zero', { ...minimal, port: 0 }, 'port', /1 to 65535/],
    ['port too large', { ...minimal, port: 65536 }, 'port', /1 to 65535/],
    ['health check without command', { ...minimal, healthCheck: {} }, 'healthCheck.command', /is required/],
    ['health check command without CMD', { ...minimal, healthCheck: { command: ['curl', 'x'] } }, 'healthCheck.command[0]', /"CMD" or "CMD-SHELL"/],
    ['health check command alone', { ...minimal, healthCheck: { command: ['CMD-SHELL'] } }, 'healthCheck.command', /CMD-SHELL/],
    ['health check interval too short', { ...minimal, healthCheck: { command: ['CMD', 'x'], intervalSeconds: 4 } }, 'healthCheck.intervalSeconds', /5 to 300/],
    ['health check timeout too long', { ...minimal, healthCheck: { command: ['CMD', 'x'], timeoutSeconds: 61 } }, 'healthCheck.timeoutSeconds', /2 to 60/],
    ['health check retries zero', { ...minimal, healthCheck: { command: ['CMD', 'x'], retries: 0 } }, 'healthCheck.retries', /1 to 10/],
    ['health check start period too long', { ...minimal, healthCheck: { command: ['CMD', 'x'], startPeriodSeconds: 301 } }, 'healthCheck.startPeriodSeconds', /0 to 300/],
    ['health check unknown field', { ...minimal, healthCheck: { command: ['CMD', 'x'], interval: 5 } }, 'healthCheck.interval', /not a known field; did you mean "intervalSeconds"/],
    ['rollout not an object', { ...minimal, rollout: 'fast' }, 'rollout', /.+/],
    ['rollout strategy unknown', { ...minimal, rollout: { strategy: 'BlueGreen' } }, 'rollout.strategy', /"RollingUpdate", "Recreate" or "Canary"/],
    ['canary without steps', { ...minimal, rollout: { strategy: 'Canary' } }, 'rollout.steps', /required when strategy is Canary/],
    ['steps without canary', { ...minimal, rollout: { steps: [{ setWeight: 50 }] } }, 'rollout.steps', /only for strategy Canary \(strategy is RollingUpdate\)/],
    ['canary weight above 100', { ...minimal, rollout: { strategy: 'Canary', steps: [{ setWeight: 101 }] } }, 'rollout.steps[0]', /setWeight.*1\.\.100|"setWeight": 1\.\.100/],
    ['canary weight going down', { ...minimal, rollout: { strategy: 'Canary', steps: [{ setWeight: 50 }, { pause: {} }, { setWeight: 25 }] } }, 'rollout.steps[2].setWeight', /below an earlier step's weight \(50\)/],
    ['canary pause with an unknown field', { ...minimal, rollout: { strategy: 'Canary', steps: [{ pause: { minutes: 5 } }] } }, 'rollout.steps[0]', /.+/],
    ['alarms not names', { ...minimal, rollout: { alarms: [''] } }, 'rollout.alarms[0]', /alarm name/],
    ['alarms repeated', { ...minimal, rollout: { alarms: ['a', 'a'] } }, 'rollout.alarms', /distinct/],
    ['maxSurge over 100%', { ...minimal, rollout: { maxSurge: '101%' } }, 'rollout.maxSurge', /"0%" to "100%"/],
    ['maxSurge negative', { ...minimal, rollout: { maxSurge: -1 } }, 'rollout.maxSurge', /count from 0/],
    ['maxSurge fractional percent', { ...minimal, rollout: { maxSurge: '2.5%' } }, 'rollout.maxSurge', /percentage/],
    ['maxUnavailable bare number string', { ...minimal, rollout: { maxUnavailable: '1' } }, 'rollout.maxUnavailable', /percentage/],
    ['both zero as counts', { ...minimal, rollout: { maxSurge: 0, maxUnavailable: 0 } }, 'rollout', /cannot both be 0/],
    ['both zero as percentages', { ...minimal, rollout: { maxSurge: '0%', maxUnavailable: '0%' } }, 'rollout', /cannot both be 0/],
    ['both zero, surge given, unavailable by default', { ...minimal, rollout: { maxSurge: '0%' } }, 'rollout', /cannot both be 0/],
    ['minHealthySeconds negative', { ...minimal, rollout: { minHealthySeconds: -1 } }, 'rollout.minHealthySeconds', /0 to 3600/],
    ['progress deadline not above min healthy', { ...minimal, rollout: { minHealthySeconds: 60, progressDeadlineSeconds: 60 } }, 'rollout.progressDeadlineSeconds', /greater than minHealthySeconds \(60\)/],
    ['failureThreshold zero', { ...minimal, rollout: { failureThreshold: 0 } }, 'rollout.failureThreshold', /1 to 1000/],
    ['autoRollback a string', { ...minimal, rollout: { autoRollback: 'yes' } }, 'rollout.autoRollback', /true or false/],
    ['revisionHistoryLimit over 100', { ...minimal, revisionHistoryLimit: 101 }, 'revisionHistoryLimit', /0 to 100/],
    ['unknown top-level field', { ...minimal, replica: 2 }, 'replica', /not a known field; did you mean "replicas"/],
    ['name in the body', { ...minimal, name: 'web' }, 'name', /not a known field/],
    ['prototype key', JSON.parse('{"image":"nginx","replicas":1,"__proto__":{"replicas":5}}'), '__proto__', /not a known field/],
  ];

  it.each(table)('%s', (_, input, field, message) => {
    const errors = errorsOf(input);
    const error = errors.find((e) => e.field === field);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error?.message).toMatch(message);
  });

  it('reports every problem at once, each field once', () => {
    const errors = errorsOf({ replicas: '3', cpu: 100, rollout: { maxSurge: 'lots' }, colour: 'blue' });
    expect(errors.map((e) => e.field).sort()).toEqual(['colour', 'cpu', 'image', 'replicas', 'rollout.maxSurge']);
  });

  it('does not pile a cross-field error on a malformed field', () => {
    expect(errorsOf({ ...minimal, memory: 'lots' }).map((e) => e.field)).toEqual(['memory']);
    expect(errorsOf({ ...minimal, rollout: { maxSurge: 'x', maxUnavailable: 0 } }).map((e) => e.field)).toEqual([
      'rollout.maxSurge',
    ]);
  });

  it.each([null, undefined, 'spec', 42, true, [], [minimal]])('rejects %j as a whole', (input) => {
    expect(errorsOf(input)).toEqual([{ field: '', message: 'must be a JSON object' }]);
  });

  it('accepts an environment variable named like a prototype key as an ordinary variable', () => {
    const spec = specOf(JSON.parse('{"image":"nginx","replicas":1,"environment":{"__proto__":"v","constructor":"c"}}'));
    expect(Object.getPrototypeOf(spec.environment)).toBe(Object.prototype);
    expect(Object.entries(spec.environment)).toEqual([
      ['__proto__', 'v'],
      ['constructor', 'c'],
    ]);
  });

  it('never mutates its input', () => {
    const input = { ...minimal, rollout: { maxSurge: 1 }, healthCheck: { command: ['CMD', 'x'] } };
    const before = structuredClone(input);
    specOf(input);
    expect(input).toEqual(before);
  });

  it('returns a spec that shares nothing with the input', () => {
    const input = { ...minimal, command: ['a'], environment: { A: '1' } };
    const spec = specOf(input);
    spec.command?.push('b');
    spec.environment.B = '2';
    expect(input).toEqual({ ...minimal, command: ['a'], environment: { A: '1' } });
  });

  it('treats a non-JSON value as a type error, not a crash', () => {
    const cyclic: Record<string, unknown> = { ...minimal };
    cyclic.self = cyclic;
    expect(errorsOf(cyclic)).toEqual([{ field: '', message: 'must be a JSON object' }]);
    expect(errorsOf({ ...minimal, replicas: Number.NaN }).map((e) => e.field)).toEqual(['replicas']);
    expect(errorsOf({ ...minimal, replicas: 10n }).map((e) => e.field)).toEqual(['']);
  });
});

describe('loadBalancers entries the schema refuses', () => {
  it.each([[[null]], [['arn']], [[{ targetGroupArn: 'x' }, null]]])('are reported once, without a crash: %j', (loadBalancers) => {
    const result = validateServiceSpec({ image: 'nginx', replicas: 1, loadBalancers });
    expect(result.ok).toBe(false);
  });
});

describe('canary and alarm fields', () => {
  it('keeps the steps and alarms it was given, in order', () => {
    const result = validateServiceSpec({
      image: 'nginx:1.27',
      replicas: 4,
      rollout: { strategy: 'Canary', steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { seconds: 20 } }], alarms: ['web-5xx'] },
    });
    expect(result.ok && result.spec.rollout).toMatchObject({
      strategy: 'Canary',
      steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { seconds: 20 } }],
      alarms: ['web-5xx'],
    });
  });

  it('leaves steps and alarms out of a spec that has none, so older specs read back the same', () => {
    const result = validateServiceSpec({ image: 'nginx:1.27', replicas: 2 });
    expect(result.ok && Object.keys(result.spec.rollout)).not.toContain('steps');
    expect(result.ok && Object.keys(result.spec.rollout)).not.toContain('alarms');
  });
});
