import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { describe, it } from 'vitest';

/** Debian's chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go, for people to look at. */
export const screenshotDir = resolve(import.meta.dirname, '../../.test-results/ui');

/**
 * Why the browser tests cannot run here, or undefined when they can. In CI a missing Chromium is
 * a failure (.ci/run installs it), never a skip.
 */
export function browserUnavailable(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  return `Chromium not found at ${chromiumPath}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`;
}

/**
 * A describe block of browser tests. Without Chromium it fails in CI (.ci/run installs it) and is
 * skipped elsewhere with the reason, so a laptop without Chromium still runs the rest.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const unavailable = browserUnavailable();
  if (unavailable && process.env.CI === 'true') {
    describe(name, () => {
      it('has Chromium to run in (CI installs it in .ci/run)', () => {
        throw new Error(`${unavailable}; in CI the browser tests must run, not skip`);
      });
    });
  } else if (unavailable) {
    console.warn(`${name}: browser tests SKIPPED. ${unavailable}`);
    describe.skip(`${name} — SKIPPED: ${unavailable}`, () => {
      it('needs Chromium', () => undefined);
    });
  } else {
    describe(name, body);
  }
}

export interface TestBrowser {
  browser: Browser;
  /** A new page whose console errors and uncaught exceptions are collected. */
  page(viewport?: { width: number; height: number }): Promise<Page>;
  /** Console errors and page errors seen so far, on every page. */
  errors: string[];
  /** The whole page, or from the top to the bottom of `untilBottomOf`. */
  screenshot(page: Page, name: string, options?: { untilBottomOf?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile and nothing that reaches out (the machine has no
 * outside network): no QUIC, sync, component updates or background fetches.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'corral-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', `--user-data-dir=${profile}`,
    ],
  });
  await mkdir(screenshotDir, { recursive: true });
  const errors: string[] = [];
  return {
    browser,
    errors,
    async page(viewport = { width: 1280, height: 800 }) {
      const page = await browser.newPage();
      await page.setViewport(viewport);
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url ?? ''})`);
      });
      page.on('pageerror', (error) => errors.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
      return page;
    },
    async screenshot(page, name, options = {}) {
      const path = join(screenshotDir, `${name}.png`);
      if (options.untilBottomOf) {
        const box = await (await page.$(options.untilBottomOf))?.boundingBox();
        if (!box) throw new Error(`nothing matches ${options.untilBottomOf} to clip the screenshot to`);
        await page.screenshot({ path, clip: { x: 0, y: 0, width: page.viewport()?.width ?? 1280, height: Math.ceil(box.y + box.height + 16) } });
        return path;
      }
      // The whole page and no more: a short viewport makes fullPage the content's own height.
      const viewport = page.viewport();
      if (viewport) await page.setViewport({ ...viewport, height: 200 });
      await page.screenshot({ path, fullPage: true });
      if (viewport) await page.setViewport(viewport);
      return path;
    },
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
