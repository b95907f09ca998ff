/**
 * Screenshots of the main pages at 390 px and 1280 px, light and dark, and the scoreboard
 * printed to A4: written to artifacts/ (kept by CI) for people to look at. Also checks that
 * no public page scrolls sideways at 320 px, in either language.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/campaign.ts';
import { pathTo } from '../../src/i18n/routes.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'artifacts', 'screenshots');

const PAGES: [string, (locale: Locale) => string][] = [
  ['scoreboard', (l) => pathTo('scoreboard', l)],
  ['goal', (l) => pathTo('goal', l, { slug: 'servers-en-techbedrijven' })],
  ['party', (l) => pathTo('party', l, { slug: 'zeewind' })],
  ['compare', (l) => `${pathTo('compare', l)}?${l === 'nl' ? 'partijen' : 'parties'}=zeewind,kompas,lindeboom`],
  ['about', (l) => pathTo('about', l)],
  ['sign-in', (l) => pathTo('signIn', l)],
];

describeInBrowser('screenshots and narrow screens (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    server = await startServer({ DEMO: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('takes the screenshots: 390 px and 1280 px, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [390, 1280]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const page = await context.newPage();
        for (const [name, pathFor] of PAGES) {
          await page.goto(new URL(pathFor('nl'), server.url).href);
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}-${colorScheme}.png`), fullPage: true });
        }
        await page.goto(new URL(pathTo('scoreboard', 'en'), server.url).href);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `scoreboard-en-${width}-${colorScheme}.png`), fullPage: true });
        await context.close();
      }
    }
  });

  it('prints the scoreboard on A4', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const pdf = await page.pdf({ path: path.join(SCREENSHOT_DIR, 'scoreboard-print-a4.pdf'), preferCSSPageSize: true, printBackground: true });
    expect(pdf.length).toBeGreaterThan(1000);
    // The print style hides navigation and forms, and keeps the table whole.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.board-controls').isVisible()).toBe(false);
    expect(await page.locator('.site-header nav').isVisible()).toBe(false);
    expect(await page.locator('table.board').isVisible()).toBe(true);
    await page.close();
  });

  it('no public page scrolls sideways at 320 px', async () => {
    const page = await (await browser.newContext({ viewport: { width: 320, height: 640 } })).newPage();
    for (const locale of ['nl', 'en'] as const) {
      for (const [, pathFor] of PAGES) {
        await page.goto(new URL(pathFor(locale), server.url).href);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        expect(scrollWidth, pathFor(locale)).toBeLessThanOrEqual(innerWidth);
      }
    }
  });
});
