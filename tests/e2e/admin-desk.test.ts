/**
 * Beheer on a phone: at 320 px no admin page scrolls sideways, not even inside a table (each
 * row becomes a card with its column names, still a table of rows and cells to a screen reader),
 * while a wide screen keeps the real table. The
 * confirm steps work with JavaScript off. Screenshots of every admin page at 320 and 390 px (768
 * and 1280 too with SCREENSHOTS=all), light and dark, JavaScript off, go to
 * artifacts/screenshots/admin-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { createInvite } from '../../src/domain/invites.ts';
import { setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { pathTo } from '../../src/i18n/routes.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_CAMPAIGN_ID } from '../fixtures/board.ts';

/** Every Beheer page and state this package changed, as [name, address]. */
const PAGES: [string, string][] = [
  ['admin', pathTo('admin', 'nl')],
  ['admin-confirm-close', `${pathTo('admin', 'nl')}?bevestig=sluiten`],
  ['admin-parties', pathTo('adminParties', 'nl')],
  ['admin-party-confirm-retire', `${pathTo('adminParty', 'nl', { slug: 'zeewind' })}?bevestig=weghalen`],
  ['admin-invitations', pathTo('adminInvitations', 'nl')],
  ['admin-accounts', pathTo('adminAccounts', 'nl')],
  ['admin-audit', pathTo('adminAudit', 'nl')],
  ['admin-audit-en', pathTo('adminAudit', 'en')],
  ['admin-audit-bad-filter', `${pathTo('adminAudit', 'nl')}?actie=verzonnen`],
];

describeInBrowser('Beheer on narrow and wide screens (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let token: string;
  let repId: number;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite', { DEMO: '1' });
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true, name: 'Bas Bakker' });
    const rep = await createAccount(site.db, { email: 'vertegenwoordiger.met.een.lang.adres@zeewind-partij.example', party: 'zeewind', name: 'Rosa Rep' });
    repId = rep.user.id;
    await createInvite(
      site.db,
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'kompas', email: 'nog.niet.geantwoord@kompas-partij.example' },
      { actor: SYSTEM_ACTOR },
    );
    await setPledgingOverride(site.db, TEST_CAMPAIGN_ID, 'open', {
      ...SYSTEM_ACTOR,
      userId: admin.user.id,
      label: admin.email,
      name: 'Bas Bakker',
      role: 'admin',
    });
    await site.app.boardVersion.refresh();
    token = (await createSession(site.db, admin.user.id, { twoFactorVerified: true })).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function contextFor(width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme, javaScriptEnabled: false });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: site.url }]);
    return context;
  }

  it('no Beheer page scrolls sideways at 320 px, and no table needs to', async () => {
    const context = await contextFor(320);
    const page = await context.newPage();
    const more: [string, string][] = [
      ['admin-accounts-confirm', `${pathTo('adminAccounts', 'nl')}?uitschakelen=${repId}`],
      ['admin-party', pathTo('adminParty', 'nl', { slug: 'zeewind' })],
      ['admin-accounts-en', pathTo('adminAccounts', 'en')],
    ];
    for (const [name, address] of [...PAGES, ...more]) {
      const response = await page.goto(new URL(address, site.url).href);
      expect(response?.status(), name).toBe(name === 'admin-audit-bad-filter' ? 400 : 200);
      const sizes = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        width: window.innerWidth,
        regions: [...document.querySelectorAll('.table-region')].map((r) => r.scrollWidth - r.clientWidth),
      }));
      expect(sizes.page, name).toBeLessThanOrEqual(sizes.width);
      for (const overflow of sizes.regions) expect(overflow, `${name}: a table scrolls sideways`).toBeLessThanOrEqual(0);
    }
    // Each row a card, each cell named by its column.
    await page.goto(new URL(pathTo('adminAccounts', 'nl'), site.url).href);
    const cell = page.locator('td[data-label="E-mailadres"]', { hasText: 'vertegenwoordiger.met.een.lang.adres' });
    expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"E-mailadres: "');
    expect(await cell.evaluate((td) => getComputedStyle(td).display)).toBe('block');
    // The cards are still a table to a screen reader: a table shown as blocks loses its
    // semantics in some browsers (Safari; Chrome before 80) unless the markup says each role.
    const tree = await page.locator('.admin-table').first().ariaSnapshot();
    expect(tree).toMatch(/^- table/);
    expect(tree).toContain('- columnheader "E-mailadres"');
    const card = page.getByRole('row', { name: /vertegenwoordiger\.met\.een\.lang\.adres/ });
    expect(await card.count()).toBe(1);
    expect(await card.getByRole('cell').count()).toBe(6);
    expect(await card.getByRole('cell', { name: 'E-mailadres: vertegenwoordiger.met.een.lang.adres@zeewind-partij.example', exact: true }).count()).toBe(1);
    await context.close();
  });

  it('a wide screen keeps the real table', async () => {
    const context = await contextFor(1280);
    const page = await context.newPage();
    await page.goto(new URL(pathTo('adminAccounts', 'nl'), site.url).href);
    expect(
      await page
        .locator('.admin-table')
        .first()
        .evaluate((t) => getComputedStyle(t).display),
    ).toBe('table');
    expect(await page.getByRole('columnheader', { name: 'E-mailadres' }).first().isVisible()).toBe(true);
    await context.close();
  });

  it('closes pledging through the confirm step with JavaScript off', async () => {
    const context = await contextFor(390);
    const page = await context.newPage();
    await page.goto(new URL(pathTo('admin', 'nl'), site.url).href);
    await page.getByRole('button', { name: 'Toezeggen sluiten' }).click();
    await page.getByRole('heading', { name: 'Weet je het zeker?' }).waitFor();
    expect(page.url()).toContain('bevestig=sluiten');
    await page.getByRole('link', { name: 'Annuleren' }).click();
    await page.getByRole('button', { name: 'Toezeggen sluiten' }).click();
    await page.getByRole('button', { name: 'Ja, sluit het toezeggen' }).click();
    await page.getByText('Toezeggen is gesloten (gesloten door een beheerder).').waitFor();
    expect(await page.getByRole('button', { name: 'Toezeggen heropenen' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Toezeggen heropenen' }).click();
    await page.getByText('Toezeggen is open (heropend door een beheerder).').waitFor();
    await context.close();
  });

  it('takes the screenshots: 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark, JavaScript off', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of SCREENSHOT_WIDTHS) {
        const context = await contextFor(width, colorScheme);
        const page = await context.newPage();
        const shots: [string, string][] = [...PAGES, ['admin-accounts-confirm', `${pathTo('adminAccounts', 'nl')}?uitschakelen=${repId}`]];
        for (const [name, address] of shots) {
          await page.goto(new URL(address, site.url).href);
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}-${colorScheme}.png`), fullPage: true });
        }
        await context.close();
      }
    }
  });
});
