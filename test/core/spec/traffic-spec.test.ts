import { describe, expect, it } from 'vitest';
import { templateHash, templateOf, validateServiceSpec } from '../../../lib/core/spec/index.js';
import { taskDefinitionFor } from '../../../lib/core/task-definition.js';

const targetGroupArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
const registryArn = 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-utcrh6wavdkggqtk';
const base = { image: 'nginx:1.27', replicas: 2, port: 8080 };

function errorsOf(input: unknown) {
  const result = validateServiceSpec(input);
  return result.ok ? [] : result.errors;
}

describe('loadBalancers and serviceRegistries in a service spec', () => {
  it('accepts up to 5 target groups and 1 registry, and keeps them as written', () => {
    const result = validateServiceSpec({ ...base, loadBalancers: [{ targetGroupArn }, { targetGroupArn: targetGroupArn.replace('web', 'admin'), containerPort: 9090 }], serviceRegistries: [{ registryArn }] });
    expect(result.ok && result.spec).toMatchObject({
      loadBalancers: [{ targetGroupArn }, { targetGroupArn: targetGroupArn.replace('web', 'admin'), containerPort: 9090 }],
      serviceRegistries: [{ registryArn }],
    });
  });

  it.each([
    [{ loadBalancers: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef' }] }, 'loadBalancers[0].targetGroupArn'],
    [{ loadBalancers: [{ targetGroupArn: 'web' }] }, 'loadBalancers[0].targetGroupArn'],
    [{ loadBalancers: [{ targetGroupArn }, { targetGroupArn: `${targetGroupArn}0` }] }, 'loadBalancers[1].targetGroupArn'],
    [{ loadBalancers: [{ targetGroupArn, containerPort: 0 }] }, 'loadBalancers[0].containerPort'],
    [{ loadBalancers: [{ targetGroupArn, weight: 1 }] }, 'loadBalancers[0].weight'],
    [{ loadBalancers: [{ targetGroupArn }, { targetGroupArn }] }, 'loadBalancers[1].targetGroupArn'],
    [{ loadBalancers: Array.from({ length: 6 }, (_, i) => ({ targetGroupArn: targetGroupArn.replace('web', `web${i}`) })) }, 'loadBalancers'],
    [{ serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc' }] }, 'serviceRegistries[0].registryArn'],
    [{ serviceRegistries: [{ registryArn }, { registryArn }] }, 'serviceRegistries'],
    [{ serviceRegistries: {} }, 'serviceRegistries'],
  ])('refuses %j naming %s', (fields, field) => {
    expect(errorsOf({ ...base, ...fields }).map((e) => e.field)).toContain(field);
  });

  it('needs a port for a load balancer: containerPort or the spec’s port', () => {
    const { port: _, ...portless } = base;
    expect(errorsOf({ ...portless, loadBalancers: [{ targetGroupArn }] })).toEqual([
      { field: 'loadBalancers[0].containerPort', message: 'is required when the spec has no port' },
    ]);
    expect(errorsOf({ ...portless, loadBalancers: [{ targetGroupArn, containerPort: 80 }] })).toEqual([]);
  });

  it('a spec without traffic has the template (and hash) it had before traffic existed', () => {
    const result = validateServiceSpec(base);
    if (!result.ok) throw new Error('valid');
    expect(result.spec).not.toHaveProperty('loadBalancers');
    expect(Object.keys(templateOf(result.spec))).not.toContain('loadBalancers');
    const withTraffic = validateServiceSpec({ ...base, loadBalancers: [{ targetGroupArn }] });
    if (!withTraffic.ok) throw new Error('valid');
    // Adding a target group is a new revision: new tasks are registered, old ones drained.
    expect(templateHash(templateOf(withTraffic.spec))).not.toBe(templateHash(templateOf(result.spec)));
    expect(templateOf(withTraffic.spec).loadBalancers).toEqual([{ targetGroupArn, containerPort: 8080 }]);
  });

  it('maps every load balancer container port in the task definition', () => {
    const result = validateServiceSpec({ ...base, loadBalancers: [{ targetGroupArn }, { targetGroupArn: targetGroupArn.replace('web', 'admin'), containerPort: 9090 }] });
    if (!result.ok) throw new Error('valid');
    const definition = taskDefinitionFor({
      service: 'web', revision: 1, template: templateOf(result.spec), executionRoleArn: 'arn:aws:iam::123456789012:role/x',
      taskRoleArn: 'arn:aws:iam::123456789012:role/y', logGroup: '/corral/web', region: 'us-east-1',
    });
    expect(definition.containerDefinitions[0].portMappings).toEqual([
      { containerPort: 8080, protocol: 'tcp' },
      { containerPort: 9090, protocol: 'tcp' },
    ]);
  });
});
