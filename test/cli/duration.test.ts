import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lib/cli/duration.js';
import { UsageError } from '../../lib/cli/errors.js';

describe('parseDuration (--timeout, --interval)', () => {
  it.each([
    ['10m', 600_000],
    ['30s', 30_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['90', 90_000],
    ['0.5s', 500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10 minutes', 'm', '5x', '1m30', '-5s'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });
});
