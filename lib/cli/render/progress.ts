import type { ServiceObject } from '../api-types.js';
import { paintPhase, type Paint } from './color.js';

const BAR_WIDTH = 20;

/**
 * One line of rollout progress. The bar shows the new revision's progress: full cells for
 * updated tasks that can be available (at most min(updated, available) — old tasks count as
 * available too, so available alone would show a finished bar before anything happened), light
 * cells for the other updated ones. Example: desired 6, updated 4, available 3 with a 20-cell
 * bar → 10 full cells (3/6), 3 light cells (4/6 - 3/6 of 20, rounded), 7 empty.
 */
export function progressLine(service: ServiceObject, paint: Paint, withBar: boolean): string {
  const counts = service.status?.counts ?? {};
  const desired = counts.desired ?? Number(service.spec.replicas ?? 0);
  const updated = counts.updated ?? 0;
  const available = counts.available ?? 0;
  const phase = paintPhase(paint, service.status?.phase);
  const numbers = `updated ${updated}/${desired}, available ${available}/${desired}`;
  const rollout = service.status?.rollout;
  const step =
    rollout?.steps !== undefined && rollout.step !== undefined && rollout.step < rollout.steps
      ? ` step ${rollout.step + 1}/${rollout.steps} weight ${rollout.weight ?? 0}%`
      : '';
  const revision = (service.status?.revision === undefined ? '' : ` revision ${service.status.revision}`) + step;
  if (!withBar) return `${service.name}: ${phase}${revision}: ${numbers}`;
  const done = Math.min(updated, available);
  const full = desired === 0 ? BAR_WIDTH : Math.min(BAR_WIDTH, Math.round((done / desired) * BAR_WIDTH));
  const light = desired === 0 ? 0 : Math.max(0, Math.min(BAR_WIDTH - full, Math.round((updated / desired) * BAR_WIDTH) - full));
  const bar = paint('green', '█'.repeat(full)) + paint('yellow', '▒'.repeat(light)) + '░'.repeat(BAR_WIDTH - full - light);
  return `${service.name} [${bar}] ${numbers} ${phase}${revision}`;
}
