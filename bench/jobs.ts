import { startLocalRuntime, zeroDelays } from '../lib/local/runtime.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const benchStartSecond = 45;

/**
 * Job start lateness in local mode on the wall clock: `runs` rate(1 minute) jobs created
 * `spacingMs` apart, so their first ticks fall between the one-minute ticks and only the precise
 * wake-ups can start them on time — and, with 100 jobs 300 ms apart, across one of those
 * one-minute ticks, whose pass holds the lease while it visits every job. Lateness is each job's first run as `GET /jobs/{name}` shows
 * it over the wire (`latenessSeconds`: RunTask's task creation minus the tick). The jobs are read
 * once their ticks have passed, not polled meanwhile, so the reading adds no load to what it
 * measures. Takes up to a minute to start, then a little over a minute plus runs × spacing.
 */
export async function benchJobLateness(runs: number, spacingMs: number): Promise<{ runs: number; p50Ms: number; p99Ms: number; maxMs: number }> {
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, delays: zeroDelays });
  try {
    await fetch(`${rt.awsUrl}/_corral/images`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: 'bench-job:*', behavior: 'exit', afterSeconds: 1 }) });
    // Start at second 45 of a minute: the first ticks then run from :45 to :75, across the
    // one-minute tick at :00, whose pass visits every job while ticks keep coming due.
    await sleep((((benchStartSecond * 1000 - Date.now()) % 60_000) + 60_000) % 60_000);
    const names: string[] = [];
    let lastTick = 0;
    for (let i = 0; i < runs; i++) {
      const name = `late-${i}`;
      names.push(name);
      const response = await fetch(`${rt.apiUrl}/jobs/${name}`, {
        method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image: 'bench-job:1', schedule: 'rate(1 minute)' }),
      });
      if (response.status !== 201) throw new Error(`PUT /jobs/${name} answered ${response.status}`);
      lastTick = Date.now() + 60_000;
      await sleep(spacingMs);
    }
    await sleep(Math.max(0, lastTick + 3_000 - Date.now()));
    const lateness = new Map<string, number>();
    const deadline = Date.now() + 60_000;
    while (lateness.size < runs && Date.now() < deadline) {
      for (const name of names.filter((n) => !lateness.has(n))) {
        const { status } = (await (await fetch(`${rt.apiUrl}/jobs/${name}`)).json()) as { status: { lastRuns: { latenessSeconds?: number }[] } };
        const first = status.lastRuns[status.lastRuns.length - 1];
        if (first?.latenessSeconds !== undefined) lateness.set(name, first.latenessSeconds * 1000);
      }
      if (lateness.size < runs) await sleep(2_000);
    }
    if (lateness.size < runs) throw new Error(`only ${lateness.size} of ${runs} jobs started within a minute of their first tick`);
    const sorted = [...lateness.values()].sort((a, b) => a - b);
    return { runs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] };
  } finally {
    await rt.close();
  }
}
