import { describe, expect, it } from 'vitest';
import { validateJobName, validateServiceName } from '../../../lib/core/spec/index.js';

describe.each([
  ['validateServiceName', validateServiceName],
  ['validateJobName', validateJobName],
])('%s', (_, validate) => {
  it.each(['a', 'web', 'web-1', '0', '9lives', 'a'.repeat(63), 'a-b-c'])('accepts %j', (name) => {
    expect(validate(name)).toEqual([]);
  });

  it.each([
    ['', /is required/],
    [undefined, /is required/],
    [42, /is required/],
    ['a'.repeat(64), /at most 63 characters \(got 64\)/],
    ['Web', /lowercase DNS label/],
    ['-web', /lowercase DNS label/],
    ['web-', /lowercase DNS label/],
    ['web_api', /lowercase DNS label/],
    ['web.api', /lowercase DNS label/],
    ['wéb', /lowercase DNS label/],
    ['web\n', /lowercase DNS label/],
  ])('rejects %j', (name, message) => {
    const errors = validate(name);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('name');
    expect(errors[0].message).toMatch(message);
  });
});
