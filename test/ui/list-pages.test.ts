import { afterAll, beforeAll, expect, it } from 'vitest';
import { validateServiceSpec } from '../../lib/core/spec/index.js';
import { startTestRuntime, type TestRuntime } from '../support/local-mode.js';
import { describeInBrowser, launchBrowser, type TestBrowser } from './browser.js';

/** The status page reads every page of GET /services (500 a page), so a fleet above one page is all on it. */

describeInBrowser('status page lists', () => {
  let rt: TestRuntime;
  let browser: TestBrowser;
  const names = Array.from({ length: 503 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    rt = await startTestRuntime({ reconcile: false });
    const result = validateServiceSpec({ image: 'nginx:1.27', replicas: 1 });
    if (!result.ok) throw new Error('fixture spec is invalid');
    for (const name of names) await rt.store.putService(name, result.spec);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rt?.close();
  });

  it('shows every service of a fleet larger than one page of the API', async () => {
    const page = await browser.page();
    const requested: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/services') requested.push(url.search);
    });
    await page.goto(`${rt.apiUrl}/ui/`);
    await page.waitForFunction(`document.querySelectorAll('tr[data-service]').length === ${names.length}`, { timeout: 10_000, polling: 100 });
    expect(await page.$$eval('tr[data-service]', (rows) => rows.map((row) => row.getAttribute('data-service')))).toEqual(names);
    // Each poll: the first page of 500, then the one its nextToken names.
    expect(requested[0]).toBe('?limit=500');
    expect(requested[1]).toMatch(/^\?limit=500&nextToken=[A-Za-z0-9_-]+$/);
  }, 30_000);
});
