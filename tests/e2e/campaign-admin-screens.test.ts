/**
 * Screenshots of Beheer → Campagnes (the list, a confirm step, a new campaign refused, a
 * campaign's texts and goals) and of a party's history across campaigns, for people to look
 * at (artifacts/screenshots/campaigns-*): 320 and 390 px (768 and 1280 too with
 * SCREENSHOTS=all), light and dark, without JavaScript. Also checks that nothing scrolls
 * sideways and that a refused form keeps what was typed.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { addTestParties, TEST_PARTIES } from '../fixtures/board.ts';
import { addTestCampaign } from '../fixtures/campaigns.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const SCHEMES = ['light', 'dark'] as const;

describeInBrowser('campaigns in Beheer on every screen (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let adminToken: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    await addTestParties(site.db, TEST_PARTIES);
    const draft = await addTestCampaign(site.db, { slug: 'gemeenteraad-test-2030', state: 'draft' });
    await addTestParties(site.db, TEST_PARTIES.slice(0, 1), draft);
    const older = await addTestCampaign(site.db, { slug: 'europees-test-2029', state: 'closed', name: 'Testcampagne Europees Parlement' });
    await addTestParties(site.db, TEST_PARTIES.slice(0, 1), older);
    await site.app.boardVersion.refresh();
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Anna de Vries', totp: true });
    adminToken = (await createSession(site.db, admin.user.id, { twoFactorVerified: true })).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(width: number, colorScheme: 'light' | 'dark', token: string | null): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, javaScriptEnabled: false });
    if (token) await context.addCookies([{ name: SESSION_COOKIE, value: token, url: site.url }]);
    return context.newPage();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  it('the list, a confirm step, a refused new campaign, a campaign’s texts and goals, a party’s history', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const label = `${width}-${scheme}-nojs`;
        const page = await open(width, scheme, adminToken);
        await page.goto(new URL('/beheer/campagnes', site.url).href);
        await shoot(page, `campaigns-list-${label}`);
        await page.goto(new URL('/en/admin/campaigns?bevestig=publish&campagne=gemeenteraad-test-2030', site.url).href);
        await expect(page.getByRole('button', { name: 'Publish' }).isVisible()).resolves.toBe(true);
        await shoot(page, `campaigns-confirm-${label}`);
        await page.goto(new URL('/beheer/campagnes/nieuw', site.url).href);
        await page.locator('#field-slug').fill('Nieuw');
        await page.locator('#field-organiserWebsite').fill('http://example.org');
        await Promise.all([page.waitForURL(/_action=createCampaign/), page.getByRole('button', { name: 'Concept aanmaken' }).click()]);
        await expect(page.locator('#field-slug').inputValue()).resolves.toBe('Nieuw');
        await expect(page.locator('#field-organiserWebsite-error').isVisible()).resolves.toBe(true);
        await shoot(page, `campaigns-new-error-${label}`);
        await page.goto(new URL('/campagnes/gemeenteraad-test-2030/beheer/campagne', site.url).href);
        await page.locator('details.goal-edit summary').first().click();
        await shoot(page, `campaigns-edit-${label}`);
        await page.context().close();
        const reader = await open(width, scheme, null);
        await reader.goto(new URL('/partijen/testpartij-a', site.url).href);
        await expect(reader.getByRole('heading', { name: 'In andere campagnes' }).isVisible()).resolves.toBe(true);
        await shoot(reader, `campaigns-party-history-${label}`);
        await reader.context().close();
      }
    }
  });
});
