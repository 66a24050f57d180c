// @ts-check
import { usePoll } from './api.js';
import { html, LoadError, Time } from './components.js';
import { formatDuration, lateness, runDuration } from './model.js';

/** How many runs a job's row lists. */
const runsShown = 5;

/** @param {{ status?: string }} props */
function Outcome({ status }) {
  const tone = status === 'Succeeded' ? 'ok' : status === 'Running' || status === 'Starting' || status === 'Pending' ? 'progress' : status === 'Missed' ? 'warn' : 'bad';
  return html`<span class=${`badge tone-${tone}`}>${status ?? 'Unknown'}</span>`;
}

/**
 * Singleton jobs: schedule, time zone, next run and the last runs with outcome, duration, lateness.
 * @param {{ now: number }} props
 */
export function JobsView({ now }) {
  const jobs = usePoll('/jobs', 'jobs');
  /** @type {any[] | undefined} */
  const list = jobs.data?.jobs;
  if (!list) return html`<${LoadError} error=${jobs.error} what="jobs" />${!jobs.error && html`<p class="muted">Loading jobs…</p>`}`;
  if (list.length === 0) return html`<p class="empty">No jobs yet. Create one with <code>corral jobs apply -f job.yaml</code> or <code>PUT /jobs/NAME</code>.</p>`;
  return html`<table class="jobs">
    <caption class="visually-hidden">Scheduled jobs and their last runs</caption>
    <thead><tr><th scope="col">Job</th><th scope="col">Schedule</th><th scope="col">Time zone</th><th scope="col">Next run</th><th scope="col">Last runs</th></tr></thead>
    <tbody>${list.map((job) => {
      const status = job.status ?? {};
      const runs = (status.lastRuns ?? []).slice(0, runsShown);
      return html`<tr key=${job.name} data-job=${job.name}>
        <th scope="row" data-label="Job">${job.name}${status.deleting ? html` <span class="tag">deleting</span>` : ''}</th>
        <td data-label="Schedule"><code>${job.spec?.schedule ?? '—'}</code></td>
        <td data-label="Time zone">${job.spec?.timeZone ?? 'UTC'}</td>
        <td data-label="Next run"><${Time} when=${status.nextRunAt} now=${now} />${status.activeRuns ? html`<div class="muted">${status.activeRuns} running</div>` : ''}</td>
        <td data-label="Last runs">${runs.length === 0 ? html`<span class="muted">none yet</span>` : html`<table class="compact runs">
          <thead><tr><th scope="col">Tick</th><th scope="col">Outcome</th><th scope="col">Duration</th><th scope="col">Late by</th></tr></thead>
          <tbody>${runs.map((/** @type {any} */ run) => html`<tr key=${run.tick}>
            <td><${Time} when=${run.tick} now=${now} /></td>
            <td><${Outcome} status=${run.status} />${run.exitCode !== undefined && run.exitCode !== 0 ? html` <span class="muted">exit ${run.exitCode}</span>` : ''}${run.stoppedReason ? html`<div class="muted small">${run.stoppedReason}</div>` : ''}</td>
            <td>${formatDuration(runDuration(run))}</td>
            <td>${formatDuration(lateness(run))}</td>
          </tr>`)}</tbody></table>`}</td>
      </tr>`;
    })}</tbody>
  </table>`;
}
