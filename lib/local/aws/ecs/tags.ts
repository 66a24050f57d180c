import { invalidParameter } from '../errors.js';

export interface Tag {
  key: string;
  value: string;
}

/**
 * ECS tag rules: at most 50 tags, keys 1..128 and values 0..256 characters, and the `aws:` prefix
 * reserved for tags AWS itself adds (such as the managed ones RunTask adds).
 */
export function validateTags(input: unknown, { allowAwsPrefix = false } = {}): Tag[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw invalidParameter('tags must be a list');
  if (input.length > 50) throw invalidParameter('Tags can have a maximum of 50 tags');
  return input.map((raw: unknown) => {
    const tag = raw as Partial<Tag>;
    if (typeof tag.key !== 'string' || tag.key.length < 1 || tag.key.length > 128) {
      throw invalidParameter('Tag keys must be between 1 and 128 characters');
    }
    const value = tag.value ?? '';
    if (typeof value !== 'string' || value.length > 256) throw invalidParameter('Tag values must be at most 256 characters');
    if (!allowAwsPrefix && tag.key.toLowerCase().startsWith('aws:')) {
      throw invalidParameter(`Tag keys with the prefix 'aws:' are reserved: ${tag.key}`);
    }
    return { key: tag.key, value };
  });
}

/** Tags after applying `additions` over `existing` (same key replaces the value). */
export function mergeTags(existing: Tag[], additions: Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.key, t.value]));
  for (const tag of additions) byKey.set(tag.key, tag.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}
