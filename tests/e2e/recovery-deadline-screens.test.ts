/**
 * The screens of recovery codes and of the deadline in Beheer, at 320 and 390 px (768 and 1280
 * too with SCREENSHOTS=all), light and dark, JavaScript on and off (artifacts/screenshots/
 * recovery-*, deadline-*): the code step with its recovery form (closed, and after a wrong
 * code), a new set of codes shown once, the account page's count, and the deadline form (set,
 * and refused). None scrolls sideways.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replaceRecoveryCodes } from '../../src/credentials/recovery-codes.ts';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { campaignParties, parties } from '../../src/db/schema.ts';
import { localDateTimeFields } from '../../src/domain/pledging-window.ts';
import { pathTo } from '../../src/i18n/routes.ts';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_PARTIES, addTestParties } from '../fixtures/board.ts';

describeInBrowser('recovery codes and the deadline on every screen (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let admin: TestAccount;
  /** The newest set: each new set is proven with a code of the one before. */
  let codes: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    admin = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true, name: 'Bas Bakker' });
    codes = await replaceRecoveryCodes(site.db, admin.user.id);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function pageFor(width: number, colorScheme: 'light' | 'dark', javaScriptEnabled: boolean, twoFactorVerified: boolean): Promise<Page> {
    // A Dutch browser: the date and time fields show 14-12-2026 and 23:59, as the campaign's admins see them.
    const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme, javaScriptEnabled, locale: 'nl-NL' });
    const { token } = await createSession(site.db, admin.user.id, { twoFactorVerified });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: site.url }]);
    return context.newPage();
  }

  async function shoot(page: Page, name: string, width: number, colorScheme: string, js: boolean): Promise<void> {
    const sizes = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, width: window.innerWidth }));
    expect(sizes.page, `${name} at ${width}`).toBeLessThanOrEqual(sizes.width);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}-${colorScheme}${js ? '' : '-nojs'}.png`), fullPage: true });
  }

  it('takes the screenshots: 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark, JavaScript on and off', async () => {
    const soon = localDateTimeFields(new Date(Date.now() + 12 * 24 * 60 * 60 * 1000)).date;
    for (const js of [true, false]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of SCREENSHOT_WIDTHS) {
          // The code step, with the way in for a lost phone; then a wrong recovery code.
          const halfway = await pageFor(width, colorScheme, js, false);
          await halfway.goto(new URL(pathTo('signInCode', 'nl'), site.url).href);
          await shoot(halfway, 'recovery-signin', width, colorScheme, js);
          await halfway.getByText('Telefoon kwijt? Gebruik een herstelcode').click();
          await halfway.locator('#field-recoveryCode').fill('abcd-efgh-jkmn');
          await Promise.all([halfway.waitForURL(/_action=verifySecondFactor/), halfway.getByRole('button', { name: 'Inloggen met herstelcode' }).click()]);
          await halfway.locator('#field-recoveryCode-error').waitFor();
          await shoot(halfway, 'recovery-signin-wrong', width, colorScheme, js);
          await halfway.context().close();

          const page = await pageFor(width, colorScheme, js, true);
          await page.goto(new URL(pathTo('account', 'nl'), site.url).href);
          await shoot(page, 'recovery-account', width, colorScheme, js);
          await page.goto(new URL(pathTo('recoveryCodes', 'nl'), site.url).href);
          await shoot(page, 'recovery-new', width, colorScheme, js);
          await page.locator('#field-code').fill(codes[0]!);
          await Promise.all([page.waitForURL(/_action=createRecoveryCodes/), page.getByRole('button', { name: 'Nieuwe set maken' }).click()]);
          await page.locator('[data-recovery-codes]').waitFor();
          codes = await page.locator('.recovery-codes__list code').allTextContents();
          expect(codes).toHaveLength(10);
          await shoot(page, 'recovery-shown', width, colorScheme, js);

          await page.goto(new URL(pathTo('totpSetup', 'nl'), site.url).href);
          await shoot(page, 'recovery-replace-key', width, colorScheme, js);

          // The deadline: refused (in the past), then set.
          await page.goto(new URL(pathTo('admin', 'nl'), site.url).href);
          await page.locator('#field-date').fill('2020-01-01');
          await page.locator('#field-time').fill('12:00');
          await Promise.all([page.waitForURL(/_action=setDeadline/), page.getByRole('button', { name: 'Deadline opslaan' }).click()]);
          await page.locator('#field-date-error').waitFor();
          await shoot(page, 'deadline-refused', width, colorScheme, js);
          await page.locator('#field-date').fill(soon);
          await page.locator('#field-time').fill('23:59');
          await Promise.all([page.waitForURL((url) => !url.search.includes('_action')), page.getByRole('button', { name: 'Deadline opslaan' }).click()]);
          // The deadline in force, on the campaign (no "set in Beheer" any more: it is the only place).
          await page.locator('[data-deadline-status] time').waitFor();
          await shoot(page, 'deadline-set', width, colorScheme, js);
          await page.context().close();
        }
      }
    }
  });
});
