/**
 * Screenshots of Beheer → Herinneringen (with a schedule, and after refused input) and of the
 * account page's notice choices, for people to look at (artifacts/screenshots/reminders-*,
 * notices-*): 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark, with
 * and without JavaScript. Also checks that nothing scrolls sideways and that a refused form
 * keeps what was typed.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { campaignParties, parties, reminderSchedule } from '../../src/db/schema.ts';
import { TEST_CAMPAIGN_ID, TEST_PARTIES, addTestParties } from '../fixtures/board.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const SCHEMES = ['light', 'dark'] as const;

describeInBrowser('reminders and notices on every screen (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let adminToken: string;
  let repToken: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    await site.db.insert(reminderSchedule).values([14, 7, 2].map((daysBefore) => ({ campaignId: TEST_CAMPAIGN_ID, daysBefore })));
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Anna de Vries', totp: true });
    const rep = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' });
    adminToken = (await createSession(site.db, admin.user.id, { twoFactorVerified: true })).token;
    repToken = (await createSession(site.db, rep.user.id)).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(token: string, width: number, colorScheme: 'light' | 'dark', javaScriptEnabled: boolean): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, javaScriptEnabled });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: site.url }]);
    return context.newPage();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  it('Beheer → Herinneringen, and a refused number of days kept as typed', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        for (const js of [true, false]) {
          const label = `${width}-${scheme}-${js ? 'js' : 'nojs'}`;
          const page = await open(adminToken, width, scheme, js);
          await page.goto(new URL('/beheer/herinneringen', site.url).href);
          await shoot(page, `reminders-${label}`);
          await page.locator('#field-daysBefore').fill('400');
          await Promise.all([page.waitForURL(/_action=addReminder/), page.getByRole('button', { name: 'Herinnering plannen' }).click()]);
          await expect(page.locator('#field-daysBefore').inputValue()).resolves.toBe('400');
          await expect(page.getByText('Vul een heel aantal dagen in, van 1 tot en met 365.').first().isVisible()).resolves.toBe(true);
          await shoot(page, `reminders-error-${label}`);
          await page.context().close();
        }
      }
    }
  });

  it('the account page’s notice choices, and after saving them', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        for (const js of [true, false]) {
          const label = `${width}-${scheme}-${js ? 'js' : 'nojs'}`;
          const page = await open(repToken, width, scheme, js);
          await page.goto(new URL('/account', site.url).href);
          await shoot(page, `notices-${label}`);
          await page.context().close();
        }
      }
    }
    const page = await open(repToken, 390, 'light', false);
    await page.goto(new URL('/en/account', site.url).href);
    await page.getByLabel('When a colleague changes my party’s pledge').check();
    await Promise.all([page.waitForURL(/_action=setMailPreferences/), page.getByRole('button', { name: 'Save preferences' }).click()]);
    await expect(page.getByLabel('When a colleague changes my party’s pledge').isChecked()).resolves.toBe(true);
    await shoot(page, 'notices-saved-390-light-nojs');
    await page.context().close();
  });
});
