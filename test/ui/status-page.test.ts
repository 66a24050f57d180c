import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDashboard, type DashboardServer } from '../../lib/ui/dashboard-server.js';
import { call } from '../support/http.js';
import { getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';
import { describeInBrowser, launchBrowser, type TestBrowser } from './browser.js';

/** The page's rendered text of the first element matching `selector`. */
function textOf(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => (el as unknown as { innerText: string }).innerText);
}

/** The promise: a change is on the page within two seconds. */
const liveMs = 2_000;

describeInBrowser('status page in a real browser', () => {
  let rt: TestRuntime;
  let browser: TestBrowser;
  let page: Page;
  let closed = false;

  const spec = (image: string, extra: Record<string, unknown> = {}) => ({
    image, replicas: 4, rollout: { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 5, progressDeadlineSeconds: 120 }, ...extra,
  });
  const status = async (name: string) => (await getService(rt, name)).status;
  const row = (name: string) => `tr[data-service="${name}"]`;

  /** Waits (wall time) until `fn` holds in the page; fails after `timeout`. */
  const pageShows = (fn: string, timeout = liveMs) => page.waitForFunction(fn, { timeout, polling: 50 });
  const rowPhase = (name: string) => `document.querySelector('${row(name)} [data-phase]')?.dataset.phase`;
  const rowUpdated = (name: string) => `document.querySelector('${row(name)} .key-updated')?.textContent`;

  /** Advances virtual time in small steps, giving the page wall time to poll, until `predicate` holds. */
  async function playUntil(predicate: () => Promise<boolean>, stepMs = 1_000, maxSteps = 300) {
    for (let i = 0; i < maxSteps; i++) {
      await rt.bus.idle();
      if (await predicate()) return;
      await rt.run(stepMs);
    }
    throw new Error('condition not reached in virtual time');
  }

  beforeAll(async () => {
    rt = await startTestRuntime();
    await call(rt.apiUrl, 'PUT', '/services/web', spec('web:1'));
    await call(rt.apiUrl, 'PUT', '/services/worker', spec('worker:1', { replicas: 2 }));
    await playUntil(async () => (await status('web')).phase === 'Available' && (await status('worker')).phase === 'Available');
    browser = await launchBrowser();
    page = await browser.page();
  });

  afterAll(async () => {
    await browser?.close();
    if (!closed) await rt?.close();
  });

  it('lists the services of a running local mode with phase, revisions, tasks and image', async () => {
    await page.goto(`${rt.apiUrl}/ui/`);
    await pageShows(`${rowPhase('web')} === 'Available' && ${rowPhase('worker')} === 'Available'`);
    const text = await textOf(page, row('web'));
    expect(text).toContain('web:1');
    expect(text).toContain('1 / 1');
    expect(text).toContain('Revision 1 available: 4 of 4 tasks');
    expect(await page.$eval(`${row('web')} [role=img]`, (el) => el.getAttribute('aria-label'))).toBe('4 of 4 updated, 4 of 4 available');
    await browser.screenshot(page, 'services');
  });

  it('shows a rollout started through the API within two seconds, and it ends Available', async () => {
    await call(rt.apiUrl, 'PUT', '/services/web', spec('web:2'));
    let updated = 0;
    await playUntil(async () => {
      const s = await status('web');
      updated = s.counts.updated;
      return s.phase === 'Progressing' && updated >= 1 && updated < 4;
    }, 500);
    const started = Date.now();
    await pageShows(`${rowPhase('web')} === 'Progressing' && ${rowUpdated('web')} === '${updated}'`);
    expect(Date.now() - started).toBeLessThan(liveMs);
    expect(await textOf(page, row('web'))).toMatch(/web:2\s+from web:1/);
    await browser.screenshot(page, 'services-rollout');

    // On to the service page, which follows each step (wall time for its polls) to the end.
    await page.click(`${row('web')} a`);
    await pageShows(`document.querySelector('h2.title [data-phase]')?.dataset.phase === 'Progressing'`);
    let shot = false;
    await playUntil(async () => {
      await new Promise((r) => setTimeout(r, 150));
      const s = await status('web');
      if (!shot && s.phase === 'Progressing' && s.counts.updated === 3) {
        await pageShows(`document.querySelector('[data-count="updated"]')?.textContent === '3'`);
        await browser.screenshot(page, 'service-rollout');
        shot = true;
      }
      return s.phase === 'Available';
    }, 2_000);
    expect(shot).toBe(true);
    const finished = Date.now();
    await pageShows(`document.querySelector('h2.title [data-phase]')?.dataset.phase === 'Available' && document.querySelector('[data-count="updated"]')?.textContent === '4'`);
    expect(Date.now() - finished).toBeLessThan(liveMs);
    expect(await page.evaluate(`document.querySelectorAll('.chart path.line-updated')[0].getAttribute('d').split('V').length`)).toBeGreaterThan(3);
    await page.click('.crumbs a');
    await pageShows(`${rowPhase('web')} === 'Available' && ${rowUpdated('web')} === '4'`);
    expect(await textOf(page, `${row('web')} .image`)).toBe('web:2');
  });

  it('shows a failed rollout as RolledBack with its message', async () => {
    await rt.setImage({ image: 'web:crash', behavior: 'crash', afterSeconds: 1 });
    await call(rt.apiUrl, 'PUT', '/services/web', spec('web:crash'));
    await playUntil(async () => (await status('web')).phase === 'RolledBack');
    const { message } = await status('web');
    expect(message).toMatch(/^Rolled back to revision 2 after revision 3 failed/);
    const seen = Date.now();
    await pageShows(`${rowPhase('web')} === 'RolledBack'`);
    expect(Date.now() - seen).toBeLessThan(liveMs);
    expect(await page.$eval(`${row('web')} .message`, (el) => el.textContent)).toBe(message);

    await page.click(`${row('web')} a`);
    await pageShows(`document.querySelector('.timeline .event-RolledBack') !== null`);
    const first = await textOf(page, '.timeline li');
    expect(first).toContain('RolledBack');
    const history = await textOf(page, '#revisions-h + table');
    expect(history).toMatch(/3 wanted\s+web:crash\s+rolled back/);
    expect(history).toMatch(/2 current\s*stable\s+web:2\s+restored/);
    expect(await page.evaluate(`document.activeElement?.matches('h2.title') === true`)).toBe(true);
    await browser.screenshot(page, 'service-rolled-back');
  });

  it('pauses the rollout from the page, behind a confirmation sent with If-Match', async () => {
    await call(rt.apiUrl, 'PUT', '/services/web', spec('web:4'));
    await playUntil(async () => {
      const s = await status('web');
      return s.phase === 'Progressing' && s.counts.updated >= 1 && s.counts.updated < 4;
    }, 500);
    const before = await getService(rt, 'web');
    await pageShows(`document.querySelector('h2.title [data-phase]')?.dataset.phase === 'Progressing'`);
    // The README's picture (docs/status-page-rollout.png is a copy): a rollout after a rollback.
    await browser.screenshot(page, 'readme-rollout', { untilBottomOf: '.columns' });
    await page.click('button[data-action="pause"]');
    await page.waitForSelector('dialog.confirm[open]');
    expect(await textOf(page, 'dialog.confirm')).toContain(`If-Match: "${before.generation}"`);
    // Escape cancels: nothing is sent.
    await page.keyboard.press('Escape');
    await pageShows(`document.querySelector('dialog.confirm') === null`);
    expect((await getService(rt, 'web')).status.paused).toBe(false);

    await page.click('button[data-action="pause"]');
    await page.waitForSelector('dialog.confirm[open]');
    await page.click('dialog.confirm .button-primary');
    await pageShows(`document.querySelector('button[data-action="resume"]') !== null`);
    expect((await getService(rt, 'web')).status.paused).toBe(true);
    await playUntil(async () => (await status('web')).phase === 'Paused');
    const held = (await status('web')).counts.updated;
    await rt.run(60_000);
    expect((await status('web')).counts.updated).toBe(held);
    await pageShows(`document.querySelector('h2.title [data-phase]')?.dataset.phase === 'Paused'`);
    await browser.screenshot(page, 'service-paused');

    // Resume with the keyboard alone.
    await page.focus('button[data-action="resume"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.confirm[open]');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await pageShows(`document.querySelector('button[data-action="pause"]') !== null`);
    await playUntil(async () => (await status('web')).phase === 'Available');
  });

  it('does not act on a service that changed while the confirmation was open (If-Match answers 412)', async () => {
    const before = await getService(rt, 'web');
    await page.click('button[data-action="pause"]');
    await page.waitForSelector('dialog.confirm[open]');
    await call(rt.apiUrl, 'POST', '/services/web/scale', { replicas: 3 });
    await pageShows(`document.querySelector('[data-count="desired"]')?.textContent === '3'`);
    const errorsBefore = browser.errors.length;
    await page.click('dialog.confirm .button-primary');
    await pageShows(`(document.querySelector('.action-outcome')?.textContent ?? '').includes('changed since you were asked')`);
    expect(await textOf(page, '.action-outcome')).toContain(`generation ${before.generation} is no longer current`);
    expect((await getService(rt, 'web')).status.paused).toBe(false);
    // Chromium logs every 4xx answer as a console error: this one was expected.
    const logged = browser.errors.splice(errorsBefore);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('412');
    await call(rt.apiUrl, 'POST', '/services/web/scale', { replicas: 4 });
    await playUntil(async () => (await status('web')).phase === 'Available');
  });

  it('shows jobs with schedule, time zone, next run and last runs; secrets with rotation and consumers, never a value', async () => {
    await rt.setImage({ image: 'report:1', behavior: 'exit', afterSeconds: 3, exitCode: 0 });
    await call(rt.apiUrl, 'PUT', '/jobs/nightly-report', { image: 'report:1', schedule: 'rate(1 minute)' });
    const value = 'hunter2-super-secret-value';
    await rt.clients.secrets.send(new CreateSecretCommand({ Name: 'db-password', SecretString: value, Tags: [{ Key: 'corral:managed', Value: 'true' }] }));
    await call(rt.apiUrl, 'PUT', '/services/billing', { image: 'billing:1', replicas: 1, secrets: { DB_PASSWORD: 'db-password' }, rollout: { minHealthySeconds: 0 } });
    const elb = new ElasticLoadBalancingV2Client({ endpoint: rt.awsUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const group = await elb.send(new CreateTargetGroupCommand({ Name: 'shop-tg', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip' }));
    elb.destroy();
    await call(rt.apiUrl, 'PUT', '/services/shop', { image: 'shop:1', replicas: 1, port: 80, loadBalancers: [{ targetGroupArn: group.TargetGroups?.[0]?.TargetGroupArn }] });
    await rt.clients.secrets.send(new RotateSecretCommand({ SecretId: 'db-password', RotationLambdaARN: rt.rotationFunctionArn, RotationRules: { AutomaticallyAfterDays: 30 } }));
    await playUntil(async () => {
      const job = (await call(rt.apiUrl, 'GET', '/jobs/nightly-report')).body;
      return (job.status.lastRuns ?? []).filter((r: { status: string }) => r.status === 'Succeeded').length >= 2;
    }, 10_000);

    await page.goto(`${rt.apiUrl}/ui/#/jobs`);
    await pageShows(`(document.querySelector('tr[data-job="nightly-report"]')?.innerText ?? '').includes('Succeeded')`);
    const job = await textOf(page, 'tr[data-job="nightly-report"]');
    expect(job).toContain('rate(1 minute)');
    expect(job).toContain('UTC');
    expect(job).toMatch(/\d+ s/);
    await browser.screenshot(page, 'jobs');

    await page.goto(`${rt.apiUrl}/ui/#/services/shop`);
    await pageShows(`document.querySelector('[data-testid="traffic"]')?.textContent === 'target group shop-tg'`);

    await page.goto(`${rt.apiUrl}/ui/#/secrets`);
    await pageShows(`(document.querySelector('tr[data-secret="db-password"]')?.innerText ?? '').includes('billing')`);
    const secret = await textOf(page, 'tr[data-secret="db-password"]');
    expect(secret).toContain('on · every 30 days');
    expect(secret).toMatch(/2026-01-\d\d \d\d:\d\d:\d\d\s+2026-01-\d\d \d\d:\d\d:\d\d/);
    expect(await page.content()).not.toContain(value);
    await browser.screenshot(page, 'secrets');
  });

  it('works on a phone-sized screen', async () => {
    const phone = await browser.page({ width: 390, height: 844 });
    await phone.goto(`${rt.apiUrl}/ui/`);
    await phone.waitForSelector(`${row('web')} [data-phase]`);
    const overflow = await phone.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.screenshot(phone, 'services-phone');
    await phone.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await browser.screenshot(phone, 'services-phone-dark');
    await phone.close();
  });

  it('labels every control and chart, and its coloured text passes WCAG AA contrast in both colour schemes', async () => {
    const check = await browser.page();
    // Worst contrast ratio of text with its nearest painted background, per selector.
    const audit = `(() => {
      const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
      const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const worst = {};
      for (const el of document.querySelectorAll('.badge, .live, a, button, .muted, .message, th, td, .event-type, .key-updated, .key-available')) {
        if (!el.textContent.trim()) continue;
        const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(background(el))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const key = el.className || el.tagName;
        worst[key] = Math.min(worst[key] ?? 99, Math.round(ratio * 100) / 100);
      }
      return worst;
    })()`;
    for (const scheme of ['light', 'dark']) {
      await check.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      for (const hash of ['#/', '#/services/web']) {
        await check.goto(`${rt.apiUrl}/ui/${hash}`);
        await check.waitForSelector('[data-phase]');
        const ratios = (await check.evaluate(audit)) as Record<string, number>;
        expect(Object.keys(ratios).length).toBeGreaterThan(8);
        const failing = Object.entries(ratios).filter(([, ratio]) => ratio < 4.5);
        expect(failing, `${scheme} ${hash}`).toEqual([]);
      }
    }
    const unlabelled = await check.evaluate(`[...document.querySelectorAll('button, a, [role=img], input')]
      .filter((el) => !(el.getAttribute('aria-label') || el.textContent.trim() || el.closest('label'))).length`);
    expect(unlabelled).toBe(0);
    await check.close();
  });

  it('serves the same page through corral dashboard, which forwards the API calls', async () => {
    let dashboard: DashboardServer | undefined;
    try {
      dashboard = await startDashboard({ endpoint: new URL(rt.apiUrl), port: 0 });
      const other = await browser.page();
      await other.goto(dashboard.url);
      await other.waitForFunction(`document.querySelector('${row('billing')} [data-phase]') !== null`, { timeout: liveMs * 2 });
      await other.close();
    } finally {
      await dashboard?.close();
    }
  });

  it('logged no console errors on any page', () => {
    expect(browser.errors).toEqual([]);
  });

  it('shows "disconnected" when the API stops answering', async () => {
    await page.goto(`${rt.apiUrl}/ui/`);
    await page.waitForSelector(`${row('web')} [data-phase]`);
    closed = true;
    await rt.close();
    const gone = Date.now();
    await page.waitForSelector('[data-testid="disconnected"]', { timeout: liveMs * 2 });
    expect(Date.now() - gone).toBeLessThan(liveMs * 2);
    expect(await page.$eval('[data-testid="live"]', (el) => el.textContent)).toBe('Disconnected');
    // The last answer stays on screen under the banner.
    expect(await page.$(row('web'))).not.toBeNull();
    await browser.screenshot(page, 'disconnected');
  });
});
