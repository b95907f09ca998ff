/**
 * Screenshots of the campaign's checks (artifacts/screenshots/check-*), for people to look at:
 * Beheer's check form (empty, and after a refused check), the representative's reply on Mijn
 * partij, a party page with a verified and a disputed pledge and the party's reply, and the
 * scoreboard table's marks; at 320
 * and 390 px (768 and 1280 too with SCREENSHOTS=all), light and dark, and once without
 * JavaScript. No screen scrolls sideways.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readGoals } from '../../src/content-files.ts';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { campaignParties, parties } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { recordCheck } from '../../src/domain/checks.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { addReply } from '../../src/domain/replies.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { createAccount } from '../helpers/accounts.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_ACTOR, TEST_CAMPAIGN_ID, TEST_PARTIES, addTestParties } from '../fixtures/board.ts';

const SCHEMES = ['light', 'dark'] as const;
const goals = await readGoals('nl');

describeInBrowser('the campaign checks pledges, on every screen (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  const tokens = { admin: '', rep: '' };

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    // A fourth party: the compare matrix's four columns at 320 px, with the marks in them.
    const ids = await addTestParties(site.db, [
      ...TEST_PARTIES,
      { slug: 'samen-verzonnen-langere-naam', name: 'Samen Verzonnen voor een Langere Partijnaam', abbreviation: 'SVLP', seats: 2, website: null },
    ]);
    for (const [i, evidenceUrl] of [
      'https://partij-a.example/programma-2025-definitief-versie-3.pdf',
      'https://partij-a.example/programma.pdf',
      '',
    ].entries()) {
      await savePledge(site.db, {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-a',
        goalSlug: goals[i]!.slug,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: 0,
        input: { stance: i === 2 ? 'partial' : 'committed', statement: 'Wij nemen deze doelstelling over in ons verkiezingsprogramma.', evidenceUrl },
        actor: TEST_ACTOR,
      });
    }
    const admin = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Bert Bakker', totp: true });
    const rep = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' });
    const adminActor: Actor = { userId: admin.user.id, name: 'Bert Bakker', role: 'admin', partyId: null, label: admin.email };
    const repActor: Actor = { userId: rep.user.id, name: 'Vera Vertegenwoordiger', role: 'rep', partyId: ids.get('testpartij-a')!, label: rep.email };
    // No internet in the tests: both fetches are refused (dns-failed) and kept as such.
    const verified = await recordCheck(
      site.db,
      TEST_CAMPAIGN_ID,
      {
        partySlug: 'testpartij-a',
        goalSlug: goals[0]!.slug,
        verdict: 'verified',
        quote: 'Wij verplichten hostingbedrijven om meldingen binnen 24 uur af te handelen.',
        page: 12,
        checkedUrl: 'https://partij-a.example/programma-2025-definitief-versie-3.pdf',
      },
      { actor: adminActor },
    );
    const disputed = await recordCheck(
      site.db,
      TEST_CAMPAIGN_ID,
      {
        partySlug: 'testpartij-a',
        goalSlug: goals[1]!.slug,
        verdict: 'disputed',
        reason: 'Het programma noemt dit doel niet; op pagina 8 staat alleen een algemene zin over veiligheid.',
      },
      { actor: adminActor },
    );
    expect(verified.status).toBe('done');
    // "Gedeeltelijk", the longest stance word, with a mark: the narrowest matrix cell there is.
    const partial = await recordCheck(
      site.db,
      TEST_CAMPAIGN_ID,
      {
        partySlug: 'testpartij-a',
        goalSlug: goals[2]!.slug,
        verdict: 'verified',
        quote: 'Wij doen een deel.',
        page: 3,
        checkedUrl: 'https://partij-a.example/programma.pdf',
      },
      { actor: adminActor },
    );
    expect(partial.status).toBe('done');
    if (disputed.status !== 'done') throw new Error('no check');
    await addReply(
      site.db,
      TEST_CAMPAIGN_ID,
      { subject: 'check', subjectId: disputed.checkId, text: 'Zie pagina 9, tweede alinea: daar staat het plan uitgewerkt.' },
      { actor: repActor },
    );
    await site.app.boardVersion.refresh();
    tokens.admin = (await createSession(site.db, admin.user.id, { twoFactorVerified: true })).token;
    tokens.rep = (await createSession(site.db, rep.user.id)).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(width: number, colorScheme: 'light' | 'dark', who: 'admin' | 'rep' | null, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, javaScriptEnabled });
    if (who) await context.addCookies([{ name: SESSION_COOKIE, value: tokens[who], url: site.url }]);
    return context.newPage();
  }

  async function shoot(page: Page, name: string, selector?: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    const file = path.join(SCREENSHOT_DIR, `check-${name}.png`);
    if (selector) await page.locator(selector).first().screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
  }

  it('Beheer: the check form, empty and after a refused check', async () => {
    const goal = goals[2]!.slug;
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const page = await open(width, scheme, 'admin');
        await page.goto(new URL('/beheer/partijen/testpartij-a', site.url).href);
        await shoot(page, `form-verified-${width}-${scheme}`, `#check-${goals[0]!.slug}-section`);
        await shoot(page, `form-${width}-${scheme}`, `#check-${goal}-section`);
        await page.locator(`#check-${goal}-verdict`).check();
        await page.locator(`#check-${goal}-page`).fill('twaalf');
        await Promise.all([page.waitForURL(/_action=checkPledge/), page.locator(`#check-${goal}-section button[type=submit]`).last().click()]);
        await shoot(page, `refused-${width}-${scheme}`, `#check-${goal}-section`);
        await page.context().close();
      }
    }
    const page = await open(390, 'light', 'admin', false);
    await page.goto(new URL('/beheer/partijen/testpartij-a', site.url).href);
    await shoot(page, 'form-390-light-nojs', `#check-${goals[0]!.slug}-section`);
    await page.context().close();
  });

  it('Beheer: "check your answer" before a dispute is published, with and without JavaScript', async () => {
    const goal = goals[2]!.slug;
    const reason = 'Het programma noemt dit doel nergens; pagina 12 gaat over iets anders.';
    for (const [width, scheme, javaScript] of [
      ...SCREENSHOT_WIDTHS.flatMap((w) => SCHEMES.map((s) => [w, s, true] as const)),
      ...SCREENSHOT_WIDTHS.flatMap((w) => SCHEMES.map((s) => [w, s, false] as const)),
    ]) {
      const page = await open(width, scheme, 'admin', javaScript);
      await page.goto(new URL('/beheer/partijen/testpartij-a', site.url).href);
      await page.locator(`#check-${goal}-verdict-disputed`).check();
      await page.locator(`#check-${goal}-reason`).fill(reason);
      await Promise.all([page.waitForURL(/_action=checkPledge/), page.locator(`#check-${goal}-section button[type=submit]`).last().click()]);
      await expect(page.locator('h1').innerText()).resolves.toBe('Controleer je antwoord');
      await shoot(page, `confirm-${width}-${scheme}${javaScript ? '' : '-nojs'}`);
      await page.context().close();
    }
  });

  it('Mijn partij: the checks with the reply form; the party page with a verified and a disputed pledge', async () => {
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        const rep = await open(width, scheme, 'rep');
        await rep.goto(new URL('/mijn-partij', site.url).href);
        await shoot(rep, `reply-${width}-${scheme}`, '.check-replies');
        await rep.context().close();
        const voter = await open(width, scheme, null);
        await voter.goto(new URL('/partijen/testpartij-a', site.url).href);
        await shoot(voter, `party-${width}-${scheme}`);
        await shoot(voter, `party-pledges-${width}-${scheme}`, '.pledge-list');
        await voter.goto(new URL('/', site.url).href);
        await shoot(voter, `board-${width}-${scheme}`, 'table');
        await voter.context().close();
      }
    }
    const voter = await open(390, 'dark', null, false);
    await voter.goto(new URL('/partijen/testpartij-a', site.url).href);
    await shoot(voter, 'party-390-dark-nojs');
    await voter.context().close();
  });

  it('the compare matrix and the party glance list: the marks stay inside their cells, on a phone too', async () => {
    const compare = '/vergelijk?partijen=testpartij-a,testpartij-b,testpartij-c,samen-verzonnen-langere-naam';
    for (const width of SCREENSHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        for (const javaScript of [true, false]) {
          const label = `${width}-${scheme}${javaScript ? '' : '-nojs'}`;
          const page = await open(width, scheme, null, javaScript);
          await page.goto(new URL(compare, site.url).href);
          // Every mark is drawn, inside its cell, and the four columns fit the width (no scroller).
          const marks = await page.locator('.compare-matrix [data-check-mark]').evaluateAll((els) =>
            els.map((el) => {
              const mark = el.getBoundingClientRect();
              const cell = el.closest('td')!.getBoundingClientRect();
              return { inside: mark.left >= cell.left - 0.5 && mark.right <= cell.right + 0.5 && mark.width > 0, verdict: el.getAttribute('data-check-mark') };
            }),
          );
          expect(marks, label).toEqual([
            { inside: true, verdict: 'verified' },
            { inside: true, verdict: 'disputed' },
            { inside: true, verdict: 'verified' },
          ]);
          const region = await page.locator('.compare-matrix-region').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
          expect(region.scroll, label).toBeLessThanOrEqual(region.client);
          await shoot(page, `compare-${label}`, '.compare-matrix-region');
          await shoot(page, `compare-key-${label}`, '.correction-key');
          await page.goto(new URL('/partijen/testpartij-a', site.url).href);
          await shoot(page, `glance-${label}`, '.party-glance');
          await page.context().close();
        }
      }
    }
  });
});
