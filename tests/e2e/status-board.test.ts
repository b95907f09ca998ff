/**
 * The campaign desk in Chromium (issue 13): an admin invites three parties in Beheer and sees
 * them on the status board (asked today, by them; waiting for sign-up), sorts it by a header
 * link, and the public pages say the parties were asked. No status board page scrolls sideways
 * at 320 px. Screenshots of the board, a party's page and the scoreboard at 320 and 390 px (768
 * and 1280 too with SCREENSHOTS=all), light and dark, JavaScript off, go to
 * artifacts/screenshots/status-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { pathTo } from '../../src/i18n/routes.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const INVITED: [slug: string, name: string, address: string][] = [
  ['kompas', 'Kompas', 'lijsttrekker@kompas-partij.example'],
  ['brugpartij', 'Brugpartij', 'secretaris@brugpartij.example'],
  ['morgenrood', 'Morgenrood', 'woordvoerder@morgenrood.example'],
];

describeInBrowser('the status board (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite', { DEMO: '1' });
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true, name: 'Bas Bakker' });
    token = (await createSession(site.db, admin.user.id, { twoFactorVerified: true })).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function contextFor(width: number, { colorScheme = 'light', javaScript = false, signedIn = true } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: colorScheme as 'light' | 'dark', javaScriptEnabled: javaScript });
    if (signedIn) await context.addCookies([{ name: SESSION_COOKIE, value: token, url: site.url }]);
    return context;
  }

  it('an admin invites three parties and sees them on the status board', async () => {
    const context = await contextFor(1280, { javaScript: true });
    const page = await context.newPage();
    for (const [, name, address] of INVITED) {
      await page.goto(new URL(pathTo('adminInvitations', 'nl'), site.url).href);
      await page.getByLabel('Partij').selectOption({ label: name });
      await page.getByLabel('E-mailadressen van de vertegenwoordigers').fill(address);
      await page.getByRole('button', { name: 'Uitnodiging maken' }).click();
      await page.getByText('Uitnodigingen gemaakt voor 1 adres(sen).').waitFor();
    }
    await page.goto(new URL(pathTo('admin', 'nl'), site.url).href);
    const board = page.getByRole('region', { name: 'Stand per partij' });
    for (const [slug, name] of INVITED) {
      const row = board.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
      expect(await row.count(), name).toBe(1);
      expect(await row.getByRole('cell').nth(1).innerText(), name).toMatch(/^\d{1,2} \w+ \d{4} door Bas Bakker$/);
      expect(await row.getByRole('cell').nth(3).innerText(), name).toBe('0 (1 uitnodiging open)');
      expect(await row.getByRole('cell').last().innerText(), name).toContain('Wacht op aanmelding');
      expect(await page.locator(`tr[data-party="${slug}"]`).getAttribute('data-next')).toBe('await');
    }
    // Sorted by the "Gevraagd" header: the asked parties first, the order said by aria-sort.
    await board.getByRole('link', { name: 'Gevraagd' }).click();
    expect(await page.getByRole('columnheader', { name: 'Gevraagd' }).getAttribute('aria-sort')).toBe('ascending');
    const order = await page.locator('tr[data-party]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-party')));
    expect(order.slice(0, 3).sort()).toEqual(INVITED.map(([slug]) => slug).sort());
    // The public page says it too (invitations kept, no SMTP here: they count as gone out).
    const visitor = await contextFor(390, { signedIn: false });
    const publicPage = await visitor.newPage();
    await publicPage.goto(new URL(pathTo('party', 'nl', { slug: 'kompas' }), site.url).href);
    expect(await publicPage.locator('[data-outreach]').innerText()).toMatch(/Gevraagd op \d{1,2} \w+ \d{4}; /);
    expect(await publicPage.content()).not.toContain('kompas-partij.example');
    await visitor.close();
    await context.close();
  });

  const SHOTS: [string, string, boolean][] = [
    ['status-board', pathTo('admin', 'nl'), true],
    ['status-board-en-sorted', `${pathTo('admin', 'en')}?sorteer=partij&richting=af`, true],
    ['status-board-bad-sort', `${pathTo('admin', 'nl')}?sorteer=verzonnen`, true],
    ['status-party', pathTo('party', 'nl', { slug: 'kompas' }), false],
    ['status-statement', pathTo('statement', 'nl', { slug: 'morgenrood', goal: 'digitale-weerbaarheid' }), false],
    ['status-scoreboard', pathTo('scoreboard', 'nl'), false],
    ['status-scoreboard-en', pathTo('scoreboard', 'en'), false],
  ];

  it('no page of it scrolls sideways at 320 px; screenshots at 320 and 390 (768 and 1280 with SCREENSHOTS=all), light and dark, JavaScript off', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of SCREENSHOT_WIDTHS) {
        const context = await contextFor(width, { colorScheme });
        const page = await context.newPage();
        for (const [name, address, admin] of SHOTS) {
          if (!admin) await context.clearCookies();
          const response = await page.goto(new URL(address, site.url).href);
          expect(response?.status(), name).toBe(name.endsWith('bad-sort') ? 400 : 200);
          const sizes = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, width: window.innerWidth }));
          expect(sizes.page, `${name} at ${width}`).toBeLessThanOrEqual(sizes.width);
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}-${colorScheme}.png`), fullPage: true });
        }
        await context.close();
      }
    }
  });
});
