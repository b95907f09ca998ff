/**
 * Screenshots of the follow-up after the election (artifacts/screenshots/follow-up-*): the
 * public follow-up view (with a party's reply to its rating), a linked item's page, Beheer →
 * Follow-up with a fraction to map, its import form filled for a linked item (after a Zaak that
 * could not be read, in English too), the confirm step to unlink an item (after a missing reason),
 * and Mijn partij's replies to ratings (after a refused reply);
 * 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark, without JavaScript
 * (and the view once with it). Nothing may scroll sideways. Fictional parties only.
 */
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { recordCheck } from '../../src/domain/checks.ts';
import { addTestParties } from '../fixtures/board.ts';
import { addFollowUpCampaign, addFollowUpRatings, APPS as apps, FOLLOW_UP_ADMIN as ADMIN, rateTestFollowUp, SCHOOL as school } from '../fixtures/follow-up.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const SCHEMES = ['light', 'dark'] as const;
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SLUG = 'opvolging-2030';

describeInBrowser('the follow-up on every screen (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let adminToken: string;
  let repToken: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    const { db } = site;
    const { campaignId, ids } = await addFollowUpCampaign(db, {
      slug: SLUG,
      name: 'Kinderen veilig online (test)',
      beforeFollowUp: async (id) => {
        // The campaign's checks, shown as a mark beside the pledged stance (no internet here: the fetches are refused).
        await recordCheck(
          db,
          id,
          { partySlug: 'kustpartij', goalSlug: apps, verdict: 'verified', quote: 'Wij maken apps veilig.', page: 1, checkedUrl: 'https://example.org/p.pdf' },
          { actor: ADMIN },
        );
        await recordCheck(
          db,
          id,
          { partySlug: 'vrije-burgers', goalSlug: apps, verdict: 'disputed', reason: 'Het programma zegt het omgekeerde.' },
          { actor: ADMIN },
        );
      },
    });
    await rateTestFollowUp(db, campaignId, 'kustpartij', apps, 'in-progress', 'Het kabinet werkt aan een wetsvoorstel.');
    await addFollowUpRatings(db, campaignId, ids);
    const admin = await createAccount(db, { email: 'beheer@campagne.example', name: 'Anna de Vries', totp: true });
    adminToken = (await createSession(db, admin.user.id, { twoFactorVerified: true })).token;
    // Test accounts are invited through the current campaign: the party is in it too.
    await addTestParties(db, [{ slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null }]);
    const rep = await createAccount(db, { email: 'rep@kustpartij.example', party: 'kustpartij', name: 'Kees Kust' });
    repToken = (await createSession(db, rep.user.id)).token;
    await site.app.boardVersion.refresh();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(width: number, colorScheme: 'light' | 'dark', javaScriptEnabled = false): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, javaScriptEnabled });
    return context.newPage();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  it('the follow-up view, an item page and Beheer → Follow-up', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const label = `${width}-${scheme}-nojs`;
        const page = await open(width, scheme);
        await page.goto(new URL(`/campagnes/${SLUG}/opvolging`, site.url).href);
        await expect(page.getByText('Gebroken: standpunt veranderd').isVisible()).resolves.toBe(true);
        await expect(page.locator(`[data-goal="${apps}"] [data-party="kustpartij"] [data-check-mark="verified"]`).isVisible()).resolves.toBe(true);
        await expect(page.locator(`[data-goal="${apps}"] [data-party="vrije-burgers"] [data-check-mark="disputed"]`).isVisible()).resolves.toBe(true);
        await shoot(page, `follow-up-view-${label}`);
        await page.goto(new URL(`/en/campaigns/${SLUG}/follow-up/parliament/2031Z01234`, site.url).href);
        await shoot(page, `follow-up-item-${label}`);
        await page.context().addCookies([{ name: SESSION_COOKIE, value: adminToken, url: site.url }]);
        await page.goto(new URL(`/campagnes/${SLUG}/beheer/opvolging?partij=vrije-burgers&doel=${apps}`, site.url).href);
        await shoot(page, `follow-up-admin-${label}`);
        await page.context().close();
        const rep = await open(width, scheme);
        await rep.context().addCookies([{ name: SESSION_COOKIE, value: repToken, url: site.url }]);
        await rep.goto(new URL(`/campagnes/${SLUG}/mijn-partij`, site.url).href);
        await Promise.all([rep.waitForNavigation(), rep.locator('#follow-up-replies ~ article form button[type=submit]').first().click()]);
        await shoot(rep, `follow-up-my-party-${label}`);
        await expect(rep.getByText('Uw reactie (openbaar): Vul dit veld in.').first().isVisible()).resolves.toBe(true);
        await shoot(rep, `follow-up-my-party-${label}`);
        await rep.context().close();
      }
    }
    const page = await open(390, 'light', true);
    await page.goto(new URL(`/campagnes/${SLUG}/opvolging`, site.url).href);
    await shoot(page, 'follow-up-view-390-light-js');
    await page.context().close();
  });

  it('Beheer → Follow-up: importing a linked item again, an import error, unlinking one', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const label = `${width}-${scheme}-nojs`;
        const page = await open(width, scheme);
        await page.context().addCookies([{ name: SESSION_COOKIE, value: adminToken, url: site.url }]);
        await page.goto(new URL(`/campagnes/${SLUG}/beheer/opvolging?kamerstuk=2031Z01234&doel=${school}#kamerstuk`, site.url).href);
        await expect(page.locator('#field-effect').inputValue()).resolves.toBe('undermines');
        await shoot(page, `follow-up-admin-reimport-${label}`);
        await page.goto(new URL(`/en/campaigns/${SLUG}/admin/follow-up`, site.url).href);
        await page.locator('#field-number').fill('2031-1234');
        await Promise.all([page.waitForURL(/_action=importZaak/), page.locator('form[enctype="multipart/form-data"] button[type=submit]').click()]);
        await expect(page.getByText('That is not an item number').first().isVisible()).resolves.toBe(true);
        await shoot(page, `follow-up-admin-import-error-${label}`);
        await page.goto(new URL(`/campagnes/${SLUG}/beheer/opvolging?ontkoppel=2031Z01234&doel=${school}#bevestig`, site.url).href);
        await Promise.all([page.waitForURL(/_action=unlinkItem/), page.locator('[data-confirm-step] button[type=submit]').click()]);
        await expect(page.locator('[data-confirm-step] .field__error').isVisible()).resolves.toBe(true);
        await shoot(page, `follow-up-admin-unlink-${label}`);
        await page.context().close();
      }
    }
  });

  it('Beheer → Follow-up: the new states have no axe-core violations (WCAG 2.2 A/AA), light and dark', async () => {
    for (const colorScheme of SCHEMES) {
      // bypassCSP only so that axe itself can be injected; the site's own pages load no script.
      const context = await browser.newContext({ bypassCSP: true, colorScheme, viewport: { width: 390, height: 900 } });
      await context.addInitScript({ path: AXE_SOURCE });
      await context.addCookies([{ name: SESSION_COOKIE, value: adminToken, url: site.url }]);
      const page = await context.newPage();
      const check = async (name: string) => {
        const { violations } = await page.evaluate(async (tags) => {
          const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: { id: string }[] }> } }).axe;
          return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        }, WCAG_TAGS);
        expect(
          violations.map((v) => v.id),
          `${name} (${colorScheme})`,
        ).toEqual([]);
      };
      await page.goto(new URL(`/campagnes/${SLUG}/beheer/opvolging?kamerstuk=2031Z01234&doel=${school}`, site.url).href);
      await check('import again');
      await page.locator('#field-number').fill('2031-1234');
      await Promise.all([page.waitForURL(/_action=importZaak/), page.locator('form[enctype="multipart/form-data"] button[type=submit]').click()]);
      await check('an import error');
      await page.goto(new URL(`/campagnes/${SLUG}/beheer/opvolging?ontkoppel=2031Z01234&doel=${school}`, site.url).href);
      await Promise.all([page.waitForURL(/_action=unlinkItem/), page.locator('[data-confirm-step] button[type=submit]').click()]);
      await page.locator('[data-confirm-step] .field__error').waitFor();
      await check('the unlink step, a reason missing');
      await context.close();
    }
  });
});
