/**
 * A candidate pledges in person, in Chromium: a party's representative invites a candidate
 * from "Mijn partij", the candidate accepts the invitation with an account of their own, lands
 * on their signing page and signs every goal; their page and the party's list in "Mijn partij"
 * then say so, and they are among the campaign's champions. Also screenshots of the signing
 * page (artifacts/screenshots/mijn-handtekening-*), light and dark, without JavaScript, and a
 * refused save that keeps what was typed. Fictional parties and candidates only.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { listChampions } from '../../src/domain/candidates.ts';
import { readGoals } from '../../src/content-files.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { createAccount } from '../helpers/accounts.ts';
import { SCREENSHOT_DIR, SCREENSHOT_WIDTHS } from '../helpers/screenshots.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties, TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';
import { addTestCandidates } from '../fixtures/candidates.ts';

const goals = await readGoals('nl');
const SCHEMES = ['light', 'dark'] as const;

describeInBrowser('a candidate accepts an invitation and signs every goal (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let repToken: string;
  let candidateId: number;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    site = await startTestSite('pglite');
    const partyIds = await addTestParties(site.db, TEST_PARTIES);
    [candidateId] = (await addTestCandidates(site.db, TEST_CAMPAIGN_ID, [
      { partyId: partyIds.get('testpartij-a')!, firstName: 'Anna', lastName: 'Voorbeeld', place: 'Proefdorp' },
      { partyId: partyIds.get('testpartij-a')!, firstName: 'Bram', lastName: 'Bedacht', place: 'Verzinstad' },
    ])) as [number];
    const rep = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Vera Vertegenwoordiger' });
    repToken = (await createSession(site.db, rep.user.id)).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `mijn-handtekening-${name}.png`), fullPage: true });
  }

  it('a representative invites, the candidate accepts and signs, and shows as signed', async () => {
    // The representative, on "Mijn partij" (without JavaScript: the forms work without it).
    const repContext = await browser.newContext({ javaScriptEnabled: false });
    await repContext.addCookies([{ name: SESSION_COOKIE, value: repToken, url: site.url }]);
    const rep = await repContext.newPage();
    await rep.goto(new URL('/mijn-partij', site.url).href);
    const row = rep.locator(`#kandidaat-${candidateId}`);
    await expect(row.getByText('Niet uitgenodigd').count()).resolves.toBe(1);
    // A bad address is refused in its own row, and nothing is made.
    await row.getByLabel('E-mailadres').fill('geen adres');
    await row.getByRole('button', { name: /Uitnodigen/ }).click();
    await rep.locator(`#kandidaat-${candidateId}`).getByText('Vul een geldig e-mailadres in.').waitFor();
    expect(await rep.locator(`#kandidaat-${candidateId}-email`).inputValue()).toBe('geen adres');
    for (const width of SCREENSHOT_WIDTHS) {
      await rep.setViewportSize({ width, height: 900 });
      for (const scheme of SCHEMES) {
        await rep.emulateMedia({ colorScheme: scheme });
        const { scrollWidth, innerWidth } = await rep.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
        await rep.locator('#kandidaten').screenshot({ path: path.join(SCREENSHOT_DIR, `mijn-partij-kandidaten-refused-${width}-${scheme}-nojs.png`) });
      }
    }
    await row.getByLabel('E-mailadres').fill('anna@proefdorp.example');
    await row.getByRole('button', { name: /Uitnodigen/ }).click();
    await rep.getByText('Uitnodiging voor anna@proefdorp.example gemaakt.').waitFor();
    const inviteLink = await rep.locator('[data-invite-link]').inputValue();
    expect(inviteLink).toMatch(/\/uitnodiging\/[a-z2-7]{32}$/);
    await rep.goto(new URL('/mijn-partij', site.url).href);
    await expect(rep.locator(`#kandidaat-${candidateId}`).getByText('Uitgenodigd').count()).resolves.toBe(1);

    // The candidate, in a browser of their own, without JavaScript.
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
    const candidate = await context.newPage();
    await candidate.goto(inviteLink);
    await candidate.getByText('als kandidaat van Testpartij A').waitFor();
    await candidate.getByLabel('Je naam').fill('Anna Voorbeeld');
    await candidate.getByLabel('Kies een wachtwoord').fill('een lang en sterk kandidatenwachtwoord');
    await candidate.getByRole('button', { name: 'Account aanmaken' }).click();
    await candidate.waitForURL('**/mijn-handtekening');
    await candidate.getByRole('heading', { name: 'Mijn handtekening' }).waitFor();
    // A candidate is not a representative: the menu leads to their signature, not to a party.
    await expect(candidate.getByRole('link', { name: 'Mijn partij' }).count()).resolves.toBe(0);
    await expect(candidate.getByRole('link', { name: 'Beheer' }).count()).resolves.toBe(0);

    // A save without a choice for every goal, and a statement too long: refused, kept as typed.
    await candidate.locator('#goal-1-committed').check();
    await candidate.locator('#goal-1-statement').fill('Ik teken. '.repeat(40));
    await candidate.getByRole('button', { name: 'Handtekening opslaan' }).click();
    await candidate.getByText('Er is een probleem').waitFor();
    await expect(candidate.locator('.error-summary li').count()).resolves.toBe(goals.length);
    expect(await candidate.locator('#goal-1-committed').isChecked()).toBe(true);
    expect(await candidate.locator('#goal-1-statement').inputValue()).toContain('Ik teken.');
    for (const scheme of SCHEMES) {
      await candidate.emulateMedia({ colorScheme: scheme });
      await shoot(candidate, `refused-390-${scheme}-nojs`);
    }

    // Every goal committed, one short statement: saved.
    for (const goal of goals) await candidate.locator(`#goal-${goal.number}-committed`).check();
    await candidate.locator('#goal-1-statement').fill('Ik sta hier persoonlijk voor.');
    await candidate.getByRole('button', { name: 'Handtekening opslaan' }).click();
    await candidate.getByText('Opgeslagen. Je handtekening staat nu op de site.').waitFor();
    await candidate.locator('[data-signed-all]').waitFor();
    for (const goal of goals)
      await expect(candidate.locator(`[data-signature-state="${goal.slug}"]`).innerText()).resolves.toMatch(/^Ja, ik zeg dit toe · Getekend op /);

    // The party's list in "Mijn partij" says so.
    await rep.goto(new URL('/mijn-partij', site.url).href);
    const signedRow = rep.locator(`#kandidaat-${candidateId}`);
    await expect(signedRow.getByText('Heeft een account').count()).resolves.toBe(1);
    await expect(signedRow.getByText('Alle doelen getekend').count()).resolves.toBe(1);
    // The campaign's champions (what the public candidate pages read) hold her, and only her.
    const champions = await listChampions(
      site.db,
      TEST_CAMPAIGN_ID,
      goals.map((g) => g.slug),
    );
    expect(champions.map((c) => c.candidate.id)).toEqual([candidateId]);
    // TODO(candidate pages): once the public pages are merged, assert here that Anna shows as
    // signed on /partijen/testpartij-a (the party's list) and on the champions page, in this
    // browser, as the journey asks; they are built on another branch.

    // Screenshots of the saved page at every width, light and dark, without JavaScript.
    for (const width of SCREENSHOT_WIDTHS) {
      await candidate.setViewportSize({ width, height: 900 });
      for (const scheme of SCHEMES) {
        await candidate.emulateMedia({ colorScheme: scheme });
        await shoot(candidate, `saved-${width}-${scheme}-nojs`);
      }
    }
    await rep.setViewportSize({ width: 390, height: 900 });
    await rep.locator('#kandidaten').screenshot({ path: path.join(SCREENSHOT_DIR, 'mijn-partij-kandidaten-390.png') });
    await context.close();
    await repContext.close();
  });
});
