import { startLocalRuntime, zeroDelays } from '../lib/local/runtime.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Job start lateness in local mode on the wall clock: `runs` rate(1 minute) jobs created
 * `spacingMs` apart, so their first ticks fall between the one-minute ticks and only the precise
 * wake-ups can start them on time. Lateness is RunTask's task creation minus the tick, as
 * `describe job` shows it. Takes a little over a minute plus runs × spacing.
 */
export async function benchJobLateness(runs: number, spacingMs: number): Promise<{ runs: number; p50Ms: number; p99Ms: number; maxMs: number }> {
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, delays: zeroDelays });
  try {
    await fetch(`${rt.awsUrl}/_corral/images`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: 'bench-job:*', behavior: 'exit', afterSeconds: 1 }) });
    const names: string[] = [];
    for (let i = 0; i < runs; i++) {
      const name = `late-${i}`;
      names.push(name);
      const response = await fetch(`${rt.apiUrl}/jobs/${name}`, {
        method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image: 'bench-job:1', schedule: 'rate(1 minute)' }),
      });
      if (response.status !== 201) throw new Error(`PUT /jobs/${name} answered ${response.status}`);
      await sleep(spacingMs);
    }
    const lateness = new Map<string, number>();
    const deadline = Date.now() + 2 * 60_000;
    while (lateness.size < runs && Date.now() < deadline) {
      await sleep(1_000);
      for (const name of names.filter((n) => !lateness.has(n))) {
        const [first] = (await rt.jobs.listRuns(name)).slice(-1);
        if (first?.startedAt !== undefined) lateness.set(name, first.startedAt - first.tick);
      }
    }
    if (lateness.size < runs) throw new Error(`only ${lateness.size} of ${runs} jobs started within two minutes`);
    const sorted = [...lateness.values()].sort((a, b) => a - b);
    return { runs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] };
  } finally {
    await rt.close();
  }
}
