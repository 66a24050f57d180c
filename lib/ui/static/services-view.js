// @ts-check
import { html, PhaseBadge, TaskBar } from './components.js';
import { canaryStep, runningImage, targetGroupHealth } from './model.js';

/**
 * Canary step and weight, and target-group health, when the status carries them.
 * @param {{ status?: import('./model.js').Status }} props
 */
export function RolloutExtras({ status }) {
  const canary = canaryStep(status);
  const groups = targetGroupHealth(status);
  if (!canary && groups.length === 0) return null;
  return html`<div class="extras">
    ${canary && html`<span class="canary">step ${canary.step} of ${canary.steps}${canary.weight === undefined ? '' : ` · ${canary.weight}% weight`}</span>`}
    ${groups.map((group) => html`<span class="target-group" title="target group ${group.name}">${group.name}: ${group.states.map(([state, count]) => `${count} ${state}`).join(', ')}</span>`)}
  </div>`;
}

/**
 * Every service, one row each; on a phone each row becomes a card.
 * @param {{ services?: import('./model.js').Service[], samples: import('./model.js').Samples }} props
 */
export function ServicesView({ services, samples }) {
  if (!services) return html`<p class="muted">Loading services…</p>`;
  if (services.length === 0) {
    return html`<p class="empty">No services yet. Create one with <code>corral apply -f service.yaml</code> or <code>PUT /services/NAME</code>.</p>`;
  }
  return html`<table class="services">
    <caption class="visually-hidden">Services, their rollout phase and tasks</caption>
    <thead><tr>
      <th scope="col">Service</th><th scope="col">Phase</th><th scope="col">Revision / stable</th>
      <th scope="col">Tasks <span class="muted">(updated / available / desired)</span></th><th scope="col">Image</th><th scope="col">Message</th>
    </tr></thead>
    <tbody>
      ${services.map((service) => {
        const status = service.status ?? {};
        const image = runningImage(service, samples.imagesOf(service.name));
        return html`<tr key=${service.name} data-service=${service.name}>
          <th scope="row" data-label="Service"><a href=${`#/services/${encodeURIComponent(service.name)}`}>${service.name}</a></th>
          <td data-label="Phase"><${PhaseBadge} phase=${status.phase} /><${RolloutExtras} status=${status} /></td>
          <td data-label="Revision / stable" class="revisions">${status.revision ?? '—'} / ${status.stableRevision ?? '—'}</td>
          <td data-label="Tasks"><${TaskBar} counts=${status.counts} /></td>
          <td data-label="Image" class="image"><code>${image.image}</code>${image.from && html`<div class="muted from">from <code>${image.from}</code></div>`}</td>
          <td data-label="Message" class="message">${status.message ?? ''}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}
