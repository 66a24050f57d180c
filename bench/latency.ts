import type { EventBridgeEvent } from 'aws-lambda';
import { startLocalRuntime, zeroDelays } from '../lib/local/runtime.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Control-plane overhead in local mode on the wall clock with zero simulated delays: from the
 * desired-state write (the PUT) to the first RunTask of that service (its first task event).
 */
export async function benchWriteToRunTask(samples: number): Promise<{ samples: number; p50Ms: number; p99Ms: number }> {
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, delays: zeroDelays });
  const firstTask = new Map<string, number>();
  rt.bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (event: EventBridgeEvent<string, { startedBy?: string }>) => {
    const by = event.detail.startedBy;
    if (by && !firstTask.has(by)) firstTask.set(by, performance.now());
  });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const name = `lat-${i}`;
      const start = performance.now();
      await fetch(`${rt.apiUrl}/services/${name}`, {
        method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image: 'bench:1', replicas: 1 }),
      });
      while (!firstTask.has(`corral/${name}`)) await new Promise((resolve) => setTimeout(resolve, 1));
      latencies.push(firstTask.get(`corral/${name}`)! - start);
    }
  } finally {
    await rt.close();
  }
  latencies.sort((a, b) => a - b);
  return { samples, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Wall time of a 10-replica rollout's control-plane work with zero simulated delays. */
export async function benchRollout(replicas: number): Promise<{ replicas: number; wallMs: number }> {
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, delays: zeroDelays });
  const status = async () => ((await (await fetch(`${rt.apiUrl}/services/roll`)).json()) as { status: { phase: string; revision: number } }).status;
  const put = (image: string) => fetch(`${rt.apiUrl}/services/roll`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ image, replicas, rollout: { minHealthySeconds: 0, maxSurge: '25%', maxUnavailable: 0 } }),
  });
  try {
    await put('bench:1');
    while ((await status()).phase !== 'Available') await new Promise((resolve) => setTimeout(resolve, 5));
    const start = performance.now();
    await put('bench:2');
    for (;;) {
      const s = await status();
      if (s.phase === 'Available' && s.revision === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { replicas, wallMs: performance.now() - start };
  } finally {
    await rt.close();
  }
}
