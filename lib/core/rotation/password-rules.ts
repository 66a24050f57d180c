import { PasswordRuleError } from './errors.js';

/** The GetRandomPassword options Corral sets, per secret. */
export interface PasswordRules {
  length: number;
  excludeCharacters: string;
  excludePunctuation: boolean;
  excludeNumbers: boolean;
  excludeUppercase: boolean;
  excludeLowercase: boolean;
  includeSpace: boolean;
  requireEachIncludedType: boolean;
}

/** Tags a user puts on a secret to shape its generated passwords and where they go. */
export const passwordTags = {
  length: 'corral:password-length',
  excludeCharacters: 'corral:exclude-characters',
  excludePunctuation: 'corral:exclude-punctuation',
  excludeNumbers: 'corral:exclude-numbers',
  excludeUppercase: 'corral:exclude-uppercase',
  excludeLowercase: 'corral:exclude-lowercase',
  includeSpace: 'corral:include-space',
  requireEachIncludedType: 'corral:require-each-included-type',
  /** In a JSON object secret, the key whose value is rotated. */
  passwordKey: 'corral:password-key',
} as const;

/**
 * Defaults for a secret without tags. The excluded characters are the AWS rotation template's:
 * quotes, backslash, slash and `@` break connection strings, URLs and shell quoting.
 */
export const defaultPasswordRules: PasswordRules = {
  length: 32,
  excludeCharacters: '/@"\'\\',
  excludePunctuation: false,
  excludeNumbers: false,
  excludeUppercase: false,
  excludeLowercase: false,
  includeSpace: false,
  requireEachIncludedType: true,
};

export const defaultPasswordKey = 'password';

/** GetRandomPassword accepts 1..4096 characters. */
const maxPasswordLength = 4096;

/**
 * Reads the password rules from a secret's tags, defaults filling the gaps. A tag that is
 * present but unusable is an error rather than silently ignored: the user asked for something.
 */
export function passwordRulesFromTags(tags: Readonly<Record<string, string>>): PasswordRules {
  const flag = (tag: string, fallback: boolean): boolean => {
    const raw = tags[tag];
    if (raw === undefined) return fallback;
    const value = raw.trim().toLowerCase();
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new PasswordRuleError(tag, `expected "true" or "false", got "${raw}"`);
  };
  const rules: PasswordRules = {
    length: lengthFromTag(tags[passwordTags.length]),
    excludeCharacters: tags[passwordTags.excludeCharacters] ?? defaultPasswordRules.excludeCharacters,
    excludePunctuation: flag(passwordTags.excludePunctuation, defaultPasswordRules.excludePunctuation),
    excludeNumbers: flag(passwordTags.excludeNumbers, defaultPasswordRules.excludeNumbers),
    excludeUppercase: flag(passwordTags.excludeUppercase, defaultPasswordRules.excludeUppercase),
    excludeLowercase: flag(passwordTags.excludeLowercase, defaultPasswordRules.excludeLowercase),
    includeSpace: flag(passwordTags.includeSpace, defaultPasswordRules.includeSpace),
    requireEachIncludedType: flag(
      passwordTags.requireEachIncludedType,
      defaultPasswordRules.requireEachIncludedType,
    ),
  };
  if (
    rules.excludePunctuation &&
    rules.excludeNumbers &&
    rules.excludeUppercase &&
    rules.excludeLowercase &&
    !rules.includeSpace
  ) {
    throw new PasswordRuleError(passwordTags.excludePunctuation, 'every character class is excluded');
  }
  return rules;
}

/** The JSON key to rotate in an object-valued secret. */
export function passwordKeyFromTags(tags: Readonly<Record<string, string>>): string {
  const key = tags[passwordTags.passwordKey];
  if (key === undefined) return defaultPasswordKey;
  if (key.trim() === '') throw new PasswordRuleError(passwordTags.passwordKey, 'must not be empty');
  return key;
}

function lengthFromTag(raw: string | undefined): number {
  if (raw === undefined) return defaultPasswordRules.length;
  const length = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(length) || length < 1 || length > maxPasswordLength) {
    throw new PasswordRuleError(
      passwordTags.length,
      `expected a whole number from 1 to ${maxPasswordLength}, got "${raw}"`,
    );
  }
  return length;
}
