import type { Paint } from '../render/color.js';
import type { ApiErrorDetail } from '../errors.js';

/**
 * `<headline>: <code>: <message>` then one line per detail, field path exactly as the API gave
 * it. Errors that are not Corral's (API Gateway's own 403s) have no code.
 */
export function apiErrorText(
  paint: Paint,
  headline: string,
  code: string,
  message: string,
  details: readonly ApiErrorDetail[],
): string {
  const lines = [paint('red', `${headline}: ${code ? `${code}: ` : ''}${message}`)];
  for (const detail of details) lines.push(`  ${detail.field}: ${detail.message}`);
  return lines.join('\n');
}
