import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedValidatorsPath, generateValidators } from '../../../bin/generate-validators.js';

describe('validators compiled at build time', () => {
  it('match the schemas: run `npm run generate:validators` after changing schema/*.json', () => {
    expect(readFileSync(generatedValidatorsPath, 'utf8') === generateValidators()).toBe(true);
  });

  it('need no Ajv at run time', () => {
    const code = readFileSync(generatedValidatorsPath, 'utf8');
    expect(code).not.toMatch(/\bimport\b|\brequire\(/);
  });
});
