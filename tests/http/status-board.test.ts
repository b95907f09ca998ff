/**
 * The campaign desk's status board and the public record of outreach (issue 13), over HTTP on
 * every engine, with mail really sent to an SMTP server the test runs: Beheer opens on a row
 * per party (asked when and by whom, reminders, representatives, goals answered, last change,
 * what to do next, with its link), sorted by header links (aria-sort), exported as CSV (counts,
 * no addresses, formula-guarded) for admins only; bad sort words are a 400. The public side:
 * the party page's sentence, the permalink's, the scoreboard's "no response" cells, and a
 * cached page that shows the new record once an invitation went out. No address in any public
 * page or file.
 */
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignParties, outbox, parties } from '../../src/db/schema.ts';
import { insertAccountLink } from '../../src/domain/account-links.ts';
import { composeMail } from '../../src/domain/mail-texts.ts';
import { enqueueMail } from '../../src/domain/outbox.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { STATUS_CSV_COLUMNS } from '../../src/domain/status-board.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { TEST_PARTIES, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';

const goals = await readGoals('nl');
const FROM = 'campagne@board.example';
const PARTIES = [
  ...TEST_PARTIES,
  { slug: 'testpartij-d', name: '=Formule Partij', abbreviation: 'TPD', seats: 1, website: 'https://example.org/d' },
  { slug: 'testpartij-e', name: 'Testpartij E', abbreviation: 'TPE', seats: 2, website: 'https://example.org/e' },
];
/** Every address this test writes to: none may ever show up in public. */
const ADDRESSES = [
  'een@partij-a.example',
  'twee@partij-a.example',
  'rep@partij-b.example',
  'oud@partij-c.example',
  'nieuw@partij-e.example',
  'beheer@campagne.example',
];
const CONTENT = composeMail('nl', { subject: 'Herinnering', campaignName: 'Campagne', blocks: [] });

const textOf = (html: string) =>
  html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:)])/g, '$1')
    .trim();
const rowOrder = (html: string) => [...html.matchAll(/<tr role="row" data-party="([^"]+)"/g)].map((m) => m[1]!);
const rowOf = (html: string, slug: string) => {
  const start = html.indexOf(`data-party="${slug}"`);
  return start === -1 ? '' : html.slice(start, html.indexOf('</tr>', start));
};
/** A status board cell's words, by its column's name (data-label; CSS shows it on a phone). */
const cellOf = (row: string, label: string) => {
  const match = new RegExp(`data-label="${label}"[^>]*>([\\s\\S]*?)</td>`).exec(row);
  return match ? textOf(match[1]!) : '';
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const shortDate = (date: Date) => new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'short', timeZone: 'Europe/Amsterdam' }).format(date);
const longDate = (date: Date) => new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(date);

