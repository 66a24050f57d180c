import { benchPlanner } from './planner.js';
import { benchSweep } from './sweep.js';
import { benchRollout, benchWriteToRunTask } from './latency.js';
import { benchBundles } from './bundles.js';
import { benchJobLateness } from './jobs.js';
import { dynamoCalls, dynamoWrites, ecsListDescribe } from './counted-calls.js';
import { benchFleet } from './fleet.js';
import { benchEventToDeregister, benchTrafficRollout, realisticDelays } from './traffic.js';
import { printTargetSummary, reportAtMost } from './targets.js';
import { idleBill } from './idle-bill.js';

/**
 * `npm run bench`: prints the design's performance figures. Figures, not pass/fail: these
 * machines are shared and noisy. Targets: planner < 5 µs per task at 10,000 tasks; sweep ECS
 * calls within 10% of the minimum; desired-state write to first RunTask p99 < 250 ms.
 */
const fmt = (n: number, digits = 2) => n.toFixed(digits);
/** `npm run bench -- latency` runs one section (planner, sweep, latency, fleet, bundles); no argument runs them all. */
const only = process.argv[2];
const runs = (section: string) => only === undefined || only === section;

if (runs('planner')) {
console.log('Planner CPU per task (median)');
for (const row of benchPlanner([10, 100, 1_000, 10_000])) {
  console.log(`  ${String(row.tasks).padStart(6)} tasks: steady ${fmt(row.steadyUsPerTask)} µs/task, rollout start ${fmt(row.rolloutUsPerTask)} µs/task`);
  if (row.tasks === 10_000) reportAtMost('planner CPU at 10,000 tasks, µs a task', Math.max(row.steadyUsPerTask, row.rolloutUsPerTask), 5, ' µs');
}
}

if (runs('sweep')) {
console.log('\nSteady-state sweep (10 tasks per service), calls counted by the local endpoint');
for (const services of [10, 100, 1_000]) {
  const s = await benchSweep(services, 10, services === 1_000);
  const ecs = Object.entries(s.byOperation).filter(([op]) => op.startsWith('ecs:')).reduce((n, [, c]) => n + c, 0);
  const overhead = (ecs / s.minimumCalls - 1) * 100;
  console.log(`  ${String(services).padStart(5)} services, ${s.tasks} tasks (${s.stoppedTasks} stopped), ${s.reconciled} reconciled under a lease: ${ecs} ECS calls (minimum ${s.minimumCalls}, ${overhead >= 0 ? '+' : ''}${fmt(overhead, 1)}%), ${dynamoCalls(s.byOperation)} DynamoDB calls (${dynamoWrites(s.byOperation)} writes); sweep wall ${fmt(s.wallMs, 0)} ms`);
  console.log(`        ${JSON.stringify(s.byOperation)}${s.throttled ? ' (ECS throttled it)' : ''}`);
  if (services === 1_000) reportAtMost('steady-state sweep ECS calls over the minimum, 1,000 services', overhead, 10, '%', 1);
  if (services === 100 && s.idleTick) {
    reportAtMost('converged sweep of 100 services: DynamoDB calls', dynamoCalls(s.byOperation), 5, '', 0);
    reportAtMost('converged sweep of 100 services: DynamoDB writes', dynamoWrites(s.byOperation), 0, '', 0);
    const bill = idleBill(s.idleTick);
    const dollars = bill.dollars;
    console.log(`  one dispatcher tick of 100 idle services: ${JSON.stringify(s.idleTick.calls)}, ${fmt(s.idleTick.wallMs, 0)} ms`);
    console.log(`  idle bill, 100 services: ${bill.arithmetic}`);
    reportAtMost('idle bill of 100 services, $ a month', dollars, 1, '', 2);
  }
  if (services === 1_000 && s.scaled) {
    // ECS's task read bucket (lib/local/aws/ecs/rate-limits.ts): 100 at once, then 20 a second.
    const budget = 100 + 60 * 20;
    const k = s.scaled;
    console.log(`  10,000 services, modelled by these 1,000 at a tenth of the sweep's budget: at most ${k.maxReadsPerSweep * 10} ECS task reads a sweep (minute) against ECS's ${budget}; every service planned within ${k.sweepsToPlanAll} sweeps, the cluster listing round in ${k.sweepsToList}${k.throttled ? '; ECS throttled a sweep' : ''}`);
    reportAtMost('sweep of 10,000 services: ECS task reads a minute over ECS\'s budget for a minute', (k.maxReadsPerSweep * 10) / budget, 1, '×');
    reportAtMost('sweep of 10,000 services: minutes until every service is planned', k.sweepsToPlanAll, 2, '', 0);
    reportAtMost('sweeps ECS throttled under ecsRateLimits "aws" (1,000 services, and the model of 10,000)', Number(s.throttled) + Number(k.throttled), 0, '', 0);
  }
}
}

