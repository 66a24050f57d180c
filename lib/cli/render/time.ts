/** `2026-11-25T10:00:00Z` seen at `now` → `5m` (the age column of kubectl). */
export function age(iso: string | undefined, now: number): string {
  if (!iso) return '-';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7_200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3_600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** Relative time in both directions: `in 4m` for the future, `5m ago` for the past. */
export function relative(iso: string | undefined, now: number): string {
  if (!iso) return '-';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  return then > now ? `in ${age(new Date(now).toISOString(), then)}` : `${age(iso, now)} ago`;
}
