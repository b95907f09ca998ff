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
    await admin.getByLabel('E-mailadres van de vertegenwoordiger').fill('rep@noord.example');
    await admin.getByRole('button', { name: 'Uitnodiging maken' }).click();
    const inviteLink = await admin.locator('[data-invite-link]').innerText();
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

    // Pledges on two goals.
    const first = rep.locator(`#doel-${goals[0]!.slug}`);
    await first.getByRole('radio', { name: 'Toegezegd', exact: true }).check();
    await first.getByLabel(/Toelichting/).fill('Wij nemen deze doelstelling over in ons programma.');
    await first.getByLabel(/Link naar het verkiezingsprogramma/).fill('https://example.org/programma.pdf');
    await first.getByLabel(/Paginanummer/).fill('12');
    await first.getByRole('button', { name: 'Opslaan' }).click();
    await rep.waitForURL(`**/mijn-partij?opgeslagen=${goals[0]!.slug}*`);
    await expect(rep.locator(`#doel-${goals[0]!.slug}`).getByText('is opgeslagen').count()).resolves.toBe(1);

    const second = rep.locator(`#doel-${goals[1]!.slug}`);
    await second.getByRole('radio', { name: 'Gedeeltelijk', exact: true }).check();
    // While typing, the outdated term gets a warning with the right one (it never blocks).
    await second.getByLabel(/Toelichting/).fill('Wij bestrijden kinderporno.');
    await expect(second.locator('[data-term-warning]').innerText()).resolves.toContain('seksueel kindermisbruikmateriaal (CSAM)');
    await second.getByLabel(/Toelichting/).fill('Wij steunen educatie, maar niet alles.');
    await expect(second.locator('[data-term-warning]').innerText()).resolves.toBe('');
    await second.getByRole('button', { name: 'Opslaan' }).click();
    await rep.waitForURL(`**/mijn-partij?opgeslagen=${goals[1]!.slug}*`);

    // The public scoreboard, seen by an anonymous voter, shows both pledges.
    const voter = await (await browser.newContext()).newPage();
    await voter.goto(server.url);
    const row = voter.getByRole('row', { name: /Testpartij Noord/ });
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells.slice(0, 4)).toEqual(['Toegezegd', 'Gedeeltelijk', 'Geen reactie', 'Geen reactie']);
    await voter.goto(new URL('/partijen/testpartij-noord', server.url).href);
    await expect(voter.getByText('Wij nemen deze doelstelling over in ons programma.').first().isVisible()).resolves.toBe(true);
    await expect(voter.getByText('door Vera Vertegenwoordiger').count()).resolves.toBeGreaterThan(0);
    expect(await voter.context().cookies()).toEqual([]);
  });
});
