import { AwsError } from './errors.js';
import type { FaultControls } from './faults.js';
import type { StatsCounter } from './stats.js';

/**
 * The fault rehearsal surface: `POST /_corral/images` sets how tasks of matching images behave,
 * `POST /_corral/faults` sets the throttled share of ECS calls (and of RunTask capacity failures);
 * `{"ecsRateLimits": "aws"}` applies ECS's token buckets; GET on either shows the current settings.
 */
export function handleControl(faults: FaultControls, method: string, path: string, body: unknown): unknown {
  if (path === '/_corral/images') {
    if (method === 'POST') return { rule: faults.setImageRule(body), rules: faults.listImageRules() };
    if (method === 'GET') return { rules: faults.listImageRules() };
  }
  if (path === '/_corral/faults') {
    if (method === 'POST') return faults.setFaults(body);
    if (method === 'GET') return faults.settings();
  }
  if (path === '/_corral/health' && method === 'GET') return { status: 'running', services: ['dynamodb', 'ecs', 'secretsmanager', 'elasticloadbalancing', 'servicediscovery'] };
  throw new AwsError('UnknownOperationException', `No local control at ${method} ${path}`, 404);
}

/**
 * `GET /_corral/stats`: every request the endpoint served since start or since the last
 * `DELETE /_corral/stats`, as `{"byOperation": {"ecs:ListTasks": n, ...}, "throttled": n}`.
 */
export function handleStatsControl(stats: StatsCounter, method: string): unknown {
  if (method === 'GET') return stats.snapshot();
  if (method === 'DELETE') {
    stats.reset();
    return stats.snapshot();
  }
  throw new AwsError('UnknownOperationException', `No local control at ${method} /_corral/stats`, 404);
}
