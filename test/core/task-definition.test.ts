import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  healthCheckCommand,
  jobStartedBy,
  secretValueFrom,
  serviceStartedBy,
  taskDefinitionFor,
  type TaskDefinitionParams,
  type TaskTemplate,
} from '../../lib/core/task-definition.js';

const executionRoleArn = 'arn:aws:iam::123456789012:role/corral-execution';
const taskRoleArn = 'arn:aws:iam::123456789012:role/corral-task';

function params(template: Partial<TaskTemplate> = {}, extra: Partial<TaskDefinitionParams> = {}): TaskDefinitionParams {
  return {
    service: 'web',
    revision: 3,
    template: { image: 'nginx:1.27', environment: {}, secrets: {}, cpu: 256, memory: 512, ...template },
    executionRoleArn,
    taskRoleArn,
    logGroup: '/corral/services/web',
    region: 'eu-west-1',
    ...extra,
  };
}

describe('taskDefinitionFor', () => {
  it('builds a Fargate task definition of one essential container for the revision', () => {
    const def = taskDefinitionFor(params({ command: ['nginx', '-g', 'daemon off;'], port: 8080, cpu: 512, memory: 1024 }));
    expect(def).toMatchObject({
      family: 'corral-web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      executionRoleArn,
      taskRoleArn,
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      tags: [
        { key: 'corral:service', value: 'web' },
        { key: 'corral:revision', value: '3' },
      ],
    });
    expect(def.containerDefinitions).toHaveLength(1);
    expect(def.containerDefinitions[0]).toMatchObject({
      name: 'app',
      image: 'nginx:1.27',
      essential: true,
      command: ['nginx', '-g', 'daemon off;'],
      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/corral/services/web',
          'awslogs-region': 'eu-west-1',
          'awslogs-stream-prefix': 'rev3',
        },
      },
    });
  });

  it('leaves out what the template leaves out', () => {
    const [container] = taskDefinitionFor(params()).containerDefinitions;
    expect(container).not.toHaveProperty('command');
    expect(container).not.toHaveProperty('healthCheck');
    expect(container.portMappings).toEqual([]);
  });

  it('takes the CPU architecture as a parameter', () => {
    expect(taskDefinitionFor(params({}, { cpuArchitecture: 'ARM64' })).runtimePlatform.cpuArchitecture).toBe('ARM64');
  });

  it('sorts environment variables and secrets by name', () => {
    const [container] = taskDefinitionFor(
      params({
        environment: { ZONE: 'z', API_URL: 'http://api', LOG_LEVEL: 'info' },
        secrets: { TOKEN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:token-AbCdEf', DB: 'db-password' },
      }),
    ).containerDefinitions;
    expect(container.environment).toEqual([
      { name: 'API_URL', value: 'http://api' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'ZONE', value: 'z' },
    ]);
    expect(container.secrets).toEqual([
      { name: 'DB', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password' },
      { name: 'TOKEN', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:token-AbCdEf' },
    ]);
  });

  it('gives the same definition whatever order the environment was written in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (environment) => {
        const reversed = Object.fromEntries(Object.entries(environment).reverse());
        expect(taskDefinitionFor(params({ environment: reversed }))).toEqual(taskDefinitionFor(params({ environment })));
      }),
    );
  });

  it('translates the health check from seconds to ECS fields', () => {
    const [container] = taskDefinitionFor(
      params({
        healthCheck: {
          command: ['curl -f http://localhost:8080/health || exit 1'],
          intervalSeconds: 10,
          timeoutSeconds: 4,
          retries: 2,
          startPeriodSeconds: 60,
        },
      }),
    ).containerDefinitions;
    expect(container.healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
      interval: 10,
      timeout: 4,
      retries: 2,
      startPeriod: 60,
    });
  });
});

describe('healthCheckCommand', () => {
  it.each([
    [['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], ['CMD-SHELL', 'curl -f http://localhost/ || exit 1']],
    [['CMD', 'curl', '-f', 'http://localhost/'], ['CMD', 'curl', '-f', 'http://localhost/']],
    [['curl -f http://localhost/ || exit 1'], ['CMD-SHELL', 'curl -f http://localhost/ || exit 1']],
    [['/bin/healthy'], ['CMD-SHELL', '/bin/healthy']],
    [['curl', '-f', 'http://localhost/a b'], ['CMD', 'curl', '-f', 'http://localhost/a b']],
  ])('%j → %j', (command, expected) => {
    expect(healthCheckCommand(command)).toEqual(expected);
  });
});

describe('secretValueFrom', () => {
  it.each([
    ['db-password', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password'],
    ['arn:aws:secretsmanager:us-east-1:999999999999:secret:x-AbCdEf', 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x-AbCdEf'],
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::'],
  ])('%s → %s', (secret, expected) => {
    expect(secretValueFrom(secret, executionRoleArn, 'eu-west-1')).toBe(expected);
  });

  it('takes the partition from the execution role', () => {
    expect(secretValueFrom('s', 'arn:aws-cn:iam::111122223333:role/x', 'cn-north-1')).toBe(
      'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:s',
    );
  });
});

describe('startedBy', () => {
  it('names services and jobs apart, within RunTask startedBy rules', () => {
    expect(serviceStartedBy('web')).toBe('corral/web');
    expect(jobStartedBy('web')).toBe('corral-job/web');
    expect(serviceStartedBy('web')).toMatch(/^[A-Za-z0-9/_-]{1,128}$/);
  });
});
