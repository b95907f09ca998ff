/**
 * A voter's journey in Chromium, on a phone and on a desktop, with JavaScript on and off:
 * scoreboard → sort → filter → party → compare → English. Runs on the demo board (fictional
 * parties). At every step the page must not scroll sideways.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, page.url()).toBeLessThanOrEqual(innerWidth);
}

describeInBrowser('a voter compares parties (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ DEMO: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of VIEWPORTS) {
    for (const javaScriptEnabled of [true, false]) {
      describe(`${viewport.name}, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
        it('goes from the scoreboard to a comparison in English', async () => {
          const context = await browser.newContext({ viewport: viewport, javaScriptEnabled });
          const page = await context.newPage();
          // Everything the pages load comes from the site itself: no third party sees the voter.
          const origins = new Set<string>();
          page.on('request', (request) => origins.add(new URL(request.url()).origin));
          await page.goto(server.url);
          expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Houd kinderen veilig – óók online');
          await expectNoSidewaysScroll(page);

          // Sort by name (on a phone the filters are folded away first).
          if (viewport.name === 'phone') await page.getByText('Filter en sorteer').click();
          await page.getByLabel('Sorteer op').selectOption({ label: 'naam' });
          await page.getByRole('button', { name: 'Toepassen' }).click();
          await page.waitForURL(/sorteer=naam/);
          const names = await page.locator('tbody th[scope="row"] .board__name').allTextContents();
          expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'nl')));
          expect(names[0]).toBe('Brugpartij');

          // Only parties that declined somewhere.
          await page.getByLabel('Alleen partijen met standpunt').selectOption({ label: 'Niet toegezegd' });
          await page.getByRole('button', { name: 'Toepassen' }).click();
          await page.waitForURL(/standpunt=niet-toegezegd/);
          expect(await page.locator('tbody th[scope="row"] .board__name').allTextContents()).toEqual(['Brugpartij', 'Zeewind']);
          expect(await page.getByRole('status').innerText()).toBe('2 van de 6 partijen getoond.');
          await expectNoSidewaysScroll(page);

          // A party's page, with its statements and history.
          await page.getByRole('link', { name: 'Zeewind' }).first().click();
          await page.waitForURL(/\/partijen\/zeewind$/);
          expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Zeewind');
          expect(await page.getByRole('heading', { name: 'Geschiedenis' }).count()).toBe(1);
          expect(await page.getByRole('link', { name: /Bron in het verkiezingsprogramma/ }).count()).toBeGreaterThan(0);
          await expectNoSidewaysScroll(page);

          // Compare two parties.
          await page.getByRole('link', { name: 'Vergelijken' }).click();
          await page.getByRole('checkbox', { name: /Zeewind/ }).check();
          await page.getByRole('checkbox', { name: /Kompas/ }).check();
          await page.getByRole('button', { name: 'Vergelijk' }).click();
          await page.waitForURL(/\/vergelijk\?partijen=zeewind,kompas$/);
          expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Vergelijking van Zeewind, Kompas');
          expect(await page.locator('.compare-goal').count()).toBe(4);
          await expectNoSidewaysScroll(page);

          // The same comparison in English.
          await page.getByRole('link', { name: 'English' }).click();
          await page.waitForURL(/\/en\/compare\?parties=zeewind%2Ckompas$|\/en\/compare\?parties=zeewind,kompas$/);
          expect(await page.locator('html').getAttribute('lang')).toBe('en');
          expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Comparison of Zeewind, Kompas');
          expect(await page.getByRole('link', { name: 'Nederlands' }).count()).toBe(1);
          await expectNoSidewaysScroll(page);
          expect([...origins]).toEqual([new URL(server.url).origin]);
          // An anonymous voter gets no cookie.
          expect(await context.cookies()).toEqual([]);
          await context.close();
        });
      });
    }
  }

  it('shows four parties side by side at 320 and 390 px without breaking a stance word inside', async () => {
    for (const width of [320, 390]) {
      const page = await (await browser.newContext({ viewport: { width, height: 700 }, javaScriptEnabled: false })).newPage();
      for (const address of ['/vergelijk?partijen=polderpartij,zeewind,kompas,lindeboom', '/en/compare?parties=polderpartij,zeewind,kompas,lindeboom']) {
        await page.goto(new URL(address, server.url).href);
        await expectNoSidewaysScroll(page);
        // Each word of each stance ("Gedeeltelijk", "toegezegd") on one line: a label takes no
        // more lines than it has words.
        const labels = await page.evaluate(() =>
          [...document.querySelectorAll('.compare-matrix td .stance__label')].map((label) => {
            const range = document.createRange();
            range.selectNodeContents(label);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
            return { text: label.textContent.trim(), lines };
          }),
        );
        expect(labels.length, address).toBe(16);
        for (const label of labels) expect(label.lines, `${width} px, ${address}: ${label.text}`).toBeLessThanOrEqual(label.text.split(/\s+/).length);
      }
      await page.context().close();
    }
  });
});
