import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SecretShapeError,
  otherFields,
  passwordIn,
  shapeOf,
  withPassword,
} from '../../../lib/core/rotation/index.js';

describe('secret value shapes', () => {
  it('replaces a plain value whole', () => {
    const shape = shapeOf('s', 'old-password', 'password');
    expect(shape).toEqual({ kind: 'plain' });
    expect(withPassword('old-password', shape, 'n3w')).toBe('n3w');
  });

  it('replaces only the password key of a JSON object', () => {
    const current = JSON.stringify({ username: 'app', password: 'old', host: 'db', port: 5432 });
    const shape = shapeOf('s', current, 'password');
    expect(JSON.parse(withPassword(current, shape, 'n3w'))).toEqual({
      username: 'app',
      password: 'n3w',
      host: 'db',
      port: 5432,
    });
  });

  it.each(['[1,2]', '"quoted"', '{not json', '42', 'null'])('treats %s as a plain value', (value) => {
    expect(shapeOf('s', value, 'password')).toEqual({ kind: 'plain' });
  });

  it('rejects a JSON object without the key, describing but not quoting the value', () => {
    const current = JSON.stringify({ apiKey: 'sk-live-hunter2' });
    expect(() => shapeOf('svc-key', current, 'password')).toThrowError(SecretShapeError);
    try {
      shapeOf('svc-key', current, 'password');
    } catch (error) {
      expect((error as Error).message).toContain('corral:password-key');
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => shapeOf('svc-key', JSON.stringify({ password: 7 }), 'password')).toThrowError(SecretShapeError);
  });

  it('keeps every other field and reads back the new password (property)', () => {
    const key = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.jsonValue()),
        key,
        fc.string(),
        fc.string(),
        (fields, passwordKey, oldPassword, newPassword) => {
          const current = JSON.stringify({ ...fields, [passwordKey]: oldPassword });
          const shape = shapeOf('s', current, passwordKey);
          const next = withPassword(current, shape, newPassword);
          expect(passwordIn(next, shape)).toBe(newPassword);
          expect(otherFields(next, shape)).toEqual(otherFields(current, shape));
        },
      ),
    );
  });
});
