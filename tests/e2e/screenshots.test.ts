/**
 * Screenshots of the main pages at 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light
 * and dark (the builder and "Pers & data" also at 768 px and without JavaScript), and the scoreboard
 * printed to A4: written to artifacts/ (kept by CI) for people to look at. Also checks that
 * no public page scrolls sideways at 320 or 390 px, in either language; that the pages follow the
 * reader's colour scheme and motion setting; and that the 15-party board prints legibly on A4.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/campaign.ts';
import { pathTo } from '../../src/i18n/routes.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { startTestSite } from '../helpers/site.ts';

const PAGES: [string, (locale: Locale) => string][] = [
  ['scoreboard', (l) => pathTo('scoreboard', l)],
  ['goal', (l) => pathTo('goal', l, { slug: 'servers-en-techbedrijven' })],
  ['party', (l) => pathTo('party', l, { slug: 'zeewind' })],
  ['compare', (l) => `${pathTo('compare', l)}?${l === 'nl' ? 'partijen' : 'parties'}=zeewind,kompas,lindeboom`],
  ['compare-4', (l) => `${pathTo('compare', l)}?${l === 'nl' ? 'partijen' : 'parties'}=zeewind,kompas,lindeboom,polderpartij`],
  ['compare-6', (l) => `${pathTo('compare', l)}?${l === 'nl' ? 'partijen' : 'parties'}=zeewind,kompas,lindeboom,polderpartij,brugpartij,morgenrood`],
  ['compare-start', (l) => `${pathTo('compare', l)}?${l === 'nl' ? 'partijen' : 'parties'}=zeewind`],
  ['goal-supporting-children', (l) => pathTo('goal', l, { slug: 'steun-voor-kinderen' })],
  ['party-corrected', (l) => pathTo('party', l, { slug: 'kompas' })],
  ['statement', (l) => pathTo('statement', l, { slug: 'kompas', goal: 'steun-voor-kinderen' })],
  ['about', (l) => pathTo('about', l)],
  ['sign-in', (l) => pathTo('signIn', l)],
  ['press-data', (l) => pathTo('pressData', l)],
  ['embed-builder', (l) => `${pathTo('embedBuilder', l)}?what=goal&goal=financiering&time=live`],
];

/** Public pages checked for sideways scrolling but not photographed. */
const MORE_PUBLIC_PAGES: [string, (locale: Locale) => string][] = [
  ['scoreboard, filtered', (l) => `${pathTo('scoreboard', l)}?${l === 'nl' ? 'standpunt=geen-reactie&sorteer=naam' : 'stance=none&sort=name'}`],
  ['scoreboard as of a moment', (l) => `${pathTo('scoreboard', l)}?at=2026-01-01T00:00:00Z`],
  ['compare, nothing chosen', (l) => pathTo('compare', l)],
  ['party without any response', (l) => pathTo('party', l, { slug: 'morgenrood' })],
  ['embed builder', (l) => pathTo('embedBuilder', l)],
  ['not found', (l) => `${pathTo('scoreboard', l)}${l === 'nl' ? '' : '/'}bestaat-niet`],
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

  it('takes the screenshots: 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of SCREENSHOT_WIDTHS) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const page = await context.newPage();
        const shots: [string, string][] = [
          ...PAGES.map(([name, pathFor]): [string, string] => [name, pathFor('nl')]),
          ['scoreboard-en', pathTo('scoreboard', 'en')],
        ];
        for (const [name, address] of shots) {
          await page.goto(new URL(address, server.url).href);
          const file = path.join(SCREENSHOT_DIR, `${name}-${width}-${colorScheme}.png`);
          await page.screenshot({ path: file, fullPage: true });
          // A real picture of the whole page, exactly as wide as the screen (nothing sticks out).
          const png = PNG.sync.read(await readFile(file));
          expect(png.width, file).toBe(width);
          expect(png.height, file).toBeGreaterThanOrEqual(900);
        }
        await context.close();
      }
    }
  });

  it('takes the screenshots of "Pers & data" and the embed builder at 320 and 768 px too, and without JavaScript', async () => {
    const pages = PAGES.filter(([name]) => name === 'press-data' || name === 'embed-builder');
    for (const [width, colorScheme, javaScriptEnabled] of [
      [320, 'light', true],
      [320, 'dark', true],
      [768, 'light', true],
      [768, 'dark', true],
      [390, 'light', false],
      [1280, 'dark', false],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, javaScriptEnabled });
      const page = await context.newPage();
      for (const [name, pathFor] of pages) {
        await page.goto(new URL(pathFor('nl'), server.url).href);
        const file = path.join(SCREENSHOT_DIR, `${name}-${width}-${colorScheme}${javaScriptEnabled ? '' : '-nojs'}.png`);
        await page.screenshot({ path: file, fullPage: true });
        expect(PNG.sync.read(await readFile(file)).width, file).toBe(width);
      }
      await context.close();
    }
  });

  it("follows the reader's colour scheme, and moves only for readers who allow motion", async () => {
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb
        .match(/\d+/g)!
        .slice(0, 3)
        .map((v) => Number(v) / 255) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const [colorScheme, reducedMotion] of [
      ['light', 'no-preference'],
      ['dark', 'reduce'],
    ] as const) {
      const context = await browser.newContext({ colorScheme, reducedMotion });
      const page = await context.newPage();
      await page.goto(server.url);
      const style = await page.evaluate(() => ({
        // The page's paper: the body's background, or the root's where the body has none.
        paper: [document.body, document.documentElement].map((el) => getComputedStyle(el).backgroundColor).find((c) => c !== 'rgba(0, 0, 0, 0)') ?? 'none',
        ink: getComputedStyle(document.body).color,
        scroll: getComputedStyle(document.documentElement).scrollBehavior,
      }));
      if (colorScheme === 'dark') {
        expect(luminance(style.paper), style.paper).toBeLessThan(0.2);
        expect(luminance(style.ink), style.ink).toBeGreaterThan(0.7);
      } else {
        expect(luminance(style.paper), style.paper).toBeGreaterThan(0.9);
        expect(luminance(style.ink), style.ink).toBeLessThan(0.3);
      }
      expect(style.scroll).toBe(reducedMotion === 'reduce' ? 'auto' : 'smooth');
      await context.close();
    }
  });

  it('prints the scoreboard of 15 parties legibly on A4', async () => {
    // The real party list with no pledges (nothing is invented for a real party): 15 rows.
    const board = await startTestSite('pglite');
    try {
      const page = await browser.newPage();
      await page.goto(board.url);
      const pdf = await page.pdf({ path: path.join(SCREENSHOT_DIR, 'scoreboard-print-a4.pdf'), preferCSSPageSize: true, printBackground: true });
      expect(pdf.length).toBeGreaterThan(1000);
      // A4 landscape less 12 mm margins: 273 mm wide, 1032 CSS pixels.
      await page.setViewportSize({ width: 1032, height: 740 });
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.board-controls').isVisible()).toBe(false);
      expect(await page.locator('.site-header nav').isVisible()).toBe(false);
      const table = await page.evaluate(() => {
        const board = document.querySelector('table.board')!;
        return {
          width: board.getBoundingClientRect().width,
          rows: board.querySelectorAll('tbody tr').length,
          hiddenRows: [...board.querySelectorAll('tbody tr')].filter((tr) => tr.getBoundingClientRect().height === 0).length,
          smallestText: Math.min(...[...board.querySelectorAll('th, td, li, span')].map((el) => parseFloat(getComputedStyle(el).fontSize))),
        };
      });
      expect(table.rows).toBe(15);
      expect(table.hiddenRows).toBe(0);
      expect(table.width).toBeLessThanOrEqual(1032);
      expect(table.smallestText).toBeGreaterThanOrEqual(10); // px: 7.5 pt, the smallest legible print size we allow
      await page.close();
    } finally {
      await board.close();
    }
  });

  it('no public page scrolls sideways at 320 or 390 px', async () => {
    for (const width of [320, 390]) {
      const page = await (await browser.newContext({ viewport: { width, height: 640 } })).newPage();
      for (const locale of ['nl', 'en'] as const) {
        for (const [, pathFor] of [...PAGES, ...MORE_PUBLIC_PAGES]) {
          await page.goto(new URL(pathFor(locale), server.url).href);
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          expect(scrollWidth, `${pathFor(locale)} at ${width} px`).toBeLessThanOrEqual(innerWidth);
        }
      }
      await page.context().close();
    }
  });

  it('"Pers & data" and the embed builder do not scroll sideways at 320 or 390 px, JavaScript on or off', async () => {
    for (const javaScriptEnabled of [true, false]) {
      for (const width of [320, 390]) {
        const context = await browser.newContext({ viewport: { width, height: 700 }, javaScriptEnabled });
        const page = await context.newPage();
        for (const address of [
          pathTo('pressData', 'nl'),
          pathTo('pressData', 'en'),
          `${pathTo('pressData', 'nl')}?at=2026-01-01T00:00:00Z`,
          pathTo('embedBuilder', 'nl'),
          `${pathTo('embedBuilder', 'en')}?what=party&party=zeewind&goals=financiering&time=frozen`,
          `${pathTo('embedBuilder', 'nl')}?what=goal&goal=financiering&parties=zeewind`,
        ]) {
          await page.goto(new URL(address, server.url).href);
          const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }));
          expect(scrollWidth, `${address} at ${width} px, JS ${javaScriptEnabled}`).toBeLessThanOrEqual(width);
        }
        await context.close();
      }
    }
  });

  it('compare fits four parties side by side on a 320 px phone; six scroll inside their labelled region', async () => {
    const page = await (await browser.newContext({ viewport: { width: 320, height: 640 }, javaScriptEnabled: false })).newPage();
    const fits = async (query: string) => {
      await page.goto(new URL(`${pathTo('compare', 'nl')}?partijen=${query}`, server.url).href);
      return page.evaluate(() => {
        const region = document.querySelector<HTMLElement>('.compare-matrix-region')!;
        const cells = [...document.querySelectorAll('.compare-matrix td')];
        return {
          regionScrolls: region.scrollWidth > region.clientWidth,
          label: document.getElementById(region.getAttribute('aria-labelledby')!)?.textContent,
          role: region.getAttribute('role'),
          // Every stance in the matrix has its words, not only an icon.
          words: cells.every((td) => (td.querySelector('.stance__label')?.textContent ?? '').trim().length > 0),
          cells: cells.length,
        };
      });
    };
    const four = await fits('zeewind,kompas,lindeboom,polderpartij');
    expect(four).toMatchObject({ regionScrolls: false, role: 'region', label: 'Standpunten naast elkaar', words: true, cells: 16 });
    const six = await fits('zeewind,kompas,lindeboom,polderpartij,brugpartij,morgenrood');
    expect(six).toMatchObject({ regionScrolls: true, role: 'region', label: 'Standpunten naast elkaar', words: true, cells: 24 });
    expect(await page.locator('.compare-matrix-region').getAttribute('tabindex')).toBe('0');
  });
});
