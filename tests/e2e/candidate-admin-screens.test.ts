/**
 * Screenshots of Beheer → Kandidaten (artifacts/screenshots/candidates-admin-*): a refused
 * file with its line and field, the summary after an import, and a party's list after marking
 * a candidate elected; 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark,
 * without JavaScript. Nothing may scroll sideways. Fictional parties and candidates only.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { addTestParties } from '../fixtures/board.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const SCHEMES = ['light', 'dark'] as const;
const KIESRAAD = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'kiesraad');

describeInBrowser('candidates in Beheer on every screen (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let adminToken: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    await addTestParties(site.db, [
      { slug: 'proef', name: 'Partij voor de Proef', abbreviation: 'PvdP', seats: 3, website: 'https://example.org/proef' },
      { slug: 'samen-verzonnen', name: 'Samen; Verzonnen', abbreviation: 'SV', seats: 1, website: 'https://example.org/sv' },
    ]);
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Anna de Vries', totp: true });
    adminToken = (await createSession(site.db, admin.user.id, { twoFactorVerified: true })).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, javaScriptEnabled: false });
    await context.addCookies([{ name: SESSION_COOKIE, value: adminToken, url: site.url }]);
    return context.newPage();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  async function upload(page: Page, file: string, button: string): Promise<void> {
    await page.locator('#field-file').setInputFiles(path.join(KIESRAAD, file));
    await Promise.all([page.waitForURL(/_action=importCandidateFile/), page.getByRole('button', { name: button }).click()]);
  }

  it('a refused file, an import’s summary, a party’s list with one elected', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const label = `${width}-${scheme}-nojs`;
        const page = await open(width, scheme);
        await page.goto(new URL('/beheer/kandidaten', site.url).href);
        await upload(page, 'bad-position.csv', 'Importeren');
        await expect(page.getByText('Regel 6, veld Nr.').isVisible()).resolves.toBe(true);
        await shoot(page, `candidates-admin-refused-${label}`);
        await page.goto(new URL('/en/admin/candidates', site.url).href);
        await upload(page, 'two-districts.csv', 'Import');
        await expect(page.getByText(/^Imported: /).isVisible()).resolves.toBe(true);
        await shoot(page, `candidates-admin-imported-${label}`);
        await page.goto(new URL('/beheer/kandidaten?partij=proef', site.url).href);
        const button = page.locator('tr', { hasText: 'Jet Ontwerp' }).getByRole('button');
        if ((await button.textContent())?.startsWith('Markeer')) await Promise.all([page.waitForURL(/#kandidaat-/), button.click()]);
        await expect(button.textContent()).resolves.toMatch(/^Niet gekozen/);
        await shoot(page, `candidates-admin-list-${label}`);
        await page.context().close();
      }
    }
  });
});
