/**
 * The mail screens in Chromium: an admin invites three addresses at once (JavaScript on and
 * off) and gets their links to copy; Beheer → Mail lists the outbox, a failed mail first and
 * marked in words. Neither page scrolls sideways at 320 px. Screenshots at 320 and 390 px (768
 * and 1280 too with SCREENSHOTS=all), light and dark, JavaScript on and off, go to
 * artifacts/screenshots/mail-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { outbox } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { createInvites } from '../../src/domain/invites.ts';
import { mailContextFor, pathTo } from '../../src/i18n/routes.ts';
import { createAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_CAMPAIGN_ID } from '../fixtures/board.ts';

describeInBrowser('the mail screens (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite', { DEMO: '1' });
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true, name: 'Bas Bakker' });
    token = (await createSession(site.db, admin.user.id, { twoFactorVerified: true })).token;
    // An outbox with each state: held (no SMTP here), one sent, one failed with a long error.
    const mail = mailContextFor({ nl: 'Houd kinderen veilig – óók online', en: 'Keep children safe – online too' }, site.url, false);
    const emails = [
      'vertegenwoordiger.met.een.heel.lang.adres@kompas-partij.example',
      'rep@zeewind.example',
      'bestaat-niet@lindeboom.example',
      'al-binnen@kompas-partij.example',
    ];
    await createInvites(
      site.db,
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'kompas', emails: emails.map((text, i) => ({ line: i + 1, text })), locale: 'nl' },
      { actor: SYSTEM_ACTOR, mail },
    );
    await site.db.update(outbox).set({ status: 'sent', sentAt: new Date(), attempts: 1 }).where(eq(outbox.toAddress, 'rep@zeewind.example'));
    await site.db
      .update(outbox)
      .set({
        status: 'failed',
        attempts: 8,
        lastError: 'EENVELOPE: 550 5.1.1 <bestaat-niet@lindeboom.example>: Recipient address rejected: User unknown in virtual mailbox table',
      })
      .where(eq(outbox.toAddress, 'bestaat-niet@lindeboom.example'));
    // And one no longer wanted when its turn came: cancelled, with why.
    await site.db.update(outbox).set({ status: 'cancelled', lastError: 'link-used' }).where(eq(outbox.toAddress, 'al-binnen@kompas-partij.example'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function contextFor(width: number, colorScheme: 'light' | 'dark', javaScriptEnabled: boolean): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme, javaScriptEnabled });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: site.url }]);
    if (javaScriptEnabled) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
    return context;
  }

  async function noSidewaysScroll(page: Page, name: string): Promise<void> {
    const sizes = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      width: window.innerWidth,
      regions: [...document.querySelectorAll('.table-region')].map((r) => r.scrollWidth - r.clientWidth),
    }));
    expect(sizes.page, name).toBeLessThanOrEqual(sizes.width);
    for (const overflow of sizes.regions) expect(overflow, `${name}: a table scrolls sideways`).toBeLessThanOrEqual(0);
  }

  async function inviteThree(page: Page, run: string): Promise<void> {
    await page.goto(new URL(pathTo('adminInvitations', 'nl'), site.url).href);
    await page.getByLabel('Partij', { exact: true }).selectOption('zeewind');
    await page.getByLabel('E-mailadressen van de vertegenwoordigers').fill(['een', 'twee', 'drie'].map((n) => `${n}.${run}@zeewind.example`).join('\n'));
    await page.getByRole('button', { name: 'Uitnodiging maken' }).click();
    await page.getByText('Uitnodigingen gemaakt voor 3 adres(sen).').waitFor();
  }

  it('invites three at once; the links can be copied (JavaScript on) or selected (off)', async () => {
    for (const js of [true, false]) {
      const context = await contextFor(390, 'light', js);
      const page = await context.newPage();
      await inviteThree(page, js ? 'js' : 'nojs');
      const links = page.locator('input[data-invite-link]');
      expect(await links.count()).toBe(3);
      const copy = page.getByRole('button', { name: /Kopieer link/ });
      if (js) {
        expect(await copy.first().isVisible()).toBe(true);
        await copy.first().click();
        await page.getByText('Gekopieerd.').first().waitFor();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await links.first().inputValue());
      } else {
        // Without JavaScript there is nothing to click: the button stays hidden, the field is selectable.
        expect(await copy.first().isVisible()).toBe(false);
        expect(await links.first().inputValue()).toMatch(/\/uitnodiging\/[a-z2-7]{32}$/);
      }
      await context.close();
    }
  });

  it('Beheer → Mail: the failed mail first, in words; nothing scrolls sideways at 320 px', async () => {
    const context = await contextFor(320, 'light', false);
    const page = await context.newPage();
    await page.goto(new URL(pathTo('adminMail', 'nl'), site.url).href);
    const first = page.locator('tr[data-mail-status]').first();
    expect(await first.getAttribute('data-mail-status')).toBe('failed');
    expect(await first.getByRole('cell').first().innerText()).toContain('Mislukt');
    const cancelled = page.locator('tr[data-mail-status="cancelled"]');
    expect(await cancelled.innerText()).toMatch(/Geannuleerd \(niet meer nodig\)[\s\S]*Niet verstuurd: de link is al gebruikt\./);
    await noSidewaysScroll(page, 'mail');
    await inviteThree(page, 'smal');
    await noSidewaysScroll(page, 'invitations after inviting');
    await context.close();
  });

  it('takes the screenshots: 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark, JavaScript on and off', async () => {
    let run = 0;
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of SCREENSHOT_WIDTHS) {
        for (const js of [true, false]) {
          const context = await contextFor(width, colorScheme, js);
          const page = await context.newPage();
          const suffix = `${width}-${colorScheme}${js ? '' : '-nojs'}`;
          await page.goto(new URL(pathTo('adminMail', 'nl'), site.url).href);
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `mail-outbox-${suffix}.png`), fullPage: true });
          await inviteThree(page, `shot${run++}`);
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `mail-invited-${suffix}.png`), fullPage: true });
          await noSidewaysScroll(page, `invitations ${suffix}`);
          await context.close();
        }
      }
    }
    // The form with its errors (no party chosen, two bad lines).
    const context = await contextFor(390, 'light', false);
    const page = await context.newPage();
    await page.goto(new URL(pathTo('adminInvitations', 'nl'), site.url).href);
    await page.getByLabel('E-mailadressen van de vertegenwoordigers').fill('goed@zeewind.example\ngeen adres\nook geen');
    await page.getByRole('button', { name: 'Uitnodiging maken' }).click();
    await page.locator('.form-message--error').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mail-invite-errors-390-light-nojs.png'), fullPage: true });
    await context.close();
  });
});
