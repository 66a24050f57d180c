// @ts-check
import { useEffect, useState } from 'preact/hooks';
import { pollMs, request } from './api.js';
import { html, Time } from './components.js';
import { referencedSecrets } from './model.js';

/** @param {{ info?: { rotationEnabled?: boolean, rotationRules?: { automaticallyAfterDays?: number, scheduleExpression?: string } } }} props */
function Rotation({ info }) {
  if (info === undefined) return html`<span class="muted">…</span>`;
  if (!info.rotationEnabled) return html`off`;
  const rules = info.rotationRules ?? {};
  if (rules.scheduleExpression) return html`on · <code>${rules.scheduleExpression}</code>`;
  return html`on${rules.automaticallyAfterDays ? ` · every ${rules.automaticallyAfterDays} days` : ''}`;
}

/**
 * The secrets the services use: rotation dates and consumers. The API never answers a value, and
 * the page never asks for one.
 * @param {{ services?: import('./model.js').Service[], now: number }} props
 */
export function SecretsView({ services, now }) {
  const names = services ? referencedSecrets(services) : undefined;
  const key = names?.join('\n');
  const [secrets, setSecrets] = useState(/** @type {Record<string, { info?: any, error?: string }>} */ ({}));
  useEffect(() => {
    if (!names || names.length === 0) return undefined;
    let stopped = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const tick = async () => {
      const answers = await Promise.all(names.map(async (name) => {
        try {
          return [name, { info: (await request('GET', `/secrets/${encodeURIComponent(name)}`)).data }];
        } catch (error) {
          return [name, { error: /** @type {Error} */ (error).message }];
        }
      }));
      if (stopped) return;
      setSecrets(Object.fromEntries(answers));
      timer = setTimeout(tick, pollMs * 2);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [key]);
  if (!names) return html`<p class="muted">Loading secrets…</p>`;
  if (names.length === 0) return html`<p class="empty">No service references a secret (<code>spec.secrets</code>).</p>`;
  return html`<table class="secrets">
    <caption class="visually-hidden">Secrets referenced by services, their rotation and consumers</caption>
    <thead><tr><th scope="col">Secret</th><th scope="col">Rotation</th><th scope="col">Last rotation</th><th scope="col">Next rotation</th><th scope="col">Consumers</th></tr></thead>
    <tbody>${names.map((name) => {
      const { info, error } = secrets[name] ?? {};
      return html`<tr key=${name} data-secret=${name}>
        <th scope="row" data-label="Secret">${name}</th>
        ${error ? html`<td colspan="4" class="bad-text">${error}</td>` : html`
          <td data-label="Rotation"><${Rotation} info=${info} /></td>
          <td data-label="Last rotation"><${Time} when=${info?.lastRotatedAt} now=${now} /></td>
          <td data-label="Next rotation"><${Time} when=${info?.nextRotationAt} now=${now} /></td>
          <td data-label="Consumers">${(info?.consumers ?? []).map((/** @type {string} */ c) => html`<a class="tag" href=${`#/services/${encodeURIComponent(String(c))}`}>${String(c)}</a> `)}</td>`}
      </tr>`;
    })}</tbody>
  </table>`;
}