if (runs('fleet')) {
console.log('\nFleet rollout in local mode: 100 services × 10 replicas, zero delays, maxSurge 25%');
const f = await benchFleet(100, 10);
const perService = (n: number) => n / f.services;
console.log(`  create: ${fmt(f.createCpuSecondsPerService, 3)} CPU s a service; rollout: ${fmt(f.rolloutCpuSecondsPerService, 3)} CPU s a service (${fmt(f.rolloutVirtualSeconds, 0)} s of virtual time)`);
console.log(`  rollout calls: ${JSON.stringify(f.rolloutCalls)}`);
reportAtMost('10-replica rolling update: ECS list/describe calls a service', perService(ecsListDescribe(f.rolloutCalls)), 10, '', 1);
reportAtMost('10-replica rolling update: DynamoDB calls a service', perService(dynamoCalls(f.rolloutCalls)), 40, '', 1);
// 10,000 tasks at Fargate's 20 launches a second take 500 s (8.3 min); the task read bucket
// allows 100 + 500 × 20 = 10,100 list/describe calls in that time.
const fleetCalls = perService(ecsListDescribe(f.rolloutCalls)) * 1_000;
console.log(`  1,000 services × 10 tasks at these counts: ${Math.round(fleetCalls)} list/describe calls, ${fmt(fleetCalls / 20 / 60, 1)} min at 20 a second, against RunTask's 8.3 min`);
reportAtMost('fleet rollout of 1,000 × 10: list/describe calls over what 8.3 min of ECS budget allows', fleetCalls / 10_100, 1, '×');
reportAtMost('local mode create, CPU s a service', f.createCpuSecondsPerService, 0.07, '', 3);
reportAtMost('local mode rollout, CPU s a service', f.rolloutCpuSecondsPerService, 0.15, '', 3);
}

if (runs('latency')) {
console.log('\nLocal mode, zero simulated delays');
const latency = await benchWriteToRunTask(200);
console.log(`  desired-state write → first RunTask over ${latency.samples} services: p50 ${fmt(latency.p50Ms, 1)} ms, p99 ${fmt(latency.p99Ms, 1)} ms`);
reportAtMost('desired-state write → first RunTask, p99', latency.p99Ms, 250, ' ms', 1);
const rollout = await benchRollout(10);
console.log(`  10-replica rollout, control plane only: ${fmt(rollout.wallMs, 0)} ms from PUT to Available`);
}

if (runs('traffic')) {
console.log('\nTraffic (target group: 5 s checks, healthy threshold 2, 5 s deregistration delay)');
const fast = await benchEventToDeregister(50);
console.log(`  ECS task event → DeregisterTargets over ${fast.samples} stops, control plane (zero delays, wall clock): p50 ${fmt(fast.p50Ms, 1)} ms, p99 ${fmt(fast.p99Ms, 1)} ms`);
reportAtMost('a stopped task out of its target group (event → DeregisterTargets, p99)', fast.p99Ms, 3_000, ' ms', 1);
const roll = await benchTrafficRollout(10);
const d = realisticDelays;
console.log(
  `  10-replica rolling update (maxSurge 25%, maxUnavailable 0, minHealthySeconds 10; tasks ${d.provisioningMs / 1000}+${d.pendingMs / 1000} s to RUNNING, ${d.stoppingMs / 1000}+${d.deprovisioningMs / 1000} s to STOPPED): ` +
    `${fmt(roll.simulatedSeconds, 0)} s simulated (${fmt(roll.wallMs, 0)} ms wall), ${roll.sent} requests at 50/s, ${roll.failed} failed`,
);
reportAtMost('failed requests during the rolling update', roll.failed, 0, '', 0);
}

if (runs('bundles')) {
console.log('\nLambda bundles: cold import, median CPU time of fresh processes (Lambda environment, source maps on)');
const figures = await benchBundles();
console.log(`  reference (DynamoDB, ECS and SQS clients only): ${fmt(figures.referenceMs, 1)} ms`);
for (const b of figures.bundles) {
  const heaviest = Object.entries(b.packages).sort((x, y) => y[1] - x[1]).slice(0, 4).map(([p, n]) => `${p} ${Math.round(n / 1024)} KB`).join(', ');
  if (b.traceAwsCalls) {
    // Not a target: what the construct's traceAwsCalls (off by default) costs a cold start.
    console.log(`  ${b.name} with traceAwsCalls: ${Math.round(b.bytes / 1024)} KB, ${fmt(b.importMs, 1)} ms, ${fmt(b.ratio)}× the reference (${heaviest})`);
    continue;
  }
  console.log(`  ${b.name}: ${Math.round(b.bytes / 1024)} KB, ${fmt(b.importMs, 1)} ms (${heaviest})`);
  reportAtMost(`${b.name} import time over the reference`, b.ratio, 1.1, '×');
}
}

if (runs('jobs')) {
console.log('\nJob start lateness in local mode (wall clock; 100 rate(1 minute) jobs ticking 0.3 s apart from second 45, across a one-minute tick; up to 2.7 minutes)');
const jobs = await benchJobLateness(100, 300);
console.log(`  over ${jobs.runs} runs: p50 ${fmt(jobs.p50Ms, 0)} ms, p99 ${fmt(jobs.p99Ms, 0)} ms, max ${fmt(jobs.maxMs, 0)} ms`);
reportAtMost('job start lateness p99', jobs.p99Ms / 1000, 1, ' s');
}

printTargetSummary();
