// @ts-check
/**
 * What the page computes from the API's answers: no DOM, no fetch, time as a parameter, so
 * test/ui/model.test.ts checks it directly.
 */

/** @typedef {{ desired?: number, running?: number, healthy?: number, updated?: number, available?: number }} Counts */
/** @typedef {{ phase?: string, observedGeneration?: number, revision?: number, targetRevision?: number, stableRevision?: number, counts?: Counts, message?: string, paused?: boolean, conditions?: any[], rollout?: any, targetGroups?: any[] }} Status */
/** @typedef {{ name: string, generation: number, spec: Record<string, any>, status?: Status }} Service */
/** @typedef {{ time: string, type: string, message: string, revision?: number }} ServiceEvent */

/** Phase → tone (a colour in style.css, always shown with the phase's name). */
const tones = {
  Available: 'ok',
  Progressing: 'progress',
  Pending: 'progress',
  Paused: 'paused',
  Degraded: 'warn',
  Failed: 'bad',
  RolledBack: 'bad',
  Aborted: 'bad',
  Terminating: 'muted',
};

/** @param {string | undefined} phase */
export function phaseTone(phase) {
  return (phase && /** @type {Record<string, string>} */ (tones)[phase]) || 'muted';
}

/** @param {number} n */
function pad(n) {
  return String(n).padStart(2, '0');
}

/**
 * Local time of day, with the date when it is not today.
 * @param {string | number | undefined} when
 * @param {number} now
 */
