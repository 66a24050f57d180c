import { AwsError } from './errors.js';
import type { FaultControls } from './faults.js';

/**
 * The fault rehearsal surface: `POST /_corral/images` sets how tasks of matching images behave,
 * `POST /_corral/faults` sets the throttled share of ECS calls (and of RunTask capacity failures);
 * GET on either shows the current settings.
 */
export function handleControl(faults: FaultControls, method: string, path: string, body: unknown): unknown {
  if (path === '/_corral/images') {
    if (method === 'POST') return { rule: faults.setImageRule(body), rules: faults.listImageRules() };
    if (method === 'GET') return { rules: faults.listImageRules() };
  }
  if (path === '/_corral/faults') {
    if (method === 'POST') return faults.setFaults(body);
    if (method === 'GET') return { throttle: faults.throttle, runTaskFailure: faults.runTaskFailure };
  }
  if (path === '/_corral/health' && method === 'GET') return { status: 'running', services: ['dynamodb', 'ecs', 'secretsmanager', 'elasticloadbalancing', 'servicediscovery'] };
  throw new AwsError('UnknownOperationException', `No local control at ${method} ${path}`, 404);
}
