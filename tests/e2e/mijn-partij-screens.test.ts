/**
 * Screenshots of "Mijn partij", the representative's form for all goals, for people to look
 * at (artifacts/screenshots/mijn-partij-*): the empty form, the form after a refused save,
 * and after a save; at 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and
 * dark, with JavaScript and without. Also checks that no state scrolls sideways, and that
 * without JavaScript the refused form still keeps what was typed.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { campaignParties, parties } from '../../src/db/schema.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { createAccount } from '../helpers/accounts.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_PARTIES, addTestParties } from '../fixtures/board.ts';

const SCHEMES = ['light', 'dark'] as const;
const SCRIPTS = [true, false];

describeInBrowser('Mijn partij on every screen (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    const rep = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' });
    token = (await createSession(site.db, rep.user.id)).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(width: number, colorScheme: 'light' | 'dark', javaScriptEnabled: boolean): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, javaScriptEnabled });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: site.url }]);
    return context.newPage();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `mijn-partij-${name}.png`), fullPage: true });
  }

  async function fill(page: Page, { valid }: { valid: boolean }): Promise<void> {
    await page.locator('#goal-1-stance').check();
    await page.locator('#goal-1-statement').fill('Wij nemen deze doelstelling over in ons verkiezingsprogramma.');
    await page.locator('#goal-1-evidenceUrl').fill('http://partij-a.example/programma.pdf');
    await page.locator('#goal-1-evidencePage').fill('12');
    await page.locator('#goal-2-stance-partial').check();
    await page.locator('#goal-2-statement').fill(valid ? 'Deels: wel de scholen, niet de rest.' : 'Wij willen dit deels. '.repeat(55));
    if (valid) await page.locator('#goal-3-stance-declined').check();
    await page.locator('#goal-3-statement').fill('Wij kiezen hier anders.');
    await page.locator('#goal-4-stance').check();
    await page.locator('#goal-4-evidenceUrl').fill(valid ? '' : 'ons programma, blz. 4');
  }

  it('the empty form and a refused save, kept as typed', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        for (const js of SCRIPTS) {
          const page = await open(width, scheme, js);
          const label = `${width}-${scheme}-${js ? 'js' : 'nojs'}`;
          await page.goto(new URL('/mijn-partij', site.url).href);
          await shoot(page, `empty-${label}`);
          await fill(page, { valid: false });
          await Promise.all([page.waitForURL(/_action=savePledges/), page.getByRole('button', { name: 'Alles opslaan' }).click()]);
          await expect(page.locator('[data-error-summary] a').count()).resolves.toBe(3);
          await expect(page.locator('#goal-2-statement').inputValue()).resolves.toBe('Wij willen dit deels. '.repeat(55));
          if (js) await expect(page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'))).resolves.toBe(true);
          await shoot(page, `error-${label}`);
          await page.context().close();
        }
      }
    }
  });

  it('after a save', async () => {
    const first = await open(1280, 'light', false);
    await first.goto(new URL('/mijn-partij', site.url).href);
    await fill(first, { valid: true });
    await Promise.all([first.waitForURL(/opgeslagen=/), first.getByRole('button', { name: 'Alles opslaan' }).click()]);
    const saved = first.url();
    await first.context().close();
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        for (const js of SCRIPTS) {
          const page = await open(width, scheme, js);
          await page.goto(saved);
          await expect(page.locator('.pledge-goal__saved').count()).resolves.toBe(4);
          await shoot(page, `saved-${width}-${scheme}-${js ? 'js' : 'nojs'}`);
          await page.context().close();
        }
      }
    }
  });
});
