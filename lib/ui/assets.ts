import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The status page lives under this path, in local mode and behind `corral dashboard`. */
export const uiBasePath = '/ui/';

export interface UiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The page's three browser modules come straight from their npm packages (no build step): the
 * import map in index.html names them under `vendor/`.
 */
function vendorFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const preact = require.resolve('preact');
  // htm's "require" entry is CommonJS; its ES module sits beside it.
  const htm = join(dirname(require.resolve('htm')), 'htm.mjs');
  return {
    'vendor/preact.mjs': preact,
    'vendor/hooks.mjs': require.resolve('preact/hooks'),
    'vendor/htm.mjs': htm,
  };
}

interface Asset {
  type: string;
  body: Buffer;
}

let cache: { assets: Map<string, Asset>; csp: string } | undefined;

/**
 * Every file the page may load, read once: only these names are served, so no request path
 * reaches the file system.
 */
function load(): { assets: Map<string, Asset>; csp: string } {
  if (cache) return cache;
  const staticDir = fileURLToPath(new URL('./static/', import.meta.url));
  const files: Record<string, string> = vendorFiles();
  for (const entry of readdirSync(staticDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[full.slice(staticDir.length).split('\\').join('/')] = full;
  }
  const assets = new Map<string, Asset>();
  for (const [name, path] of Object.entries(files)) {
    const type = contentTypes[extname(path)];
    if (type) assets.set(name, { type, body: readFileSync(path) });
  }
  cache = { assets, csp: contentSecurityPolicy(assets.get('index.html')?.body.toString('utf8') ?? '') };
  return cache;
}

/**
 * Scripts only from this origin plus the inline import map (by its hash), API calls only to
 * this origin, no framing.
 */
function contentSecurityPolicy(indexHtml: string): string {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(indexHtml)?.[1] ?? '';
  const hash = createHash('sha256').update(importMap, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The answer for a request under /ui (the page, its modules, its stylesheet), or undefined when
 * the path is not the page's, so the caller passes it on to the API.
 */
export function uiResponse(method: string, pathname: string): UiResponse | undefined {
  if (pathname !== '/ui' && !pathname.startsWith(uiBasePath)) return undefined;
  if (pathname === '/ui') return { status: 308, headers: { Location: uiBasePath }, body: '' };
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, body: 'method not allowed\n' };
  }
  const { assets, csp } = load();
  const name = pathname === uiBasePath ? 'index.html' : pathname.slice(uiBasePath.length);
  const asset = assets.get(name);
  if (!asset) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `not found: ${pathname}\n` };
  return {
    status: 200,
    headers: {
      'Content-Type': asset.type,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': csp,
      'Referrer-Policy': 'no-referrer',
    },
    body: method === 'HEAD' ? '' : asset.body,
  };
}
