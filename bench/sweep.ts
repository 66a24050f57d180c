import { reconcileService } from '../lib/reconciler/runner.js';
import { sweep } from '../lib/reconciler/sweep.js';
import { startLocalRuntime, zeroDelays } from '../lib/local/runtime.js';
import type { VirtualClock } from '../lib/local/virtual-clock.js';
import { type ByOperation, readStats, resetStats } from './counted-calls.js';

export interface SweepFigures {
  services: number;
  tasks: number;
  /** Every call the sweep made, counted by the local endpoint. */
  byOperation: ByOperation;
  minimumCalls: number;
  wallMs: number;
}

/**
 * ECS calls of one steady-state sweep of `services` services with `replicas` tasks each, in
 * local mode (zero delays, virtual time), against the minimum: ceil(tasks/100) ListTasks plus
 * ceil(tasks/100) DescribeTasks.
 */
export async function benchSweep(services: number, replicas: number): Promise<SweepFigures> {
  // The reconciler is invoked directly rather than by every task event: the figure wanted is one
  // steady-state sweep, and 30,000 start-up events would only slow the set-up down.
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: zeroDelays, reconcile: false });
  const clock = rt.clock as VirtualClock;
  try {
    const names = Array.from({ length: services }, (_, i) => `svc-${i}`);
    for (const name of names) {
      await fetch(`${rt.apiUrl}/services/${name}`, {
        method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image: 'bench:1', replicas, rollout: { minHealthySeconds: 0 } }),
      });
    }
    const reconcile = { ...rt.reconcilerDeps, holder: 'bench-setup' };
    for (let i = 0; i < names.length; i += 16) {
      await Promise.all(names.slice(i, i + 16).map((name) => reconcileService(reconcile, name)));
    }
    await rt.bus.runFor(clock, 5_000);
    const deps = { ...rt.reconcilerDeps, holder: 'bench' };
    await sweep(deps);
    await resetStats(rt.awsUrl);
    const start = performance.now();
    const result = await sweep(deps);
    const wallMs = performance.now() - start;
    return { services, tasks: result.tasks, byOperation: await readStats(rt.awsUrl), minimumCalls: 2 * Math.ceil(result.tasks / 100), wallMs };
  } finally {
    await rt.close();
  }
}
