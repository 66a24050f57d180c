// @ts-check
import { useState } from 'preact/hooks';
import { request, usePoll } from './api.js';
import { ConfirmDialog, html, LoadError, PhaseBadge, TaskBar, TaskChart, Time } from './components.js';
import { availableActions, revisionHistory, runningImage, trafficTargets } from './model.js';
import { RolloutExtras } from './services-view.js';

/** What each action asks before it calls the API, and the call it makes. */
const actionText = {
  pause: { label: 'Pause', confirm: 'Pause rollout', body: (/** @type {string} */ name) => `Pause ${name}? Corral starts and stops nothing for it until you resume.` },
  resume: { label: 'Resume', confirm: 'Resume rollout', body: (/** @type {string} */ name) => `Resume ${name}? The rollout goes on from where it stopped.` },
  undo: { label: 'Undo', confirm: 'Roll back', body: (/** @type {string} */ name, /** @type {import('./model.js').Status} */ status) =>
    status.stableRevision !== undefined && status.stableRevision !== status.targetRevision
      ? `Roll ${name} back to revision ${status.stableRevision}, its last stable revision?`
      : `Roll ${name} back to the revision it ran before its last change?` },
  promote: { label: 'Promote', confirm: 'Promote', body: (/** @type {string} */ name) => `Move the canary of ${name} to its next step?` },
};

/**
 * Pause, resume, undo, promote: each behind a confirmation, sent with If-Match so that a service
 * changed since the page last read it is not acted on blindly (412).
 * @param {{ service: import('./model.js').Service, onDone: () => void }} props
 */
