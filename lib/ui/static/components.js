// @ts-check
import { h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import htm from 'htm';
import { chartPaths, formatDuration, formatTime, phaseTone } from './model.js';

export const html = htm.bind(h);

/**
 * The phase as coloured text: the colour repeats the word, it never replaces it.
 * @param {{ phase?: string }} props
 */
export function PhaseBadge({ phase }) {
  return html`<span class=${`badge tone-${phaseTone(phase)}`} data-phase=${phase ?? ''}>${phase ?? 'Unknown'}</span>`;
}

/**
 * Updated and available tasks against desired, as two bars with the numbers beside them.
 * @param {{ counts?: import('./model.js').Counts }} props
 */
export function TaskBar({ counts = {} }) {
  const desired = counts.desired ?? 0;
  const updated = counts.updated ?? 0;
  const available = counts.available ?? 0;
  const share = (/** @type {number} */ n) => `${desired === 0 ? 0 : Math.min(100, (n / desired) * 100)}%`;
  const label = `${updated} of ${desired} updated, ${available} of ${desired} available`;
  return html`<div class="taskbar" role="img" aria-label=${label} title=${label}>
    <div class="taskbar-track"><div class="taskbar-fill fill-updated" style=${{ width: share(updated) }}></div></div>
    <div class="taskbar-track"><div class="taskbar-fill fill-available" style=${{ width: share(available) }}></div></div>
    <span class="taskbar-text" aria-hidden="true"><span class="key-updated">${updated}</span> / <span class="key-available">${available}</span> / ${desired}</span>
  </div>`;
}

/**
 * A timestamp: local time for people, the ISO instant for machines and tooltips.
 * @param {{ when?: string, now: number }} props
 */
export function Time({ when, now }) {
  if (!when) return html`<span>—</span>`;
  return html`<time datetime=${when} title=${when}>${formatTime(when, now)}</time>`;
}

/**
 * Available and updated tasks (and desired, dashed) over the last minutes, from the page's samples.
 * @param {{ samples: { t: number, desired: number, updated: number, available: number }[], now: number, counts?: import('./model.js').Counts }} props
 */
export function TaskChart({ samples, now, counts = {} }) {
  const width = 600;
  const height = 140;
  const paths = chartPaths(samples, { width, height, now });
  const span = formatDuration(paths.windowMs / 1000);
  const summary = `Tasks over the last ${span} (${paths.count} samples); now ${counts.available ?? 0} available and ${counts.updated ?? 0} updated of ${counts.desired ?? 0} desired`;
  return html`<figure class="chart">
    <svg viewBox=${`-28 -8 ${width + 36} ${height + 28}`} role="img" aria-label=${summary} preserveAspectRatio="xMidYMid meet">
      <line class="axis" x1="0" y1=${height} x2=${width} y2=${height} />
      <line class="axis" x1="0" y1="0" x2="0" y2=${height} />
      <text class="tick" x="-6" y=${height} text-anchor="end" dominant-baseline="middle">0</text>
      <text class="tick" x="-6" y="0" text-anchor="end" dominant-baseline="middle">${paths.top}</text>
      <text class="tick" x="0" y=${height + 18} text-anchor="start">−${span}</text>
      <text class="tick" x=${width} y=${height + 18} text-anchor="end">now</text>
      <path class="line-available" d=${paths.available} />
      <path class="line-updated" d=${paths.updated} />
      <path class="line-desired" d=${paths.desired} />
    </svg>
    <figcaption>
      <span class="legend legend-available">available</span>
      <span class="legend legend-updated">updated</span>
      <span class="legend legend-desired">desired</span>
      <span class="muted">as seen by this page since it opened</span>
    </figcaption>
  </figure>`;
}

/**
 * A modal confirmation (the platform's <dialog>: focus trapped, Escape cancels).
 * @param {{ title: string, children: any, confirmLabel: string, busy?: boolean, onConfirm: () => void, onCancel: () => void }} props
 */
export function ConfirmDialog({ title, children, confirmLabel, busy = false, onConfirm, onCancel }) {
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);
  return html`<dialog ref=${ref} class="confirm" aria-labelledby="confirm-title" onCancel=${(/** @type {Event} */ e) => { e.preventDefault(); onCancel(); }}>
    <h2 id="confirm-title">${title}</h2>
    <div class="confirm-body">${children}</div>
    <div class="confirm-actions">
      <button type="button" class="button" onClick=${onCancel} autofocus>Cancel</button>
      <button type="button" class="button button-primary" disabled=${busy} onClick=${onConfirm}>${busy ? 'Sending…' : confirmLabel}</button>
    </div>
  </dialog>`;
}

/**
 * @param {{ error?: Error, what: string }} props
 */
export function LoadError({ error, what }) {
  if (!error) return null;
  return html`<p class="notice notice-bad" role="alert">Could not load ${what}: ${error.message}</p>`;
}
