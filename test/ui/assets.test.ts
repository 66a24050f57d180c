import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type LocalApiServer } from '../../lib/local/api-server.js';

describe('local mode serves the status page at /ui/ beside the API', () => {
  let server: LocalApiServer;
  beforeAll(async () => {
    server = await startApiServer(async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: event.path }) }), { port: 0 });
  });
  afterAll(() => server.close());

  it('answers the page, its modules and stylesheet, with their types', async () => {
    for (const [path, type] of [
      ['/ui/', 'text/html; charset=utf-8'],
      ['/ui/app.js', 'text/javascript; charset=utf-8'],
      ['/ui/style.css', 'text/css; charset=utf-8'],
      ['/ui/vendor/preact.mjs', 'text/javascript; charset=utf-8'],
      ['/ui/vendor/hooks.mjs', 'text/javascript; charset=utf-8'],
      ['/ui/vendor/htm.mjs', 'text/javascript; charset=utf-8'],
      ['/ui/favicon.svg', 'image/svg+xml'],
    ]) {
      const answer = await fetch(`${server.url}${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('content-type'), path).toBe(type);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('redirects /ui to /ui/, answers 404 for unknown files (no path reaches the disk) and 405 for writes', async () => {
    const bare = await fetch(`${server.url}/ui`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/ui/');
    expect((await fetch(`${server.url}/ui/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/ui/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/ui/`, { method: 'POST' })).status).toBe(405);
  });

  it('leaves every other path to the API handler', async () => {
    const answer = await fetch(`${server.url}/services`);
    expect(await answer.json()).toEqual({ path: '/services' });
    expect(await (await fetch(`${server.url}/uix`)).json()).toEqual({ path: '/uix' });
  });
});