function Actions({ service, onDone }) {
  const [pending, setPending] = useState(/** @type {string | undefined} */ (undefined));
  // The generation the user saw when asked: a change after that makes the API answer 412.
  const [seenGeneration, setSeenGeneration] = useState(service.generation);
  const [busy, setBusy] = useState(false);
  const [full, setFull] = useState(false);
  const [outcome, setOutcome] = useState(/** @type {{ ok: boolean, text: string } | undefined} */ (undefined));
  const status = service.status ?? {};
  const actions = availableActions(service);

  const send = async () => {
    if (!pending) return;
    setBusy(true);
    const path = `/services/${encodeURIComponent(service.name)}/${pending === 'undo' ? 'rollback' : pending}`;
    const body = pending === 'promote' && full ? { full: true } : {};
    try {
      await request('POST', path, { body, ifMatch: seenGeneration });
      setOutcome({ ok: true, text: `${actionText[/** @type {keyof actionText} */ (pending)].label}: sent for ${service.name}` });
      onDone();
    } catch (error) {
      const failure = /** @type {{ status?: number, message: string }} */ (error);
      const text = failure.status === 412
        ? `${service.name} changed since you were asked (generation ${seenGeneration} is no longer current): nothing was done; look again and retry`
        : failure.message;
      setOutcome({ ok: false, text });
    } finally {
      setBusy(false);
      setPending(undefined);
      setFull(false);
    }
  };

  const text = pending ? actionText[/** @type {keyof actionText} */ (pending)] : undefined;
  return html`<div class="actions">
    ${actions.map((action) => html`<button type="button" class="button" data-action=${action} onClick=${() => { setOutcome(undefined); setSeenGeneration(service.generation); setPending(action); }}>
      ${actionText[/** @type {keyof actionText} */ (action)].label}</button>`)}
    <p class=${`action-outcome ${outcome && !outcome.ok ? 'notice notice-bad' : ''}`} role="status">${outcome?.text ?? ''}</p>
    ${text && pending && html`<${ConfirmDialog} title=${`${text.label} ${service.name}`} confirmLabel=${text.confirm} busy=${busy}
        onConfirm=${send} onCancel=${() => setPending(undefined)}>
      <p>${text.body(service.name, status)}</p>
      ${pending === 'promote' && html`<label class="check"><input type="checkbox" checked=${full} onChange=${(/** @type {any} */ e) => setFull(e.currentTarget.checked)} /> skip the remaining steps (full)</label>`}
      <p class="muted">Sent with If-Match: "${seenGeneration}".</p>
    <//>`}
  </div>`;
}

/**
 * One service: what it runs, its tasks over time, conditions, revisions and events (newest first).
 * @param {{ name: string, services?: import('./model.js').Service[], samples: import('./model.js').Samples, now: number, refresh: () => void }} props
 */
export function ServiceView({ name, services, samples, now, refresh }) {
  const events = usePoll(`/services/${encodeURIComponent(name)}/events`);
  if (!services) return html`<p class="muted">Loading ${name}…</p>`;
  const service = services.find((s) => s.name === name);
  if (!service) return html`<p class="notice">No service named <code>${name}</code>. <a href="#/">All services</a></p>`;
  const status = service.status ?? {};
  const counts = status.counts ?? {};
  const image = runningImage(service, samples.imagesOf(name));
  /** @type {import('./model.js').ServiceEvent[]} */
  const list = events.data?.events ?? [];
  const history = revisionHistory(list, status, samples.imagesOf(name));
  const traffic = trafficTargets(service);
  const refreshAll = () => { refresh(); events.refresh(); };
  return html`<article class="service" data-service=${name}>
    <header class="service-head">
      <div>
        <p class="crumbs"><a href="#/">Services</a> /</p>
        <h2 class="title" tabindex="-1">${name} <${PhaseBadge} phase=${status.phase} /></h2>
        <p class="message" data-testid="message">${status.message ?? ''}</p>
        <${RolloutExtras} status=${status} />
      </div>
      <${Actions} service=${service} onDone=${refreshAll} />
    </header>

    <section aria-labelledby="tasks-h" class="panel">
      <h3 id="tasks-h">Tasks</h3>
      <dl class="facts">
        <div><dt>Image</dt><dd><code>${image.image}</code>${image.from && html` <span class="muted">from <code>${image.from}</code></span>`}</dd></div>
        <div><dt>Revision / stable</dt><dd>${status.revision ?? '—'} / ${status.stableRevision ?? '—'}${status.targetRevision !== status.revision ? html` <span class="muted">(wanted ${status.targetRevision})</span>` : ''}</dd></div>
        ${traffic.groups.length + traffic.registries.length > 0 && html`<div><dt>Traffic</dt><dd data-testid="traffic">${[
          ...traffic.groups.map((g) => `target group ${g}`), ...traffic.registries.map((r) => `Cloud Map ${r}`),
        ].join(', ')}</dd></div>`}
        ${['desired', 'running', 'healthy', 'updated', 'available'].map((key) => html`<div><dt>${key}</dt><dd data-count=${key}>${/** @type {any} */ (counts)[key] ?? 0}</dd></div>`)}
      </dl>
      <${TaskBar} counts=${counts} />
      <${TaskChart} samples=${samples.of(name)} now=${now} counts=${counts} />
    </section>

    <div class="columns">
      <section aria-labelledby="conditions-h" class="panel">
        <h3 id="conditions-h">Conditions</h3>
        ${(status.conditions ?? []).length === 0 ? html`<p class="muted">None yet.</p>` : html`<table class="compact">
          <thead><tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Since</th></tr></thead>
          <tbody>${(status.conditions ?? []).map((c) => html`<tr key=${c.type}>
            <td>${c.type}</td><td class=${c.status === 'True' ? 'ok-text' : 'bad-text'}>${c.status}</td>
            <td><span title=${c.message}>${c.reason}</span><div class="muted small">${c.message}</div></td><td><${Time} when=${c.lastTransitionTime} now=${now} /></td>
          </tr>`)}</tbody></table>`}
      </section>

      <section aria-labelledby="revisions-h" class="panel">
        <h3 id="revisions-h">Revision history</h3>
        <table class="compact">
          <thead><tr><th scope="col">Revision</th><th scope="col">Image</th><th scope="col">Last outcome</th><th scope="col">Last seen</th></tr></thead>
          <tbody>${history.map((r) => html`<tr key=${r.revision}>
            <td>${r.revision} ${r.current ? html`<span class="tag">current</span>` : ''}${r.stable ? html`<span class="tag">stable</span>` : ''}${r.target && !r.current ? html`<span class="tag">wanted</span>` : ''}</td>
            <td>${r.image ? html`<code>${r.image}</code>` : html`<span class="muted">—</span>`}</td>
            <td>${r.outcome ?? html`<span class="muted">—</span>`}</td>
            <td><${Time} when=${r.last} now=${now} /></td>
          </tr>`)}</tbody>
        </table>
      </section>
    </div>

    <section aria-labelledby="events-h" class="panel">
      <h3 id="events-h">Events <span class="muted small">newest first</span></h3>
      <${LoadError} error=${events.error} what="events" />
      ${list.length === 0 ? html`<p class="muted">No events yet.</p>` : html`<ol class="timeline">
        ${list.map((event, index) => html`<li key=${`${event.time}-${index}-${event.type}`} class=${`event event-${event.type}`}>
          <${Time} when=${event.time} now=${now} /> <span class="event-type">${event.type}</span> <span class="event-message">${event.message}</span>
        </li>`)}
      </ol>`}
    </section>
  </article>`;
}
