import { validateJobSpec, validateServiceSpec, type FieldError } from '../core/spec/index.js';
import type { Spec } from './api-types.js';
import type { ManifestKind } from './manifest.js';

export type Normalized = { ok: true; spec: Spec } | { ok: false; errors: FieldError[] };

/**
 * The spec as the API would store it: the API fills defaults (cpu 256, rollout.maxSurge "25%",
 * ...) before storing, so comparing the stored spec with the file as written would show every
 * default as a removed field. Running the same pure validator here makes the diff show only what
 * the user changed, and lets `--dry-run` report field errors without sending anything.
 */
export function normalizeSpec(kind: ManifestKind, spec: Spec): Normalized {
  const result = kind === 'Service' ? validateServiceSpec(spec) : validateJobSpec(spec);
  return result.ok ? { ok: true, spec: result.spec as unknown as Spec } : { ok: false, errors: result.errors };
}
