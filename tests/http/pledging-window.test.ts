/**
 * An admin closing or reopening pledging (Beheer) is public truth at once: the cached home page
 * and the scoreboard JSON say so on the very next request. The admin's own page says the state in
 * one readable sentence, and a correction's after-save message speaks of a correction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parties } from '../../src/db/schema.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_PARTIES } from '../fixtures/board.ts';

const goals = await readGoals('nl');
const goal = goals[0]!.slug;

/** The page's words as a reader sees them: no tags, whitespace collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

interface BoardJson {
  campaign: { pledgingOpen?: boolean };
}

describe.each(ENGINES)('the pledging window as the public sees it, on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(parties);
    await site.db.insert(parties).values(TEST_PARTIES);
    await site.app.boardVersion.refresh();
    const account = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true });
    admin = new FormClient(site.url);
    await signInOverHttp(admin, account);
  });
  afterAll(() => site?.close());

  const setPledging = async (state: 'open' | 'closed' | 'deadline') => {
    // Closing asks to confirm first (tests/http/admin-desk.test.ts); these tests are past that step.
    const response = await admin.submit('/beheer', 'setPledging', { state, confirm: 'ja' });
    expect(response.status, state).toBeLessThan(400);
  };

  /** Reads a public path twice so the second answer comes from the front's cache. */
  const warm = async (path: string) => {
    await fetch(new URL(path, site.url));
    expect((await fetch(new URL(path, site.url))).headers.get('x-pledgeboard-cache'), path).toBe('hit');
  };

  const publicTruth = async () => {
    const home = textOf(await (await fetch(new URL('/', site.url))).text());
    const homeEn = textOf(await (await fetch(new URL('/en', site.url))).text());
    const json = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as BoardJson;
    return { home, homeEn, open: json.campaign.pledgingOpen };
  };

  it('closing and reopening pledging shows on the very next request of the cached home page and the JSON', async () => {
    for (const path of ['/', '/en', '/api/v1/scoreboard.json']) await warm(path);
    let truth = await publicTruth();
    expect(truth.open).toBe(true);
    expect(truth.home).toContain('Toezeggen kan tot nader order.');

    for (const path of ['/', '/en', '/api/v1/scoreboard.json']) await warm(path);
    await setPledging('closed');
    truth = await publicTruth();
    expect(truth.open).toBe(false);
    expect(truth.home).toContain('Toezeggen is gesloten.');
    expect(truth.home).not.toContain('Toezeggen kan tot');
    expect(truth.homeEn).toContain('Pledging is closed.');
    expect(truth.homeEn).not.toContain('Parties can pledge until');

    for (const path of ['/', '/en', '/api/v1/scoreboard.json']) await warm(path);
    await setPledging('open');
    truth = await publicTruth();
    expect(truth.open).toBe(true);
    expect(truth.home).not.toContain('Toezeggen is gesloten.');
    expect(truth.homeEn).toContain('Parties can pledge until further notice.');

    await setPledging('closed');
    await setPledging('deadline');
    truth = await publicTruth();
    expect(truth.open).toBe(true);
    expect(truth.home).toContain('Toezeggen kan tot nader order.');
  });

  it('Beheer states the pledging window in one readable sentence, in both languages', async () => {
    await setPledging('deadline');
    expect(textOf(await (await admin.get('/beheer')).text())).toContain('Toezeggen is open (er is geen deadline ingesteld).');
    expect(textOf(await (await admin.get('/en/admin')).text())).toContain('Pledging is open (no deadline has been set).');
    await setPledging('closed');
    expect(textOf(await (await admin.get('/beheer')).text())).toContain('Toezeggen is gesloten (gesloten door een beheerder).');
    expect(textOf(await (await admin.get('/en/admin')).text())).toContain('Pledging is closed (closed by an admin).');
    await setPledging('deadline');
  });

  it('after an admin saves a correction, the message speaks of a correction, not of “your stance”', async () => {
    for (const [page, said, notSaid] of [
      ['/beheer/partijen/testpartij-a', 'De correctie is opgeslagen.', 'Je standpunt'],
      ['/en/admin/parties/testpartij-a', 'The correction has been saved.', 'Your stance'],
    ] as const) {
      const current = await admin.get(page);
      const baseVersion = /name="baseVersion" value="(\d+)"/.exec(await current.text())?.[1] ?? '0';
      const saved = await admin.submit(page, 'savePledge', {
        party: 'testpartij-a',
        goal,
        baseVersion,
        stance: page.startsWith('/en') ? 'declined' : 'committed',
        statement: 'Gecorrigeerd door de campagne.',
        evidenceUrl: '',
        evidencePage: '',
        correctionReason: 'Verkeerd overgenomen uit het programma.',
      });
      expect(saved.status, page).toBe(303);
      const after = textOf(await (await admin.get(saved.headers.get('location')!)).text());
      expect(after, page).toContain(said);
      expect(after, page).not.toContain(notSaid);
    }
  });
});
