import { describe, expect, it } from 'vitest';
import { validateJobSpec } from '../../../lib/core/spec/index.js';

const minimal = { image: 'repo/nightly:1', schedule: 'cron(0 2 * * ? *)' };

function errorsOf(input: unknown) {
  const result = validateJobSpec(input);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.spec)}`);
  return result.errors;
}

describe('validateJobSpec', () => {
  it('fills the defaults', () => {
    expect(validateJobSpec(minimal)).toEqual({
      ok: true,
      spec: { ...minimal, timeZone: 'UTC', concurrencyPolicy: 'Forbid', cpu: 256, memory: 512, environment: {}, secrets: {} },
    });
  });

  it('keeps every given value', () => {
    const full = {
      image: 'repo/migrate:7',
      command: ['npm', 'run', 'migrate'],
      schedule: 'rate(1 day)',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 300,
      timeoutSeconds: 3600,
      cpu: 512,
      memory: 2048,
      environment: { STAGE: 'prod' },
      secrets: { DB_URL: 'prod/db-url' },
    };
    expect(validateJobSpec(full)).toEqual({ ok: true, spec: full });
  });

  it.each([
    ['image missing', { schedule: 'rate(1 hour)' }, 'image', /is required/],
    ['schedule missing', { image: 'x' }, 'schedule', /is required/],
    ['schedule neither rate nor cron', { ...minimal, schedule: 'every day' }, 'schedule', /rate\(\.\.\.\) or cron\(\.\.\.\)/],
    ['five-field unix cron', { ...minimal, schedule: 'cron(0 2 * * *)' }, 'schedule', /6 fields/],
    ['both day fields set', { ...minimal, schedule: 'cron(0 2 * * MON *)' }, 'schedule', /use "\?" in one of them/],
    ['plural unit for 1', { ...minimal, schedule: 'rate(1 hours)' }, 'schedule', /singular/],
    ['singular unit for 5', { ...minimal, schedule: 'rate(5 minute)' }, 'schedule', /plural/],
    ['zero rate', { ...minimal, schedule: 'rate(0 minutes)' }, 'schedule', /positive whole number/],
    ['schedule not a string', { ...minimal, schedule: 5 }, 'schedule', /rate\(\.\.\.\) or cron/],
    ['policy in lowercase', { ...minimal, concurrencyPolicy: 'forbid' }, 'concurrencyPolicy', /"Forbid", "Replace" or "Allow"/],
    ['timeout zero', { ...minimal, timeoutSeconds: 0 }, 'timeoutSeconds', /1 to 604800/],
    ['timeout over a week', { ...minimal, timeoutSeconds: 604801 }, 'timeoutSeconds', /1 to 604800/],
    ['memory not allowed with cpu', { ...minimal, cpu: 512, memory: 512 }, 'memory', /1024 to 4096 in steps of 1024 MiB with cpu 512/],
    ['bad variable name', { ...minimal, environment: { 'A B': 'x' } }, 'environment.A B', /variable name/],
    ['secret also in environment', { ...minimal, environment: { K: '1' }, secrets: { K: 'k' } }, 'secrets.K', /also set/],
    ['time zone abbreviation', { ...minimal, timeZone: 'CET' }, 'timeZone', /IANA time zone name/],
    ['unknown time zone', { ...minimal, timeZone: 'Europe/Atlantis' }, 'timeZone', /not a time zone in the IANA database/],
    ['time zone not a string', { ...minimal, timeZone: 1 }, 'timeZone', /IANA time zone name/],
    ['starting deadline zero', { ...minimal, startingDeadlineSeconds: 0 }, 'startingDeadlineSeconds', /1 to 604800/],
    ['starting deadline fractional', { ...minimal, startingDeadlineSeconds: 1.5 }, 'startingDeadlineSeconds', /1 to 604800/],
    ['a service field', { ...minimal, replicas: 1 }, 'replicas', /not a known field/],
    ['misspelt field', { ...minimal, scheduel: 'rate(1 hour)' }, 'scheduel', /did you mean "schedule"/],
  ])('rejects %s', (_, input, field, message) => {
    const errors = errorsOf(input);
    const error = errors.find((e) => e.field === field);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error?.message).toMatch(message);
  });

  it('names the expression in a schedule error', () => {
    expect(errorsOf({ ...minimal, schedule: 'cron(0 25 * * ? *)' })).toEqual([
      { field: 'schedule', message: 'cron(0 25 * * ? *): hours: 25 is outside 0-23' },
    ]);
  });

  it.each([null, 'job', [], 7])('rejects %j as a whole', (input) => {
    expect(errorsOf(input)).toEqual([{ field: '', message: 'must be a JSON object' }]);
  });

  describe('a schedule that can never fire', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');

    it.each(['cron(0 2 * * ? 2025)', 'cron(0 2 * * ? 2020-2025)', 'cron(0 0 1 1 ? 2026)', 'cron(0 11 1 12 ? 2026)'])('refuses %s', (schedule) => {
      const result = validateJobSpec({ ...minimal, schedule }, now);
      expect(result).toEqual({ ok: false, errors: [{ field: 'schedule', message: `${schedule} never fires: every time it names is in the past` }] });
    });

    it.each(['cron(0 13 1 12 ? 2026)', 'cron(0 2 * * ? 2025-2027)', 'cron(0 2 * * ? *)', 'rate(5 minutes)'])('accepts %s, which fires again', (schedule) => {
      expect(validateJobSpec({ ...minimal, schedule }, now).ok).toBe(true);
    });
  });
});
