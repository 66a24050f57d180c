import { describe, expect, it } from 'vitest';
import {
  PasswordRuleError,
  defaultPasswordRules,
  passwordKeyFromTags,
  passwordRulesFromTags,
} from '../../../lib/core/rotation/index.js';

describe('passwordRulesFromTags', () => {
  it('uses 32 characters without quotes, slash, backslash or @ when no tag is set', () => {
    const rules = passwordRulesFromTags({ team: 'payments' });
    expect(rules).toEqual(defaultPasswordRules);
    expect(rules.length).toBe(32);
    for (const c of ['"', "'", '\\', '/', '@']) expect(rules.excludeCharacters).toContain(c);
  });

  it('honours each tag', () => {
    const rules = passwordRulesFromTags({
      'corral:password-length': '64',
      'corral:exclude-punctuation': 'true',
      'corral:exclude-characters': 'lI1O0',
      'corral:exclude-numbers': 'TRUE',
      'corral:exclude-uppercase': 'false',
      'corral:exclude-lowercase': 'False',
      'corral:include-space': 'true',
      'corral:require-each-included-type': 'false',
    });
    expect(rules).toEqual({
      length: 64,
      excludePunctuation: true,
      excludeCharacters: 'lI1O0',
      excludeNumbers: true,
      excludeUppercase: false,
      excludeLowercase: false,
      includeSpace: true,
      requireEachIncludedType: false,
    });
  });

  it.each([
    ['corral:password-length', '0'],
    ['corral:password-length', '4097'],
    ['corral:password-length', '12.5'],
    ['corral:password-length', 'long'],
    ['corral:password-length', ''],
    ['corral:exclude-punctuation', 'yes'],
    ['corral:include-space', '1'],
  ])('rejects %s = "%s" naming the tag', (tag, value) => {
    expect(() => passwordRulesFromTags({ [tag]: value })).toThrowError(PasswordRuleError);
    expect(() => passwordRulesFromTags({ [tag]: value })).toThrow(tag);
  });

  it('accepts the length bounds', () => {
    expect(passwordRulesFromTags({ 'corral:password-length': '1' }).length).toBe(1);
    expect(passwordRulesFromTags({ 'corral:password-length': '4096' }).length).toBe(4096);
  });

  it('rejects rules that exclude every character class', () => {
    const all = {
      'corral:exclude-punctuation': 'true',
      'corral:exclude-numbers': 'true',
      'corral:exclude-uppercase': 'true',
      'corral:exclude-lowercase': 'true',
    };
    expect(() => passwordRulesFromTags(all)).toThrowError(PasswordRuleError);
    expect(passwordRulesFromTags({ ...all, 'corral:include-space': 'true' }).includeSpace).toBe(true);
  });
});

describe('passwordKeyFromTags', () => {
  it('defaults to "password" and honours corral:password-key', () => {
    expect(passwordKeyFromTags({})).toBe('password');
    expect(passwordKeyFromTags({ 'corral:password-key': 'apiKey' })).toBe('apiKey');
    expect(() => passwordKeyFromTags({ 'corral:password-key': ' ' })).toThrowError(PasswordRuleError);
  });
});
