import { benchPlanner } from './planner.js';
import { benchSweep } from './sweep.js';
import { benchRollout, benchWriteToRunTask } from './latency.js';
import { benchBundles } from './bundles.js';
import { printTargetSummary, reportAtMost } from './targets.js';

/**
 * `npm run bench`: prints the design's performance figures. Figures, not pass/fail: these
 * machines are shared and noisy. Targets: planner < 5 µs per task at 10,000 tasks; sweep ECS
 * calls within 10% of the minimum; desired-state write to first RunTask p99 < 250 ms.
 */
const fmt = (n: number, digits = 2) => n.toFixed(digits);
/** `npm run bench -- latency` runs one section; no argument runs them all. */
const only = process.argv[2];
const runs = (section: string) => only === undefined || only === section;

if (runs('planner')) {
console.log('Planner CPU per task (median)');
for (const row of benchPlanner([10, 100, 1_000, 10_000])) {
  console.log(`  ${String(row.tasks).padStart(6)} tasks: steady ${fmt(row.steadyUsPerTask)} µs/task, rollout start ${fmt(row.rolloutUsPerTask)} µs/task`);
}
}

if (runs('sweep')) {
console.log('\nECS calls per steady-state sweep (10 tasks per service)');
for (const services of [10, 100, 1_000]) {
  const s = await benchSweep(services, 10);
  const overhead = ((s.ecsCalls / s.minimumCalls - 1) * 100);
  console.log(`  ${String(services).padStart(5)} services, ${s.tasks} tasks: ${s.ecsCalls} calls (minimum ${s.minimumCalls}, ${overhead >= 0 ? '+' : ''}${fmt(overhead, 1)}%) ${JSON.stringify(s.byOperation)}; sweep wall ${fmt(s.wallMs, 0)} ms`);
}
}

if (runs('latency')) {
console.log('\nLocal mode, zero simulated delays');
const latency = await benchWriteToRunTask(200);
console.log(`  desired-state write → first RunTask over ${latency.samples} services: p50 ${fmt(latency.p50Ms, 1)} ms, p99 ${fmt(latency.p99Ms, 1)} ms`);
const rollout = await benchRollout(10);
console.log(`  10-replica rollout, control plane only: ${fmt(rollout.wallMs, 0)} ms from PUT to Available`);
}

if (runs('bundles')) {
console.log('\nLambda bundles: cold import, median CPU time of fresh processes (Lambda environment, source maps on)');
const figures = await benchBundles();
console.log(`  reference (DynamoDB, ECS and SQS clients only): ${fmt(figures.referenceMs, 1)} ms`);
for (const b of figures.bundles) {
  const heaviest = Object.entries(b.packages).sort((x, y) => y[1] - x[1]).slice(0, 4).map(([p, n]) => `${p} ${Math.round(n / 1024)} KB`).join(', ');
  console.log(`  ${b.name}: ${Math.round(b.bytes / 1024)} KB, ${fmt(b.importMs, 1)} ms (${heaviest})`);
  reportAtMost(`${b.name} import time over the reference`, b.ratio, 1.1, '×');
}
}

printTargetSummary();
