/**
 * "Did you mean" for names a user typed: the known word within `maxEdits` edits (case-blind),
 * else one the typed word abbreviates ("interval" → "intervalSeconds"), else nothing.
 */
export function closestMatch(typed: string, known: readonly string[], maxEdits = 2): string | undefined {
  const lower = typed.toLowerCase();
  let best: { word: string; distance: number } | undefined;
  for (const word of known) {
    const distance = editDistance(lower, word.toLowerCase(), maxEdits);
    if (distance <= maxEdits && (best === undefined || distance < best.distance)) best = { word, distance };
  }
  return best?.word ?? (lower.length >= 4 ? known.find((word) => word.toLowerCase().startsWith(lower)) : undefined);
}

/** Levenshtein distance; anything beyond `limit` (or over 64 characters) is Infinity. */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit || a.length > 64 || b.length > 64) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}
