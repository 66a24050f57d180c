// Part of `npm run build`: tsc emits JavaScript for the TypeScript only, so the files lib/ ships
// as they are (the compiled spec validators, the status page's static files) are copied beside it.
import { cpSync } from 'node:fs';

cpSync('lib', 'dist/lib', {
  recursive: true,
  filter: (source) => !source.endsWith('.ts') || source.endsWith('.d.ts'),
});