describe.each(ENGINES)('the status board and the public record, on %s', (engine) => {
  let site: TestSite;
  let smtp: TestSmtpServer;
  let admin: FormClient;
  let rep: FormClient;
  const get = (path: string) => fetch(new URL(path, site.url));
  const partyId = async (slug: string) => (await site.db.select({ id: parties.id }).from(parties).where(eq(parties.slug, slug)))[0]!.id;

  /** Waits until the background sender has handled every waiting mail. */
  async function untilSent(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const waiting = await site.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.status, 'pending'));
      if (waiting.length === 0) return;
      await sleep(50);
    }
    throw new Error('mail still pending');
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    site = await startTestSite(engine, { SMTP_URL: smtp.url, MAIL_FROM: FROM });
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, PARTIES);
    await site.app.boardVersion.refresh();
    admin = new FormClient(site.url);
    await signInOverHttp(admin, await createAccount(site.db, { email: 'beheer@campagne.example', name: 'Anna de Vries', totp: true }));

    // A: invited by the admin in Beheer (two addresses, mailed), not signed up yet.
    const invited = await admin.submit('/beheer/uitnodigingen', 'createInvite', {
      party: 'testpartij-a',
      emails: 'een@partij-a.example\ntwee@partij-a.example',
      locale: 'nl',
    });
    expect(invited.status).toBe(200);
    await untilSent();
    // B: a representative with an account (invited from the command line) who answered one goal.
    const repAccount = await createAccount(site.db, { email: 'rep@partij-b.example', party: 'testpartij-b', name: 'Rita Rep' });
    rep = new FormClient(site.url);
    await signInOverHttp(rep, repAccount);
    await savePledge(site.db, {
      partySlug: 'testpartij-b',
      goalSlug: goals[0]!.slug,
      goalSlugs: goals.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.' },
      actor: { userId: repAccount.user.id, name: 'Rita Rep', role: 'rep', partyId: await partyId('testpartij-b'), label: 'rep@partij-b.example' },
      campaignId: TEST_CAMPAIGN_ID,
    });
    // C: an invitation from before the outbox, run out a week ago.
    await insertAccountLink(
      site.db,
      { purpose: 'invite', email: 'oud@partij-c.example', partyId: await partyId('testpartij-c'), campaignId: TEST_CAMPAIGN_ID },
      new Date(Date.now() - 8 * 24 * 3600 * 1000),
    );
    // A got two reminder rounds that went out, and one that failed. (Written as the sender
    // leaves them: this site sends mail, so a held one would be taken and sent meanwhile.)
    // (Ids read before each transaction: PGlite has one connection, a read beside it would wait for ever.)
    const partyA = await partyId('testpartij-a');
    for (const status of ['sent', 'sent', 'failed'] as const) {
      await site.db.transaction(async (tx) => {
        for (const to of ['een@partij-a.example', 'twee@partij-a.example']) {
          const { id } = await enqueueMail(tx, {
            kind: 'reminder',
            to,
            locale: 'nl',
            fromName: 'Campagne',
            content: CONTENT,
            partyId: partyA,
            campaignId: TEST_CAMPAIGN_ID,
          });
          await tx
            .update(outbox)
            .set(status === 'sent' ? { status, sentAt: new Date(), attempts: 1 } : { status, attempts: 8, lastError: '550 no such mailbox' })
            .where(eq(outbox.id, id));
        }
      });
      await sleep(5);
    }
    await site.app.boardVersion.refresh();
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  it('opens Beheer on a row per party: asked (when, by whom), reminders, representatives, answered, last change, next step', async () => {
    const page = await (await admin.get('/beheer')).text();
    expect(rowOrder(page)).toEqual(['testpartij-d', 'testpartij-e', 'testpartij-c', 'testpartij-a', 'testpartij-b']);
    const today = longDate(new Date());
    const a = rowOf(page, 'testpartij-a');
    expect(cellOf(a, 'Gevraagd')).toBe(`${today} door Anna de Vries`);
    expect(cellOf(a, 'Herinneringen')).toBe(`2 (laatst ${today})`);
    expect(cellOf(a, 'Vertegenwoordigers')).toBe('0 (2 uitnodigingen open)');
    expect(cellOf(a, 'Beantwoord')).toBe('0 van 4');
    expect(cellOf(a, 'Laatste wijziging')).toBe('—');
    expect(cellOf(a, 'Wat nu')).toBe('Wacht op aanmelding (Testpartij A)');
    const b = rowOf(page, 'testpartij-b');
    expect(cellOf(b, 'Gevraagd')).toBe(`${today} via de opdrachtregel`);
    expect(cellOf(b, 'Vertegenwoordigers')).toBe('1');
    expect(cellOf(b, 'Beantwoord')).toBe('1 van 4');
    expect(cellOf(b, 'Laatste wijziging')).toBe(today);
    expect(cellOf(b, 'Wat nu')).toBe('Herinner de partij (Testpartij B)');
    const c = rowOf(page, 'testpartij-c');
    expect(cellOf(c, 'Vertegenwoordigers')).toBe('0 (1 uitnodiging verlopen)');
    expect(cellOf(c, 'Wat nu')).toBe('Stuur de uitnodiging opnieuw (Testpartij C)');
    const e = rowOf(page, 'testpartij-e');
    expect(cellOf(e, 'Gevraagd')).toBe('Nog niet');
    expect(e).toContain('href="/beheer/uitnodigingen?partij=testpartij-e#create"');
    // The link names the party on purpose: the invitation form opens with it chosen.
    const form = await (await admin.get('/beheer/uitnodigingen?partij=testpartij-e')).text();
    expect(/<select id="invite-party"[\s\S]*?<\/select>/.exec(form)![0]).toMatch(/<option value="testpartij-e" selected>/);
    // In English too.
    const en = rowOf(await (await admin.get('/en/admin')).text(), 'testpartij-a');
    expect(cellOf(en, 'Asked')).toMatch(/by Anna de Vries$/);
    expect(cellOf(en, 'Next step')).toBe('Wait for sign-up (Testpartij A)');
  });

  it('sorts by a header link, says so with aria-sort, and turns the order round on a second click', async () => {
    let page = await (await admin.get('/beheer?sorteer=partij')).text();
    expect(rowOrder(page)).toEqual(['testpartij-d', 'testpartij-a', 'testpartij-b', 'testpartij-c', 'testpartij-e']);
    expect(page).toMatch(/<th scope="col" role="columnheader" aria-sort="ascending"><a href="\/beheer\?sorteer=partij&amp;richting=af#status"/);
    expect(page.match(/aria-sort=/g)).toHaveLength(1);
    page = await (await admin.get('/beheer?sorteer=partij&richting=af')).text();
    expect(rowOrder(page)).toEqual(['testpartij-e', 'testpartij-c', 'testpartij-b', 'testpartij-a', 'testpartij-d']);
    expect(page).toContain('aria-sort="descending"');
    page = await (await admin.get('/beheer?sorteer=herinneringen')).text();
    expect(rowOrder(page)[0]).toBe('testpartij-a');
    page = await (await admin.get('/beheer?sorteer=beantwoord&richting=af')).text();
    expect(rowOrder(page)[0]).toBe('testpartij-b');
  });

  it('answers a made-up or doubled sort with a 400 and a note, never a 500', async () => {
    for (const query of ['sorteer=zetels', 'richting=omhoog', 'sorteer=partij&sorteer=actie', 'export=pdf', 'sorteer=%00']) {
      const response = await admin.get(`/beheer?${query}`);
      expect(response.status, query).toBe(400);
      const body = await response.text();
      if (query.startsWith('export')) expect(body).toContain('Deze sortering of export bestaat niet');
      else expect(textOf(body)).toContain('Deze sortering of export bestaat niet');
    }
    expect((await admin.get('/beheer?export=csv&sorteer=verzonnen')).status).toBe(400);
  });

  it('exports the board as CSV for admins: counts, no addresses, names guarded against formulas', async () => {
    const response = await admin.get('/beheer?export=csv&sorteer=partij');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const body = await response.text();
    for (const address of ADDRESSES) expect(body).not.toContain(address);
    expect(body).not.toContain('@');
    const records: Record<string, string>[] = parse(body, { columns: true, bom: true });
    expect(Object.keys(records[0]!)).toEqual([...STATUS_CSV_COLUMNS]);
    expect(records.map((r) => r.party_slug)).toEqual(['testpartij-d', 'testpartij-a', 'testpartij-b', 'testpartij-c', 'testpartij-e']);
    expect(records[0]!.party_name).toBe("'=Formule Partij");
    const a = records[1]!;
    expect(a).toMatchObject({
      first_asked_by: 'Anna de Vries',
      reminders: '2',
      representatives: '0',
      open_invitations: '2',
      goals_answered: '0',
      goals_total: '4',
      next_action: 'await',
    });
    expect(new Date(a.first_asked_at!).getTime()).toBeGreaterThan(Date.now() - 600_000);
    expect(records[2]).toMatchObject({ first_asked_by: 'cli', representatives: '1', goals_answered: '1', next_action: 'remind' });
    expect(records[4]).toMatchObject({ first_asked_at: '', first_asked_by: '', next_action: 'invite' });
  });

  it('keeps the board and its CSV from everyone but admins', async () => {
    const anonymous = await fetch(new URL('/beheer?export=csv', site.url), { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/inloggen\?terug=/);
    const asRep = await rep.get('/beheer?export=csv');
    expect(asRep.status).toBe(403);
    expect(asRep.headers.get('content-type')).toContain('text/html');
    expect(await asRep.text()).not.toContain('party_slug');
  });

  it('says on the party page when the party was asked and reminded, and that it has not answered', async () => {
    const [firstInvite] = await site.db.select({ sentAt: outbox.sentAt }).from(outbox).where(eq(outbox.kind, 'invite')).orderBy(outbox.sentAt).limit(1);
    const asked = longDate(firstInvite!.sentAt!);
    const page = textOf(await (await get('/partijen/testpartij-a')).text());
    expect(page).toMatch(new RegExp(`Gevraagd op ${asked}, 2 keer herinnerd \\(laatst op [^)]+\\); nog geen antwoord\\.`));
    const en = textOf(await (await get('/en/parties/testpartij-a')).text());
    expect(en).toMatch(/Asked on [^,]+, reminded 2 times \(last on [^)]+\); no answer yet\./);
    expect(textOf(await (await get('/partijen/testpartij-b')).text())).toMatch(/Gevraagd op [^;]+; eerste antwoord op [^.]+\./);
    expect(textOf(await (await get('/partijen/testpartij-e')).text())).toContain('Nog geen uitnodiging vastgelegd; nog geen antwoord.');
    // The permalink of a "no response" says it too; one with an answer does not need to.
    expect(textOf(await (await get(`/partijen/testpartij-a/doelen/${goals[0]!.slug}`)).text())).toContain(`Gevraagd op ${asked}, 2 keer herinnerd`);
    expect(await (await get(`/partijen/testpartij-b/doelen/${goals[0]!.slug}`)).text()).not.toContain('data-outreach');
  });

  it('says in the scoreboard’s "no response" cells when the party was asked and how often reminded, in a few words', async () => {
    const [firstInvite] = await site.db.select({ sentAt: outbox.sentAt }).from(outbox).where(eq(outbox.kind, 'invite')).orderBy(outbox.sentAt).limit(1);
    const page = await (await get('/')).text();
    const row = page.slice(page.indexOf('href="/partijen/testpartij-a"'), page.indexOf('</tr>', page.indexOf('href="/partijen/testpartij-a"')));
    expect(textOf(row)).toMatch(new RegExp(`Geen reactie \\(Testpartij A[^)]*\\), gevraagd ${shortDate(firstInvite!.sentAt!)}, 2× herinnerd`));
    expect(row.match(/class="board__outreach"/g)).toHaveLength(goals.length);
    // B answered goal 1: its other cells say it; a party never asked gets no words.
    const rowB = page.slice(page.indexOf('href="/partijen/testpartij-b"'), page.indexOf('</tr>', page.indexOf('href="/partijen/testpartij-b"')));
    expect(rowB.match(/class="board__outreach"/g)).toHaveLength(goals.length - 1);
    const rowE = page.slice(page.indexOf('href="/partijen/testpartij-e"'), page.indexOf('</tr>', page.indexOf('href="/partijen/testpartij-e"')));
    expect(rowE).not.toContain('board__outreach');
    expect(textOf(await (await get('/en')).text())).toMatch(/No response \(Testpartij A[^)]*\), asked \d+ \w+, reminded 2×/);
  });

  it('a cached public page shows the new record as soon as an invitation went out', async () => {
    // Cached: the second read is a hit.
    await get('/partijen/testpartij-e');
    const cached = await get('/partijen/testpartij-e');
    expect(cached.headers.get('x-pledgeboard-cache')).toBe('hit');
    expect(textOf(await cached.text())).toContain('Nog geen uitnodiging vastgelegd');
    await get('/');
    expect((await get('/')).headers.get('x-pledgeboard-cache')).toBe('hit');

    // The SMTP server refuses for now: the invitation waits (pending), off the record.
    smtp.behaviour = { mode: 'refuse-connection', code: 421 };
    const invited = await admin.submit('/beheer/uitnodigingen', 'createInvite', { party: 'testpartij-e', emails: 'nieuw@partij-e.example', locale: 'nl' });
    expect(invited.status).toBe(200);
    const mailTo = async () => (await site.db.select().from(outbox).where(eq(outbox.toAddress, 'nieuw@partij-e.example')))[0]!;
    for (let i = 0; i < 100 && (await mailTo()).attempts === 0; i++) await sleep(50);
    expect(await mailTo()).toMatchObject({ status: 'pending', attempts: 1 });
    await get('/partijen/testpartij-e');
    const waiting = await get('/partijen/testpartij-e');
    expect(waiting.headers.get('x-pledgeboard-cache')).toBe('hit');
    expect(textOf(await waiting.text())).toContain('Nog geen uitnodiging vastgelegd');
    // Now it goes out, sent by the background sender, not by a form.
    smtp.behaviour = { mode: 'accept' };
    await site.db.update(outbox).set({ nextAttemptAt: new Date() }).where(eq(outbox.toAddress, 'nieuw@partij-e.example'));
    await untilSent();
    const mail = await mailTo();
    expect(mail.status).toBe('sent');
    // The sender (not a form) made the change: the page follows within a moment.
    let page = '';
    for (let i = 0; i < 40 && !page.includes('Gevraagd op'); i++) {
      page = textOf(await (await get('/partijen/testpartij-e')).text());
      if (!page.includes('Gevraagd op')) await sleep(50);
    }
    expect(page).toContain(`Gevraagd op ${longDate(mail.sentAt!)}; nog geen antwoord.`);
    const board = await (await get('/')).text();
    const rowE = board.slice(board.indexOf('href="/partijen/testpartij-e"'), board.indexOf('</tr>', board.indexOf('href="/partijen/testpartij-e"')));
    expect(textOf(rowE)).toContain(`gevraagd ${shortDate(mail.sentAt!)}`);
  });

  it('scoreboard.json gives each party its outreach, as of a frozen moment too', async () => {
    const body = await (await get('/api/v1/scoreboard.json')).json();
    const a = body.parties.find((p: { slug: string }) => p.slug === 'testpartij-a');
    expect(a.outreach).toMatchObject({ reminders: 2, firstAnsweredAt: null });
    expect(a.outreach.firstAskedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(a.outreach.lastRemindedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const b = body.parties.find((p: { slug: string }) => p.slug === 'testpartij-b');
    expect(b.outreach.firstAnsweredAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const d = body.parties.find((p: { slug: string }) => p.slug === 'testpartij-d');
    expect(d.outreach).toEqual({ firstAskedAt: null, reminders: 0, lastRemindedAt: null, firstAnsweredAt: null });
    const past = await (await get(`/api/v1/scoreboard.json?at=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`)).json();
    for (const party of past.parties) expect(party.outreach).toEqual({ firstAskedAt: null, reminders: 0, lastRemindedAt: null, firstAnsweredAt: null });
  });

  it('never shows an address in a public page or file', async () => {
    const paths = [
      '/',
      '/en',
      '/over',
      '/en/about',
      '/pers-en-data',
      '/partijen/testpartij-a',
      '/partijen/testpartij-b',
      '/partijen/testpartij-c',
      '/partijen/testpartij-e',
      '/en/parties/testpartij-a',
      `/partijen/testpartij-a/doelen/${goals[0]!.slug}`,
      `/doelen/${goals[0]!.slug}`,
      '/vergelijk?partijen=testpartij-a,testpartij-b',
      '/api/v1/scoreboard.json',
      '/api/v1/events.json',
      '/api/v1/pledges.csv',
      '/api/v1/pledges-wide.csv',
      '/feed.xml',
      '/partijen/testpartij-a/feed.xml',
      '/embed/scoreboard',
    ];
    for (const path of paths) {
      const response = await get(path);
      const body = await response.text();
      expect(response.status, path).toBeLessThan(400);
      for (const address of [...ADDRESSES, 'nieuw@partij-e.example']) expect(body, `${path} shows ${address}`).not.toContain(address);
      expect(body, path).not.toMatch(/@partij-[a-e]\.example/);
    }
  });
});