export function formatTime(when, now) {
  if (when === undefined || when === '') return '—';
  const date = new Date(when);
  if (Number.isNaN(date.getTime())) return String(when);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const today = new Date(now);
  const sameDay = date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate();
  return sameDay ? time : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/**
 * 0 s, 42 s, 3 min 05 s, 2 h 10 min; negative durations (early) keep their sign.
 * @param {number | undefined} seconds
 */
export function formatDuration(seconds) {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  const sign = seconds < 0 ? '−' : '';
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${sign}${s} s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${sign}${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

/**
 * A job run's lateness in seconds: the API's own figure when it gives one, else start minus tick.
 * @param {{ tick?: string, startedAt?: string, latenessSeconds?: number }} run
 */
export function lateness(run) {
  if (typeof run.latenessSeconds === 'number') return run.latenessSeconds;
  if (!run.tick || !run.startedAt) return undefined;
  return (Date.parse(run.startedAt) - Date.parse(run.tick)) / 1000;
}

/**
 * A job run's duration: the API's figure, else stop minus start.
 * @param {{ durationSeconds?: number, startedAt?: string, stoppedAt?: string }} run
 */
export function runDuration(run) {
  if (typeof run.durationSeconds === 'number') return run.durationSeconds;
  if (!run.startedAt || !run.stoppedAt) return undefined;
  return (Date.parse(run.stoppedAt) - Date.parse(run.startedAt)) / 1000;
}

/**
 * A canary's position once the status carries one (`status.rollout.step` and `steps`).
 * @param {Status | undefined} status
 * @returns {{ step: number, steps: number, weight?: number } | undefined}
 */
export function canaryStep(status) {
  const rollout = status?.rollout;
  if (!rollout || typeof rollout.step !== 'number') return undefined;
  const steps = Array.isArray(rollout.steps) ? rollout.steps.length : rollout.steps;
  const weight = [rollout.weight, rollout.setWeight, rollout.currentWeight].find((w) => typeof w === 'number');
  return { step: rollout.step, steps: typeof steps === 'number' ? steps : rollout.step, ...(weight === undefined ? {} : { weight }) };
}

/**
 * Target-group health once the status carries it: `{ name, states: [[state, count]] }` per group.
 * @param {Status | undefined} status
 */
export function targetGroupHealth(status) {
  const groups = status?.targetGroups ?? status?.loadBalancers;
  if (!Array.isArray(groups)) return [];
  return groups.map((group) => {
    const arn = String(group.targetGroupArn ?? group.arn ?? group.name ?? 'target group');
    const name = /targetgroup\/([^/]+)/.exec(arn)?.[1] ?? arn;
    const source = group.states ?? group.health ?? group;
    const states = Object.entries(source).filter(([, value]) => typeof value === 'number');
    return { name, states: /** @type {[string, number][]} */ (states) };
  });
}

/**
 * Where a service takes traffic, from its spec: target group and Cloud Map service names.
 * @param {Service} service
 */
export function trafficTargets(service) {
  const groups = (service.spec?.loadBalancers ?? []).map((lb) => /targetgroup\/([^/]+)/.exec(String(lb.targetGroupArn))?.[1] ?? String(lb.targetGroupArn));
  const registries = (service.spec?.serviceRegistries ?? []).map((r) => /service\/(.+)$/.exec(String(r.registryArn))?.[1] ?? String(r.registryArn));
  return { groups, registries };
}

/**
 * Which actions the service page offers. Promote only while a canary is under way (the status
 * shows its steps); undo when there is a revision to go back to.
 * @param {Service} service
 */
export function availableActions(service) {
  const status = service.status ?? {};
  if (status.phase === 'Terminating') return [];
  /** @type {string[]} */
  const actions = [];
  actions.push(status.paused ? 'resume' : 'pause');
  if (canaryStep(status) && !status.paused) actions.push('promote');
  if (status.stableRevision !== undefined || (status.targetRevision ?? 0) > 1) actions.push('undo');
  return actions;
}

/** Event types that open or close a revision's rollout; the first "revision N" in their message is that revision. */
const revisionOutcomes = {
  RolloutStarted: 'rolling out',
  Available: 'available',
  RolloutCompleted: 'available',
  RolloutFailed: 'failed',
  RolledBack: 'restored',
  RollbackRequested: 'rollback requested',
  SecretRotated: 'rolling out',
};

/**
 * The revisions the events mention, newest revision first, each with when it was first and last
 * seen and how it ended, joined with the status (which is current, which is stable).
 * @param {ServiceEvent[]} events newest first, as the API answers
 * @param {Status | undefined} status
 * @param {Record<number, string>} images revision → image, as far as the page has seen them
 */
export function revisionHistory(events, status, images = {}) {
  /** @type {Map<number, { revision: number, first?: string, last?: string, outcome?: string }>} */
  const byRevision = new Map();
  const touch = (/** @type {number} */ revision, /** @type {string} */ time, /** @type {string | undefined} */ outcome) => {
    const entry = byRevision.get(revision) ?? { revision };
    if (!entry.first || time < entry.first) entry.first = time;
    if (!entry.last || time >= entry.last) {
      entry.last = time;
      if (outcome) entry.outcome = outcome;
    }
    byRevision.set(revision, entry);
  };
  for (const event of [...events].reverse()) {
    const outcome = /** @type {Record<string, string>} */ (revisionOutcomes)[event.type];
    if (!outcome) continue;
    const mentioned = [...event.message.matchAll(/revision (\d+)/gi)].map((m) => Number(m[1]));
    const subject = event.type === 'RollbackRequested' && event.revision !== undefined ? event.revision : mentioned[0];
    if (subject === undefined) continue;
    touch(subject, event.time, event.type === 'RolloutStarted' && /^Rolling back/.test(event.message) ? 'rolling back to' : outcome);
    // "Rolled back to revision 2 after revision 3 failed": 3 ended rolled back.
    if (event.type === 'RolledBack' && mentioned[1] !== undefined) touch(mentioned[1], event.time, 'rolled back');
  }
  for (const revision of [status?.revision, status?.targetRevision, status?.stableRevision]) {
    if (revision !== undefined && !byRevision.has(revision)) byRevision.set(revision, { revision });
  }
  return [...byRevision.values()]
    .sort((a, b) => b.revision - a.revision)
    .map((entry) => ({
      ...entry,
      image: images[entry.revision],
      current: entry.revision === status?.revision,
      stable: entry.revision === status?.stableRevision,
      target: entry.revision === status?.targetRevision,
    }));
}

/**
 * Secrets the services reference, by the name the API takes: a Secrets Manager ARN's name part
 * without the six-character suffix Secrets Manager appends.
 * @param {Service[]} services
 */
export function referencedSecrets(services) {
  const names = new Set();
  for (const service of services) {
    for (const ref of Object.values(service.spec?.secrets ?? {})) {
      const arn = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+?)(?:-[A-Za-z0-9]{6})?(?::.*)?$/.exec(String(ref));
      names.add(arn ? arn[1] : String(ref));
    }
  }
  return [...names].sort();
}

/** How far back the chart looks at most and at least, and how many samples a service keeps. */
export const chartWindowMs = 5 * 60_000;
const minChartWindowMs = 10_000;
const maxSamples = 900;

/**
 * The chart's time span: from the oldest sample (the page has been open that long), at least
 * ten seconds so that a fresh page is not all one step, at most five minutes.
 * @param {{ t: number }[]} samples
 * @param {number} now
 */
export function chartWindow(samples, now) {
  const oldest = samples.length === 0 ? now : samples[0].t;
  return Math.min(chartWindowMs, Math.max(minChartWindowMs, now - oldest));
}

/**
 * Counts of every service, sampled at each answer that changed while the page is open: the
 * chart's data (a count holds until the next sample).
 */
export class Samples {
  constructor() {
    /** @type {Map<string, { t: number, desired: number, updated: number, available: number }[]>} */
    this.byService = new Map();
    /** @type {Map<string, Record<number, string>>} revision → image, per service */
    this.images = new Map();
  }

  /**
   * @param {Service[]} services
   * @param {number} now
   */
  record(services, now) {
    for (const service of services) {
      const counts = service.status?.counts ?? {};
      const list = this.byService.get(service.name) ?? [];
      list.push({ t: now, desired: counts.desired ?? 0, updated: counts.updated ?? 0, available: counts.available ?? 0 });
      // Keep the last sample before the window too: it is the value the chart starts from.
      while (list.length > maxSamples || (list.length > 1 && list[1].t <= now - chartWindowMs)) list.shift();
      this.byService.set(service.name, list);
      // The spec's image belongs to the target revision only once the status was planned from
      // this spec: just after a PUT the spec is new and the status still names the old target.
      const target = service.status?.observedGeneration === service.generation ? service.status?.targetRevision : undefined;
      if (target !== undefined && typeof service.spec?.image === 'string') {
        const images = this.images.get(service.name) ?? {};
        images[target] = service.spec.image;
        this.images.set(service.name, images);
      }
    }
  }

  /** @param {string} name */
  of(name) {
    return this.byService.get(name) ?? [];
  }

  /** @param {string} name */
  imagesOf(name) {
    return this.images.get(name) ?? {};
  }
}

/**
 * The running image as far as the page knows: the image of the revision the fleet converges on,
 * and the stable one it is moving away from during a rollout.
 * @param {Service} service
 * @param {Record<number, string>} images
 */
export function runningImage(service, images) {
  const status = service.status ?? {};
  const converging = status.revision ?? status.targetRevision;
  const image = converging === status.targetRevision ? service.spec?.image : images[converging ?? -1];
  const fromRevision = status.stableRevision !== undefined && status.stableRevision !== converging ? status.stableRevision : undefined;
  return {
    image: image ?? `revision ${converging}`,
    ...(fromRevision === undefined ? {} : { from: images[fromRevision] ?? `revision ${fromRevision}` }),
  };
}

/**
 * SVG step paths of available, updated and desired over [now − window, now] in a width × height box.
 * @param {{ t: number, desired: number, updated: number, available: number }[]} samples
 * @param {{ width: number, height: number, now: number, windowMs?: number }} box
 */
export function chartPaths(samples, { width, height, now, windowMs = chartWindow(samples, now) }) {
  const start = now - windowMs;
  // A sample before the window still holds at its start: counts are step functions.
  const before = samples.filter((s) => s.t < start).at(-1);
  const shown = [...(before ? [{ ...before, t: start }] : []), ...samples.filter((s) => s.t >= start)];
  const top = Math.max(1, ...shown.map((s) => Math.max(s.desired, s.updated, s.available)));
  const x = (/** @type {number} */ t) => round(((t - start) / windowMs) * width);
  const y = (/** @type {number} */ v) => round(height - (v / top) * height);
  const path = (/** @type {'desired' | 'updated' | 'available'} */ key) => {
    if (shown.length === 0) return '';
    let d = `M${x(shown[0].t)},${y(shown[0][key])}`;
    for (let i = 1; i < shown.length; i++) d += ` H${x(shown[i].t)} V${y(shown[i][key])}`;
    return `${d} H${x(now)}`;
  };
  return { top, windowMs, available: path('available'), updated: path('updated'), desired: path('desired'), count: shown.length };
}

/** @param {number} n */
function round(n) {
  return Math.round(n * 10) / 10;
}
