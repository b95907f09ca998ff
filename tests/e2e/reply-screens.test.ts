/**
 * Screenshots of the parties' replies after review (artifacts/screenshots/reply-*), for people
 * to look at: Beheer's list of a party's replies with the hide/show forms (and after a refused
 * moderation), and the party page where a hidden reply shows the campaign's reason beside the
 * check and in the history; at 320 and 390 px (768 and 1280 too with SCREENSHOTS=all), light
 * and dark, and once without JavaScript. No screen scrolls sideways.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readGoals } from '../../src/content-files.ts';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { campaignParties, parties } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { recordCheck } from '../../src/domain/checks.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { addReply, moderateReply } from '../../src/domain/replies.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { createAccount } from '../helpers/accounts.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_ACTOR, TEST_CAMPAIGN_ID, TEST_PARTIES, addTestParties } from '../fixtures/board.ts';

const SCHEMES = ['light', 'dark'] as const;
const goals = await readGoals('nl');
const REASON = 'Bevat het privételefoonnummer van een medewerker.';
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

describeInBrowser('replies and their moderation, on every screen (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let adminToken = '';

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    const ids = await addTestParties(site.db, TEST_PARTIES);
    await savePledge(site.db, {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: goals[0]!.slug,
      goalSlugs: goals.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'partial', statement: 'Wij nemen deze doelstelling gedeeltelijk over in ons verkiezingsprogramma.' },
      actor: TEST_ACTOR,
    });
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Bert Bakker', totp: true });
    const rep = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' });
    const adminActor: Actor = { userId: admin.user.id, name: 'Bert Bakker', role: 'admin', partyId: null, label: admin.email };
    const repActor: Actor = { userId: rep.user.id, name: 'Vera Vertegenwoordiger', role: 'rep', partyId: ids.get('testpartij-a')!, label: rep.email };
    const disputed = await recordCheck(
      site.db,
      TEST_CAMPAIGN_ID,
      {
        partySlug: 'testpartij-a',
        goalSlug: goals[0]!.slug,
        verdict: 'disputed',
        reason: 'Het programma noemt dit doel niet; op pagina 8 staat alleen een algemene zin.',
      },
      { actor: adminActor },
    );
    if (disputed.status !== 'done') throw new Error('no check');
    const reply = (text: string) => addReply(site.db, TEST_CAMPAIGN_ID, { subject: 'check', subjectId: disputed.checkId, text }, { actor: repActor });
    expect((await reply('Zie pagina 9, tweede alinea: daar staat het plan uitgewerkt.')).status).toBe('done');
    const second = await reply('Vragen? Bel onze medewerker Jan op 06-12345678.');
    if (second.status !== 'done') throw new Error('no reply');
    expect((await moderateReply(site.db, TEST_CAMPAIGN_ID, { replyId: second.id, hide: true, reason: REASON }, { actor: adminActor })).status).toBe('done');
    await site.app.boardVersion.refresh();
    adminToken = (await createSession(site.db, admin.user.id, { twoFactorVerified: true })).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(width: number, colorScheme: 'light' | 'dark', asAdmin: boolean, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, javaScriptEnabled });
    if (asAdmin) await context.addCookies([{ name: SESSION_COOKIE, value: adminToken, url: site.url }]);
    return context.newPage();
  }

  async function shoot(page: Page, name: string, selector?: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    const file = path.join(SCREENSHOT_DIR, `reply-${name}.png`);
    if (selector) await page.locator(selector).first().screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
  }

  it('Beheer: the party’s replies with their forms, and a refused moderation', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const page = await open(width, scheme, true);
        await page.goto(new URL('/beheer/partijen/testpartij-a', site.url).href);
        await shoot(page, `admin-${width}-${scheme}`, '.reply-moderation');
        // The shown reply's form, sent without a reason.
        const form = page.locator('.reply-moderation article').last().locator('form');
        await Promise.all([page.waitForURL(/_action=moderateReply/), form.locator('button[type=submit]').click()]);
        await shoot(page, `admin-refused-${width}-${scheme}`, '.reply-moderation');
        await page.context().close();
      }
    }
    const page = await open(390, 'light', true, false);
    await page.goto(new URL('/beheer/partijen/testpartij-a', site.url).href);
    await shoot(page, 'admin-390-light-nojs', '.reply-moderation');
    await page.context().close();
  });

  it('the party page: the hidden reply’s reason beside the check and in the history', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const voter = await open(width, scheme, false);
        await voter.goto(new URL('/partijen/testpartij-a', site.url).href);
        expect(await voter.locator('body').innerText()).not.toContain('06-12345678');
        await shoot(voter, `party-${width}-${scheme}`);
        await shoot(voter, `party-history-${width}-${scheme}`, '.history');
        await voter.context().close();
      }
    }
    const voter = await open(390, 'dark', false, false);
    await voter.goto(new URL('/partijen/testpartij-a', site.url).href);
    await shoot(voter, 'party-390-dark-nojs');
    await voter.context().close();
  });

  it('has no axe-core violations (WCAG 2.2 A/AA): Beheer’s replies, refused, and the party page, light and dark', async () => {
    for (const scheme of SCHEMES) {
      // bypassCSP only so that axe itself can be injected; the site's own pages load no script.
      const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme, viewport: { width: 390, height: 900 } });
      await context.addInitScript({ path: AXE_SOURCE });
      await context.addCookies([{ name: SESSION_COOKIE, value: adminToken, url: site.url }]);
      const page = await context.newPage();
      const violations = () =>
        page.evaluate(async (tags) => {
          const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: { id: string }[] }> } }).axe;
          return (await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })).violations.map((v) => v.id);
        }, WCAG_TAGS);
      await page.goto(new URL('/beheer/partijen/testpartij-a', site.url).href);
      expect(await violations(), `admin ${scheme}`).toEqual([]);
      await Promise.all([page.waitForURL(/_action=moderateReply/), page.locator('.reply-moderation article').last().locator('button[type=submit]').click()]);
      expect(await violations(), `admin refused ${scheme}`).toEqual([]);
      await page.goto(new URL('/partijen/testpartij-a', site.url).href);
      expect(await violations(), `party ${scheme}`).toEqual([]);
      await context.close();
    }
  });
});
