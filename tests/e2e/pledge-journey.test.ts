import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { currentTotpCode } from '../../src/auth/totp.ts';
import { readGoals } from '../../src/content-files.ts';
import { describeInBrowser, launchBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const goals = await readGoals('nl');

describeInBrowser('an invited representative pledges, and the public board shows it (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pb-e2e-'));
    server = await startServer({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A first key: the code from the new app, and the password typed again. */
  async function enterTotp(page: Page, password: string): Promise<void> {
    const key = await page.locator('input[name="key"]').inputValue();
    await page.getByLabel('Code', { exact: true }).fill(currentTotpCode(key, new Date()));
    await page.getByLabel('Je wachtwoord, ter bevestiging').fill(password);
    await page.getByRole('button', { name: 'Bevestigen' }).click();
  }

  it('runs from the first admin to a pledge on the scoreboard', async () => {
    const setupLink = /(http:\/\/\S+\/uitnodiging\/\S+)/.exec(server.output())![1]!;
    const admin = await browser.newPage();

    // The first admin creates an account with the link printed at start, and sets up TOTP.
    await admin.goto(setupLink);
    await admin.getByLabel('E-mailadres').fill('beheer@campagne.example');
    await admin.getByLabel('Je naam').fill('Carla Bakker');
    await admin.getByLabel('Kies een wachtwoord').fill('een lang en sterk wachtwoord');
    await admin.getByRole('button', { name: 'Account aanmaken' }).click();
    await admin.getByRole('heading', { name: 'Tweestapsverificatie instellen' }).waitFor();
    await enterTotp(admin, 'een lang en sterk wachtwoord');
    // The recovery codes, shown once; then on to Beheer.
    await admin.getByRole('heading', { name: 'Bewaar je herstelcodes' }).waitFor();
    expect(await admin.locator('.recovery-codes__list li').count()).toBe(10);
    await admin.getByRole('link', { name: 'Ik heb ze bewaard, ga verder' }).click();
    await admin.waitForURL('**/beheer');

    // The admin adds a (fictional) party: no words are ever put in a real party's mouth, not
    // even in a test.
    await admin.goto(new URL('/beheer/partijen', server.url).href);
    await admin.getByLabel('Korte naam in links').fill('testpartij-noord');
    await admin.getByLabel('Naam', { exact: true }).fill('Testpartij Noord');
    await admin.getByLabel('Afkorting').fill('TPN');
    await admin.getByLabel('Zetels').fill('3');
    await admin.getByRole('button', { name: 'Partij toevoegen' }).click();
    await admin.getByText('De partij is toegevoegd.').waitFor();

    // The admin invites a representative of that party.
    await admin.goto(new URL('/beheer/uitnodigingen', server.url).href);
    await admin.getByLabel('Partij').selectOption('testpartij-noord');
    await admin.getByLabel('E-mailadressen van de vertegenwoordigers').fill('rep@noord.example');
    await admin.getByRole('button', { name: 'Uitnodiging maken' }).click();
    const inviteLink = await admin.locator('[data-invite-link]').inputValue();
    expect(inviteLink).toMatch(/\/uitnodiging\/[a-z2-7]{32}$/);

    // The representative registers with the invitation, in a browser of their own.
    const repContext = await browser.newContext();
    const rep = await repContext.newPage();
    await rep.goto(inviteLink);
    await expect(rep.getByText('namens Testpartij Noord').count()).resolves.toBe(1);
    await rep.getByLabel('Je naam').fill('Vera Vertegenwoordiger');
    await rep.getByLabel('Kies een wachtwoord').fill('nog een sterk wachtwoord');
    await rep.getByRole('button', { name: 'Account aanmaken' }).click();
    await rep.waitForURL('**/mijn-partij');

    // One form for all goals. The representative fills in all four, pastes a statement that
    // is too long into goal 3 and forgets the stance of goal 4: one save reports both at once.
    const goal = (i: number) => rep.locator(`#doel-${goals[i]!.slug}`);
    await expect(rep.locator('form[action*="_action=savePledges"]').count()).resolves.toBe(1);
    await goal(0).getByRole('radio', { name: 'Toegezegd', exact: true }).check();
    await goal(0)
      .getByLabel(/Toelichting/)
      .fill('Wij nemen deze doelstelling over in ons programma.');
    await goal(0)
      .getByLabel(/Link naar het verkiezingsprogramma/)
      .fill('http://example.org/programma.pdf');
    await goal(0)
      .getByLabel(/Paginanummer/)
      .fill('12');
    await goal(1).getByRole('radio', { name: 'Gedeeltelijk', exact: true }).check();
    // While typing, every listed term gets a warning with what to write instead (it never
    // blocks); a quoted law's name is not the party's own wording.
    const warning = goal(1).locator('[data-term-warning]');
    await expect(warning.getAttribute('role')).resolves.toBe('status');
    await goal(1)
      .getByLabel(/Toelichting/)
      .pressSequentially('Wij bestrijden kinderporno, pakken loverboys aan en hernoemen de „Wet kinderpornografie”.');
    await warning.locator('li').nth(1).waitFor();
    await expect(warning.locator('li').allInnerTexts()).resolves.toEqual([
      'Vermijd ‘kinderporno’. Schrijf liever: seksueel kindermisbruikmateriaal (CSAM).',
      'Vermijd ‘loverboys’. Schrijf liever: mensenhandelaar.',
    ]);
    await expect(warning.getByRole('link', { name: 'Waarom, en de bronnen' }).getAttribute('href')).resolves.toBe('/woordkeuze');
    await goal(1)
      .getByLabel(/Toelichting/)
      .fill('Wij steunen educatie, maar niet alles.');
    await warning.locator('.term-warning__body').waitFor({ state: 'hidden' });
    await expect(warning.locator('li').count()).resolves.toBe(0);
    // A statement with two listed terms is saved all the same (below).
    await goal(1)
      .getByLabel(/Toelichting/)
      .fill('Wij bestrijden kinderporno en pakken loverboys aan.');
    await warning.locator('li').nth(1).waitFor();
    await goal(2).getByRole('radio', { name: 'Niet toegezegd', exact: true }).check();
    const pasted = 'Wij kiezen hier anders, en leggen uit waarom. '.repeat(27) + 'Tot slot.'; // 1,251 characters
    await goal(2)
      .getByLabel(/Toelichting/)
      .fill(pasted);
    // The count says how many are too many, as one types; nothing is cut.
    await expect(rep.locator('#goal-3-statement-hint').innerText()).resolves.toBe('Je hebt 251 tekens te veel');
    await expect(
      goal(2)
        .getByLabel(/Toelichting/)
        .inputValue(),
    ).resolves.toBe(pasted);
    await goal(3)
      .getByLabel(/Toelichting/)
      .fill('Daar denken wij nog over na.');
    await rep.getByRole('button', { name: 'Alles opslaan' }).click();

    const summary = rep.locator('[data-error-summary]');
    await summary.waitFor();
    await expect(summary.getByRole('heading').innerText()).resolves.toBe('Er is een probleem');
    await expect(rep.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'))).resolves.toBe(true);
    await expect(summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).resolves.toEqual([
      '#goal-3-statement',
      '#goal-4-stance',
    ]);
    await expect(summary.innerText()).resolves.toContain('De toelichting is 251 tekens te lang.');
    // Nothing typed is lost, in any goal.
    await expect(
      goal(2)
        .getByLabel(/Toelichting/)
        .inputValue(),
    ).resolves.toBe(pasted);
    await expect(
      goal(0)
        .getByLabel(/Link naar het verkiezingsprogramma/)
        .inputValue(),
    ).resolves.toBe('http://example.org/programma.pdf');
    await expect(goal(1).getByRole('radio', { name: 'Gedeeltelijk', exact: true }).isChecked()).resolves.toBe(true);
    // A link in the summary takes the person to the field.
    await summary.getByRole('link', { name: /toelichting is 251 tekens te lang/ }).click();
    await expect(rep.evaluate(() => document.activeElement?.id)).resolves.toBe('goal-3-statement');

    await goal(2)
      .getByLabel(/Toelichting/)
      .fill('Wij kiezen hier anders, en leggen uit waarom.');
    await goal(3).getByRole('radio', { name: 'Toegezegd', exact: true }).check();
    await rep.getByRole('button', { name: 'Alles opslaan' }).click();
    await rep.waitForURL('**/mijn-partij?opgeslagen=*');
    await expect(rep.getByText('Opgeslagen. Je wijzigingen staan nu op het scorebord.').count()).resolves.toBe(1);
    for (let i = 0; i < 4; i++) await expect(goal(i).locator('.pledge-goal__saved').innerText()).resolves.toContain('Opgeslagen');
    // After saving, the page (rendered by the server) still names both terms with their suggestions.
    await expect(goal(1).locator('[data-term-warning] li').allInnerTexts()).resolves.toEqual([
      'Vermijd ‘kinderporno’. Schrijf liever: seksueel kindermisbruikmateriaal (CSAM).',
      'Vermijd ‘loverboys’. Schrijf liever: mensenhandelaar.',
    ]);
    await expect(
      goal(0)
        .getByLabel(/Link naar het verkiezingsprogramma/)
        .inputValue(),
    ).resolves.toBe('https://example.org/programma.pdf');

    // Leaving with unsaved changes asks first.
    await goal(3)
      .getByLabel(/Toelichting/)
      .fill('Nog niet opgeslagen.');
    const dialog = new Promise<string>((resolve) => rep.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    await rep.close({ runBeforeUnload: true });
    await expect(dialog).resolves.toBe('beforeunload');

    // The public scoreboard, seen by an anonymous voter, shows both pledges.
    const voter = await (await browser.newContext()).newPage();
    await voter.goto(server.url);
    const row = voter.getByRole('row', { name: /Testpartij Noord/ });
    const cells = await row.locator('td .stance__label').allInnerTexts(); // the words shown, not the link's hidden context
    expect(cells.slice(0, 4)).toEqual(['Toegezegd', 'Gedeeltelijk', 'Niet toegezegd', 'Toegezegd']);
    await voter.goto(new URL('/partijen/testpartij-noord', server.url).href);
    await expect(voter.getByText('Wij nemen deze doelstelling over in ons programma.').first().isVisible()).resolves.toBe(true);
    await expect(voter.getByText('Wij bestrijden kinderporno en pakken loverboys aan.').first().isVisible()).resolves.toBe(true);
    await expect(voter.getByText('door Vera Vertegenwoordiger').count()).resolves.toBeGreaterThan(0);
    expect(await voter.context().cookies()).toEqual([]);
  });
});
