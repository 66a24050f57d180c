import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  RotationNotEnabledError,
  UnknownVersionError,
  VersionNotPendingError,
  checkRotationVersion,
  currentVersionOf,
  pendingVersionsOf,
  strayPendingVersionsOf,
  type VersionStages,
} from '../../../lib/core/rotation/index.js';

const secretId = 'db-password';

describe('checkRotationVersion', () => {
  const cases: Array<{
    name: string;
    enabled: boolean;
    versions: VersionStages;
    token: string;
    mayBeNew?: boolean;
    want: string;
  }> = [
    { name: 'pending token', enabled: true, versions: { old: [AWSCURRENT], t: [AWSPENDING] }, token: 't', want: 'pending' },
    { name: 'token already current', enabled: true, versions: { t: [AWSCURRENT], old: [AWSPREVIOUS] }, token: 't', want: 'finished' },
    { name: 'current and pending on the token', enabled: true, versions: { t: [AWSCURRENT, AWSPENDING] }, token: 't', want: 'finished' },
    { name: 'rotation disabled', enabled: false, versions: { t: [AWSPENDING] }, token: 't', want: 'RotationNotEnabledError' },
    { name: 'unknown token', enabled: true, versions: { old: [AWSCURRENT] }, token: 't', want: 'UnknownVersionError' },
    { name: 'unknown token at createSecret', enabled: true, versions: { old: [AWSCURRENT] }, token: 't', mayBeNew: true, want: 'new' },
    { name: 'disabled beats a new token', enabled: false, versions: {}, token: 't', mayBeNew: true, want: 'RotationNotEnabledError' },
    { name: 'a new token does not excuse a wrong stage', enabled: true, versions: { t: [AWSPREVIOUS] }, token: 't', mayBeNew: true, want: 'VersionNotPendingError' },
    { name: 'inherited property name is no version', enabled: true, versions: { old: [AWSCURRENT] }, token: 'constructor', want: 'UnknownVersionError' },
    { name: 'token is AWSPREVIOUS', enabled: true, versions: { cur: [AWSCURRENT], t: [AWSPREVIOUS] }, token: 't', want: 'VersionNotPendingError' },
    { name: 'token without labels', enabled: true, versions: { cur: [AWSCURRENT], t: [] }, token: 't', want: 'VersionNotPendingError' },
  ];
  it.each(cases)('$name → $want', ({ enabled, versions, token, mayBeNew, want }) => {
    const run = () =>
      checkRotationVersion({ secretId, rotationEnabled: enabled, versions, token, tokenMayBeNew: mayBeNew });
    if (want === 'new' || want === 'pending' || want === 'finished') {
      expect(run()).toBe(want);
    } else {
      expect(run).toThrowError(
        { RotationNotEnabledError, UnknownVersionError, VersionNotPendingError }[want] as new (...a: never[]) => Error,
      );
    }
  });

  it('names the secret, the version and its stages in the error', () => {
    expect(() =>
      checkRotationVersion({ secretId, rotationEnabled: true, versions: { t: [AWSPREVIOUS] }, token: 't' }),
    ).toThrow('secret version t of secret db-password is not AWSPENDING (stages: AWSPREVIOUS)');
    expect(() =>
      checkRotationVersion({ secretId, rotationEnabled: false, versions: {}, token: 't' }),
    ).toThrow('secret db-password is not enabled for rotation');
  });
});

describe('staging label queries', () => {
  it('finds the current version and the stray pending ones', () => {
    const versions = { a: [AWSPREVIOUS], b: [AWSCURRENT, AWSPENDING], c: [AWSPENDING] };
    expect(currentVersionOf(versions)).toBe('b');
    expect(pendingVersionsOf(versions)).toEqual(['b', 'c']);
    expect(strayPendingVersionsOf(versions)).toEqual(['c']);
    expect(currentVersionOf({})).toBeUndefined();
  });

  const stagesArb = fc.subarray([AWSCURRENT, AWSPENDING, AWSPREVIOUS, 'custom']);
  const versionsArb = fc.dictionary(fc.uuid(), stagesArb, { maxKeys: 6 });

  it('a stray pending version never carries AWSCURRENT, and every pending one is stray or current', () => {
    fc.assert(
      fc.property(versionsArb, (versions) => {
        const stray = strayPendingVersionsOf(versions);
        for (const id of stray) expect(versions[id]).not.toContain(AWSCURRENT);
        for (const id of pendingVersionsOf(versions)) {
          expect(stray.includes(id) || versions[id].includes(AWSCURRENT)).toBe(true);
        }
      }),
    );
  });

  it('a token judged pending carries AWSPENDING and not AWSCURRENT', () => {
    fc.assert(
      fc.property(versionsArb, fc.option(fc.uuid(), { nil: undefined }), (versions, extra) => {
        for (const token of [...Object.keys(versions), ...(extra ? [extra] : [])]) {
          let verdict: string;
          try {
            verdict = checkRotationVersion({ secretId, rotationEnabled: true, versions, token });
          } catch (error) {
            verdict = (error as Error).name;
          }
          const stages = Object.hasOwn(versions, token) ? versions[token] : undefined;
          if (verdict === 'pending') expect(stages).toContain(AWSPENDING);
          if (verdict === 'pending') expect(stages).not.toContain(AWSCURRENT);
          if (verdict === 'finished') expect(stages).toContain(AWSCURRENT);
          if (verdict === 'UnknownVersionError') expect(stages).toBeUndefined();
        }
      }),
    );
  });
});
