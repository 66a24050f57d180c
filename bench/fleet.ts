import { startLocalRuntime, zeroDelays } from '../lib/local/runtime.js';
import type { VirtualClock } from '../lib/local/virtual-clock.js';
import { type ByOperation, callsBetween, readStats, resetStats } from './counted-calls.js';

export interface FleetFigures {
  services: number;
  replicas: number;
  /** CPU seconds of the whole local mode process (endpoint, reconcilers, API) per service. */
  createCpuSecondsPerService: number;
  rolloutCpuSecondsPerService: number;
  /** Every call the rollout of all services made (the bench's own status reads taken out). */
  rolloutCalls: ByOperation;
  rolloutVirtualSeconds: number;
}

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/**
 * A fleet in local mode with zero simulated delays on virtual time: `services` services of
 * `replicas` tasks are created and become Available, then all roll to a new image (maxSurge 25%,
 * maxUnavailable 0). CPU is the process's own; calls are the endpoint's counts, less the ones
 * this bench's completion checks made (taken while nothing else runs: the bus is idle then).
 */
export async function benchFleet(services: number, replicas: number): Promise<FleetFigures> {
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: zeroDelays });
  const clock = rt.clock as VirtualClock;
  const names = Array.from({ length: services }, (_, i) => `fleet-${i}`);
  const put = (name: string, image: string) => fetch(`${rt.apiUrl}/services/${name}`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ image, replicas, rollout: { minHealthySeconds: 0, maxSurge: '25%', maxUnavailable: 0 } }),
  });
  let checkCalls: ByOperation = {};
  const allAvailableAt = (revision: number) => async () => {
    const before = await readStats(rt.awsUrl);
    const listed = (await (await fetch(`${rt.apiUrl}/services?limit=500`)).json()) as { services: { status?: { phase: string; revision: number } }[] };
    const done = listed.services.length === services && listed.services.every((s) => s.status?.phase === 'Available' && s.status.revision === revision);
    const spent = callsBetween(await readStats(rt.awsUrl), before);
    for (const [op, n] of Object.entries(spent)) checkCalls[op] = (checkCalls[op] ?? 0) + n;
    return done;
  };
  try {
    const createStart = cpuSeconds();
    for (const name of names) await put(name, 'bench:1');
    if (!(await rt.bus.runUntil(clock, allAvailableAt(1), 600_000))) throw new Error('the fleet did not become Available');
    const createCpu = cpuSeconds() - createStart;

    await resetStats(rt.awsUrl);
    checkCalls = {};
    const rolloutStart = cpuSeconds();
    const virtualStart = clock.now();
    for (const name of names) await put(name, 'bench:2');
    if (!(await rt.bus.runUntil(clock, allAvailableAt(2), 600_000))) throw new Error('the rollout did not finish');
    const rolloutCpu = cpuSeconds() - rolloutStart;
    const rolloutCalls = callsBetween(await readStats(rt.awsUrl), checkCalls);
    return {
      services, replicas,
      createCpuSecondsPerService: createCpu / services,
      rolloutCpuSecondsPerService: rolloutCpu / services,
      rolloutCalls,
      rolloutVirtualSeconds: (clock.now() - virtualStart) / 1000,
    };
  } finally {
    await rt.close();
  }
}
