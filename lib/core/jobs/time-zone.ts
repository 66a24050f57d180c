import type { FieldError } from '../spec/field-error.js';

/** Where a job's cron schedule is read when its spec names no `timeZone`, as in EventBridge. */
export const defaultTimeZone = 'UTC';

/**
 * An IANA time zone name (`Europe/Berlin`, `America/New_York`, `UTC`) that this runtime's time
 * zone database knows. Offsets ("+02:00") and abbreviations ("CET", "EST") are refused: their
 * daylight saving rules are not a place's.
 */
export function timeZoneProblems(name: string): FieldError[] {
  const fail = (why: string): FieldError[] => [{ field: 'timeZone', message: `${name}: ${why}` }];
  if (name !== 'UTC' && !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){1,2}$/.test(name)) {
    return fail('must be an IANA time zone name such as "Europe/Berlin", "America/New_York" or "UTC"');
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return [];
  } catch {
    return fail('is not a time zone in the IANA database (e.g. "Europe/Berlin", "Asia/Tokyo")');
  }
}
