import { benchmarkFleet, plan } from '../lib/core/planner/index.js';

/** Planner CPU per task, steady state and at the start of a rollout (median of repeated runs). */
export function benchPlanner(sizes: number[]): { tasks: number; steadyUsPerTask: number; rolloutUsPerTask: number }[] {
  return sizes.map((tasks) => ({
    tasks,
    steadyUsPerTask: usPerTask(tasks, false),
    rolloutUsPerTask: usPerTask(tasks, true),
  }));
}

function usPerTask(tasks: number, rollout: boolean): number {
  const { desired, observed, now } = benchmarkFleet(tasks, { rollout });
  const repeats = Math.max(5, Math.min(2_000, Math.floor(200_000 / tasks)));
  for (let i = 0; i < repeats; i++) plan(desired, observed, now);
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    plan(desired, observed, now);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return (samples[Math.floor(samples.length / 2)] * 1000) / tasks;
}
