/**
 * The journey of issue 15, in Chromium, through the screens only: an admin signs in (with
 * TOTP), checks one pledge as verified and disputes another in Beheer → Partijen; moves the
 * campaign to follow-up in Beheer → Campagnes (close, then follow-up, each confirmed); imports
 * a saved Zaak in Beheer → Opvolging, linking it to a goal as advancing it, maps a fraction the
 * page asks about, and rates the goal for the party. The party's representative, in a browser
 * of their own, replies to the dispute on Mijn partij. A voter on a phone (390 × 844, no
 * session; with and without JavaScript) sees the checks and the reply on the party page, the
 * rating with its source and the votes on the follow-up view, and the votes on the item page.
 * The test site has no internet: the evidence fetch is refused (dns-failed) and kept as such.
 * Screenshots of the voter's screens go to /tmp/shots-journey15/. Fictional parties only.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { currentTotpCode } from '../../src/auth/totp.ts';
import { readGoals } from '../../src/content-files.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties, TEST_CAMPAIGN_ID } from '../fixtures/board.ts';

const SHOTS = '/tmp/shots-journey15';
const ZAAK = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'tk', 'motion.json');
const goals = await readGoals('nl');
const [verifiedGoal, disputedGoal] = goals as unknown as [(typeof goals)[number], (typeof goals)[number]];

const QUOTE = 'Wij verplichten hostingbedrijven om meldingen binnen 24 uur af te handelen.';
const REASON = 'Het programma noemt dit doel niet; op pagina 8 staat alleen een algemene zin over veiligheid.';
const REPLY = 'Zie pagina 9, tweede alinea: daar staat het plan uitgewerkt.';
const CITATION = 'https://example.org/kamerstukken/motie-2031Z01234';
const EXPLANATION = 'De motie is aangenomen en uitgevoerd; het meldpunt is er.';

describeInBrowser('issue 15: checks, follow-up, a Zaak, a rating and a reply, seen by a voter (Chromium)', () => {
  let site: TestSite;
  let browser: Browser;
  let admin: TestAccount;
  let rep: TestAccount;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    site = await startTestSite('pglite');
    // Kustpartij matches its fraction in the Zaak by name; Vrije Burgers' fraction is called
    // "VB" there, which matches neither its name nor its abbreviation: the page asks about it.
    const ids = await addTestParties(site.db, [
      { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null },
      { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VRB', seats: 17, website: null },
    ]);
    admin = await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Bert Bakker', totp: true });
    rep = await createAccount(site.db, { email: 'rep@kustpartij.example', party: 'kustpartij', name: 'Vera Vertegenwoordiger' });
    // The party's own stances (the pledge form has its own journey, pledge-journey.test.ts).
    const repActor: Actor = { userId: rep.user.id, name: 'Vera Vertegenwoordiger', role: 'rep', partyId: ids.get('kustpartij')!, label: rep.email };
    for (const [goal, stance] of [
      [verifiedGoal, 'committed'],
      [disputedGoal, 'partial'],
    ] as const) {
      await savePledge(site.db, {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'kustpartij',
        goalSlug: goal.slug,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: 0,
        input: {
          stance,
          statement: `Wij nemen doel ${goal.number} over in ons verkiezingsprogramma.`,
          evidenceUrl: 'https://kustpartij.example/programma.pdf',
          evidencePage: 12,
        },
        actor: repActor,
      });
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const url = (p: string) => new URL(p, site.url).href;

  async function signIn(page: Page, account: TestAccount): Promise<void> {
    await page.goto(url('/inloggen'));
    await page.getByLabel('E-mailadres').fill(account.email);
    await page.getByLabel('Wachtwoord', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    if (account.totpKey) {
      await page.waitForURL('**/inloggen/code');
      await page.getByLabel('Code', { exact: true }).fill(currentTotpCode(account.totpKey, new Date()));
      await page.getByRole('button', { name: 'Bevestigen' }).click();
    }
    await page.waitForURL((u) => !u.pathname.startsWith('/inloggen'));
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, `${name} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  it('an admin checks, moves to follow-up, links a Zaak and rates; the party replies; a voter on a phone sees it', async () => {
    const adminContext = await browser.newContext();
    const beheer = await adminContext.newPage();
    await signIn(beheer, admin);

    // 1. Beheer → Partijen → Kustpartij: one pledge verified (quote, page, address), one disputed.
    await beheer.goto(url('/beheer'));
    await beheer.getByRole('navigation').getByRole('link', { name: 'Partijen', exact: true }).click();
    await beheer.getByRole('link', { name: 'Kustpartij', exact: true }).click();
    const checkForm = (slug: string) => beheer.locator(`#check-${slug}-section`);
    let form = checkForm(verifiedGoal.slug);
    // The click navigates: wait for the party's page before counting on it.
    await form.waitFor();
    await expect(form.getByText('Nog niet gecontroleerd door de campagne').count()).resolves.toBe(1);
    await form.getByRole('radio', { name: 'Klopt: het programma zegt het' }).check();
    await form.getByLabel('Citaat uit het programma').fill(QUOTE);
    await form.getByLabel('Pagina', { exact: true }).fill('12');
    await form.getByLabel('Gecontroleerd adres').fill('https://kustpartij.example/programma.pdf');
    await form.getByRole('button', { name: 'Controle vastleggen' }).click();
    form = checkForm(verifiedGoal.slug);
    await form.getByText('De controle is vastgelegd.').waitFor();
    await expect(form.getByText(/^Gecontroleerd door de campagne op /).count()).resolves.toBe(1);
    // No internet here: the fetch is refused, and the form says so.
    await expect(form.locator('.check-form__snapshot').innerText()).resolves.toMatch(
      /^De bron https:\/\/kustpartij\.example\/programma\.pdf is op .* niet opgehaald: /,
    );

    form = checkForm(disputedGoal.slug);
    await form.getByRole('radio', { name: 'Betwist' }).check();
    await form.getByLabel('Reden (openbaar)').fill(REASON.slice(0, 19));
    await form.getByRole('button', { name: 'Controle vastleggen' }).click();
    // A dispute is public at once: "check your answer" first; changing it keeps what was typed.
    await beheer.getByRole('heading', { level: 1, name: 'Controleer je antwoord' }).waitFor();
    await expect(beheer.locator('.check-confirm__preview').innerText()).resolves.toContain(REASON.slice(0, 19));
    await beheer.getByRole('button', { name: 'Wijzig het antwoord' }).click();
    form = checkForm(disputedGoal.slug);
    await expect(form.getByRole('radio', { name: 'Betwist' }).isChecked()).resolves.toBe(true);
    await expect(form.getByLabel('Reden (openbaar)').inputValue()).resolves.toBe(REASON.slice(0, 19));
    await form.getByLabel('Reden (openbaar)').fill(REASON);
    await form.getByRole('button', { name: 'Controle vastleggen' }).click();
    await expect(beheer.locator('.check-confirm__preview').innerText()).resolves.toContain(REASON);
    await beheer.getByRole('button', { name: 'Publiceer de betwisting' }).click();
    form = checkForm(disputedGoal.slug);
    await form.getByText('De controle is vastgelegd.').waitFor();
    await expect(form.getByText(REASON).count()).resolves.toBe(1);

    // 2. Beheer → Campagnes: close, then follow-up, each with its "are you sure?".
    await beheer.getByRole('navigation').getByRole('link', { name: 'Campagnes', exact: true }).click();
    for (const step of ['Sluiten', 'Naar opvolging']) {
      await beheer.getByRole('button', { name: step, exact: true }).click();
      const confirm = beheer.locator('[data-confirm-step]');
      await confirm.getByRole('heading', { name: 'Weet je het zeker?' }).waitFor();
      await confirm.getByRole('button', { name: step, exact: true }).click();
      await beheer.getByText('Opgeslagen').first().waitFor();
    }
    await expect(beheer.locator('.campaign-list__item .tag').first().innerText()).resolves.toMatch(/opvolging/i);

    // 3. Beheer → Opvolging: import the saved Zaak for goal 1 as advancing it.
    await beheer.getByRole('navigation').getByRole('link', { name: 'Opvolging', exact: true }).click();
    await beheer.getByRole('heading', { name: 'Kamerstuk koppelen' }).waitFor();
    await beheer.locator('#field-zaak-goal').selectOption(verifiedGoal.slug);
    await beheer.getByLabel('Effect op het doel').selectOption({ label: 'brengt het doel dichterbij' });
    await beheer.getByLabel('Of een opgeslagen antwoord (JSON)').setInputFiles(ZAAK);
    await beheer.getByRole('button', { name: 'Importeren en koppelen' }).click();
    await beheer.getByText('Kamerstuk 2031Z01234 gekoppeld.').waitFor();
    // The page asks which party the fractions it cannot match are: VB is Vrije Burgers.
    const fractions = beheer.locator('section[aria-labelledby="fracties"]');
    await fractions.getByRole('heading', { name: 'Fracties zonder partij' }).waitFor();
    await fractions.getByLabel('VB', { exact: true }).selectOption({ label: 'Vrije Burgers' });
    await fractions.getByRole('button', { name: /^Koppelen\W+VB$/ }).click();
    await beheer.getByText('Fractie VB gekoppeld.').waitFor();
    await expect(beheer.locator('form[data-fraction="VB"]').count()).resolves.toBe(0);

    // Rate goal 1 for Kustpartij: status, source and explanation.
    await beheer.getByRole('link', { name: new RegExp(`^Beoordelen\\W+Kustpartij, ${verifiedGoal.number}\\. `) }).click();
    const rate = beheer.locator('section[aria-labelledby="beoordelen"]');
    await expect(rate.getByLabel('Partij').inputValue()).resolves.toBe('kustpartij');
    await expect(rate.getByLabel('Doel').inputValue()).resolves.toBe(verifiedGoal.slug);
    await rate.getByLabel('Status').selectOption({ label: 'Nagekomen' });
    await rate.getByLabel('Bron (https://-adres)').fill(CITATION);
    await rate.getByLabel('Toelichting (openbaar, tot 500 tekens)').fill(EXPLANATION);
    await rate.getByRole('button', { name: 'Beoordeling opslaan' }).click();
    await beheer.getByText('Beoordeling opgeslagen.').waitFor();
    await expect(beheer.locator(`tr[data-party="kustpartij"] td[data-goal="${verifiedGoal.slug}"]`).innerText()).resolves.toContain('Nagekomen');
    await adminContext.close();

    // 4. The representative, in a browser of their own, replies to the dispute on Mijn partij.
    const repContext = await browser.newContext();
    const mine = await repContext.newPage();
    await signIn(mine, rep);
    await mine.goto(url('/mijn-partij'));
    const replies = mine.locator('section.check-replies');
    await replies.getByRole('heading', { name: 'Controles van de campagne' }).waitFor();
    const disputed = replies.getByRole('article', { name: `${disputedGoal.number}. ${disputedGoal.shortTitle}` });
    await expect(disputed.getByText(REASON).count()).resolves.toBe(1);
    await disputed.getByLabel('Uw reactie (openbaar)').fill(REPLY);
    await disputed.getByRole('button', { name: 'Reactie plaatsen' }).click();
    await mine.getByText('Uw reactie staat nu bij de controle.').waitFor();
    await expect(mine.getByText(REPLY).count()).resolves.toBeGreaterThan(0);
    await repContext.close();

    // 5. A voter on a phone, without a session: with JavaScript, and once without.
    for (const javaScriptEnabled of [true, false]) {
      const label = javaScriptEnabled ? 'js' : 'nojs';
      const context: BrowserContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled });
      const voter = await context.newPage();

      await voter.goto(url('/partijen/kustpartij'));
      const main = voter.getByRole('main');
      await expect(main.getByText('Deze partij heeft nog op geen enkele doelstelling gereageerd.').count()).resolves.toBe(0);
      await expect(
        main
          .getByText(/Gecontroleerd door de campagne op /)
          .first()
          .isVisible(),
      ).resolves.toBe(true);
      await expect(main.getByText(QUOTE).first().isVisible()).resolves.toBe(true);
      await expect(main.getByText(REASON).first().isVisible()).resolves.toBe(true);
      await expect(
        main
          .getByText(/Reactie van de partij op /)
          .first()
          .isVisible(),
      ).resolves.toBe(true);
      await expect(main.getByText(REPLY).first().isVisible()).resolves.toBe(true);
      await shoot(voter, `party-390-${label}`);

      await voter.goto(url('/opvolging'));
      await voter.getByRole('heading', { name: 'Opvolging na de verkiezingen' }).waitFor();
      const kust = voter.getByRole('main');
      await expect(kust.getByText('Nagekomen').first().isVisible()).resolves.toBe(true);
      await expect(kust.getByText(EXPLANATION).first().isVisible()).resolves.toBe(true);
      await expect(kust.locator(`a[href="${CITATION}"]`).first().isVisible()).resolves.toBe(true);
      // Kustpartij voted for the motion, which advances goal 1: in line, once out of once.
      await expect(kust.getByText('stemde 1 van de 1 keer in lijn met dit doel').first().isVisible()).resolves.toBe(true);
      await shoot(voter, `follow-up-390-${label}`);

      await kust.getByRole('link', { name: 'Bescherming van kinderen online' }).first().click();
      await voter.getByRole('heading', { name: /Bescherming van kinderen online/ }).waitFor();
      const votes = voter.getByRole('table');
      await expect(
        votes
          .getByRole('row', { name: /Kustpartij/ })
          .first()
          .innerText(),
      ).resolves.toContain('Voor');
      // The mapped fraction shows under its party (its vote, and the mistake it reported later).
      const vb = votes.getByRole('row', { name: /Vrije Burgers/ }).first();
      await expect(vb.innerText()).resolves.toContain('Tegen');
      await expect(vb.innerText()).resolves.toContain('fractie meldde later een vergissing');
      await shoot(voter, `item-390-${label}`);
      expect(await context.cookies()).toEqual([]);
      await context.close();
    }
  });
});
