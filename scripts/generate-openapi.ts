import { writeFileSync } from 'node:fs';
import packageJson from '../package.json' with { type: 'json' };
import { openApiDocument } from '../lib/api/openapi/document.js';

/** `npm run openapi`: writes schema/openapi.json; test/api/openapi.test.ts fails while it is stale. */
export const openApiPath = new URL('../schema/openapi.json', import.meta.url);

export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(packageJson.version), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(openApiPath, openApiText());
  console.log(`wrote ${openApiPath.pathname}`);
}
