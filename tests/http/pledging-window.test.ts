/**
 * An admin closing or reopening pledging, or setting its deadline (Beheer), is public truth at
 * once: the cached home page and the scoreboard JSON say so on the very next request. The admin's own page says the state in
 * one readable sentence, and a correction's after-save message speaks of a correction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, campaignParties, campaigns, parties } from '../../src/db/schema.ts';
import { localDateTimeFields, zonedMoment } from '../../src/domain/pledging-window.ts';
import { formatDate } from '../../src/i18n/ui.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties, TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';

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
    // Only the test's fictional parties on the campaign's board.
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
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

  it('a deadline set in Beheer shows at once on the cached home page, the JSON and Mijn partij; cleared, it goes', async () => {
    const rep = new FormClient(site.url);
    await signInOverHttp(rep, await createAccount(site.db, { email: 'teller@partij-a.example', party: 'testpartij-a', name: 'Tineke Teller' }));
    // Ten calendar days ahead, in Dutch time, just before midnight.
    const { date } = localDateTimeFields(new Date(Date.now() + 10 * 24 * 60 * 60 * 1000));
    for (const path of ['/', '/en', '/api/v1/scoreboard.json']) await warm(path);
    const saved = await admin.submit('/beheer', 'setDeadline', { date, time: '23:59' });
    expect(saved.status).toBe(303);
    const deadline = zonedMoment(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 23, 59)!;
    const truth = await publicTruth();
    expect(truth.home).toContain(`Toezeggen kan tot ${formatDate('nl', deadline, true)}`);
    expect(truth.homeEn).toContain(`Parties can pledge until ${formatDate('en', deadline, true)}`);
    const json = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as { campaign: { pledgeDeadline: string | null } };
    expect(json.campaign.pledgeDeadline).toBe(deadline.toISOString());
    expect(textOf(await (await rep.get('/mijn-partij')).text())).toContain(`Nog 10 dagen, tot ${formatDate('nl', deadline, true)}.`);
    const beheer = await (await admin.get('/beheer')).text();
    // The campaign's deadline, said once; no campaign.yaml to compare with any more.
    expect(textOf(/<p data-deadline-status>[\s\S]*?<\/p>/.exec(beheer)![0])).toBe(formatDate('nl', deadline, true));
    expect(textOf(beheer)).toContain('Deadline verwijderen');
    // The fields show it again in Dutch time.
    expect(beheer).toContain(`value="${date}"`);
    expect(beheer).toContain('value="23:59"');
    const log = textOf(await (await admin.get('/beheer/audit?actie=pledging.deadline-set')).text());
    expect(log).toContain(`verzette de deadline van geen deadline naar ${formatDate('nl', deadline, true)}`);
    const logEn = textOf(await (await admin.get('/en/admin/audit?actie=pledging.deadline-set')).text());
    expect(logEn).toContain(`moved the deadline from no deadline to ${formatDate('en', deadline, true)}`);

    // Moved: the public follows again.
    const later = localDateTimeFields(new Date(Date.now() + 20 * 24 * 60 * 60 * 1000)).date;
    const laterDeadline = zonedMoment(Number(later.slice(0, 4)), Number(later.slice(5, 7)), Number(later.slice(8, 10)), 12, 0)!;
    for (const path of ['/', '/api/v1/scoreboard.json']) await warm(path);
    expect((await admin.submit('/en/admin', 'setDeadline', { date: later, time: '12:00' })).status).toBe(303);
    expect(textOf(await (await rep.get('/mijn-partij')).text())).toContain('Nog 20 dagen');
    expect((await publicTruth()).home).not.toContain(formatDate('nl', deadline, true));

    for (const path of ['/', '/api/v1/scoreboard.json']) await warm(path);
    expect((await admin.submit('/beheer', 'clearDeadline', {})).status).toBe(303);
    // Removed, not "back to campaign.yaml's": pledging stays open until an admin closes it.
    expect((await publicTruth()).home).toContain('Toezeggen kan tot nader order.');
    const afterClear = await (await admin.get('/beheer')).text();
    expect(textOf(/<p data-deadline-status>[\s\S]*?<\/p>/.exec(afterClear)![0])).toBe(
      'Er is geen deadline: toezeggen blijft open tot een beheerder het sluit.',
    );
    expect(textOf(afterClear)).toContain('Toezeggen is open (er is geen deadline ingesteld).');
    const cleared = (await (await fetch(new URL('/api/v1/scoreboard.json', site.url))).json()) as { campaign: { pledgeDeadline: string | null } };
    expect(cleared.campaign.pledgeDeadline).toBeNull();
    expect(textOf(await (await admin.get('/beheer/audit?actie=pledging.deadline-cleared')).text())).toContain(
      `verwijderde de deadline (${formatDate('nl', laterDeadline, true)})`,
    );
    expect(textOf(await (await admin.get('/en/admin/audit?actie=pledging.deadline-cleared')).text())).toContain(
      `removed the deadline (${formatDate('en', laterDeadline, true)})`,
    );
    // Nothing left to clear: said, not silently done again.
    const again = await admin.submit('/beheer', 'clearDeadline', {});
    expect(again.status).toBe(409);
    expect(textOf(await again.text())).toContain('Er is geen deadline ingesteld.');
  });

  it('an absurd deadline is refused with a message for its field, and nothing is written', async () => {
    // The deadline lives on the campaign's row (not in app_settings any more).
    const stored = async () =>
      (
        await site.db.select({ deadline: campaigns.pledgeDeadline, updatedAt: campaigns.updatedAt }).from(campaigns).where(eq(campaigns.id, TEST_CAMPAIGN_ID))
      )[0];
    const storedBefore = await stored();
    const auditCount = async () => (await site.db.select().from(auditLog).where(eq(auditLog.action, 'pledging.deadline-set'))).length;
    const before = await auditCount();
    for (const [fields, message] of [
      [{ date: '2027-02-30', time: '12:00' }, 'Vul een bestaande datum in, zoals 2027-03-01.'],
      [{ date: '0000-01-01', time: '12:00' }, 'Vul een bestaande datum in'],
      [{ date: '1900-01-01', time: '12:00' }, 'Vul een bestaande datum in'],
      [{ date: '2020-05-01', time: '12:00' }, 'Dit moment is al voorbij.'],
      [{ date: '2099-05-01', time: '12:00' }, 'Kies een deadline binnen twee jaar.'],
      [{ date: '2027-03-28', time: '02:30' }, 'Dit tijdstip bestaat niet'],
      [{ date: '2027-03-01', time: '23:75' }, 'Vul een tijd in, zoals 23:59.'],
      [{ date: '2027-03-01\0', time: '12:00' }, ''],
      [{ date: '2027-03-01\r\n', time: '12:00' }, ''],
      [{ date: '2027-03-01'.repeat(10), time: '12:00' }, ''],
      [{ date: '', time: '' }, ''],
      [{ time: '12:00' }, ''],
    ] as const) {
      const response = await admin.submit('/beheer', 'setDeadline', fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      const html = await response.text();
      if (message) expect(textOf(html), JSON.stringify(fields)).toContain(message);
      expect(html).toContain('form-message--error');
    }
    expect(await stored()).toEqual(storedBefore);
    expect(await auditCount()).toBe(before);
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
