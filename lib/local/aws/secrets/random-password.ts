import { randomInt } from 'node:crypto';
import { AwsError } from '../errors.js';
import type { Input } from '../input.js';

const lowercase = 'abcdefghijklmnopqrstuvwxyz';
const uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';
/** The punctuation GetRandomPassword draws from, per the API reference. */
const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** GetRandomPassword with its parameters and defaults (32 characters, every type required). */
export function randomPassword(input: Input): string {
  const length = input.integer('PasswordLength', { min: 1, max: 4096, fallback: 32 });
  const exclude = new Set(input.string('ExcludeCharacters', { max: 4096 }) ?? '');
  const classes = [
    input.boolean('ExcludeLowercase', false) ? '' : lowercase,
    input.boolean('ExcludeUppercase', false) ? '' : uppercase,
    input.boolean('ExcludeNumbers', false) ? '' : digits,
    input.boolean('ExcludePunctuation', false) ? '' : punctuation,
    input.boolean('IncludeSpace', false) ? ' ' : '',
  ]
    .map((chars) => [...chars].filter((c) => !exclude.has(c)).join(''))
    .filter((chars) => chars.length > 0);
  if (classes.length === 0) throw new AwsError('InvalidParameterException', 'No characters are left to build a password from.');
  const requireEach = input.boolean('RequireEachIncludedType', true);
  if (requireEach && length < classes.length) {
    throw new AwsError('InvalidParameterException', `PasswordLength must be at least ${classes.length} to include every character type.`);
  }
  const all = classes.join('');
  const chars = Array.from({ length }, () => all[randomInt(all.length)]);
  if (requireEach) {
    // Put one character of each type at distinct random positions, then the password is still uniform elsewhere.
    const positions = [...Array(length).keys()];
    for (const set of classes) {
      const position = positions.splice(randomInt(positions.length), 1)[0];
      chars[position] = set[randomInt(set.length)];
    }
  }
  return chars.join('');
}
