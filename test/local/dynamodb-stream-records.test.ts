import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonical, sameImage } from '../../lib/local/aws/dynamodb/stream-records.js';

/** The value with every object's members in reverse order (the same item, as another read may list it). */
const reordered = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reordered);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
  return value;
};

describe('sameImage: whether a write changed an item (no stream record when it did not)', () => {
  test('agrees with comparing canonical JSON, whatever the member order', () => {
    const image = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(image, image, (a, b) => {
        expect(sameImage(a, reordered(a))).toBe(true);
        expect(sameImage(a, b)).toBe(canonical(a) === canonical(b));
        expect(sameImage(b, a)).toBe(canonical(a) === canonical(b));
      }),
      { numRuns: 500 },
    );
  });

  test('tells items apart that differ in one attribute, a type, a list order or an extra member', () => {
    const item = { pk: { S: 'service#a' }, tasks: { L: [{ S: 'a' }, { S: 'b' }] }, n: { N: '1' } };
    expect(sameImage(item, { ...item, n: { N: '2' } })).toBe(false);
    expect(sameImage(item, { ...item, n: { S: '1' } })).toBe(false);
    expect(sameImage(item, { ...item, tasks: { L: [{ S: 'b' }, { S: 'a' }] } })).toBe(false);
    expect(sameImage(item, { ...item, extra: { NULL: true } })).toBe(false);
    expect(sameImage({ L: [] }, { M: {} })).toBe(false);
  });
});
