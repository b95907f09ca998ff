/**
 * The outbox and its sender, against a real SMTP server (tests/helpers/smtp.ts) on every
 * engine: delivery (text and HTML, the campaign as sender, both languages), retries after a
 * refused connection, failing for good after the last attempt, no mail sent twice by two
 * senders at once, and no mail lost when a sender is killed in the middle of a send.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type DatabaseTarget, type Db } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { outbox, parties, reminderRuns, reminderSchedule } from '../../src/db/schema.ts';
import { revokeAccountLink, useUpLink } from '../../src/domain/account-links.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { createInvite, resendInvite, revokeInvite } from '../../src/domain/invites.ts';
import { composeMail, inviteMail } from '../../src/domain/mail-texts.ts';
import {
  claimDueMails,
  enqueueMail,
  listOutbox,
  MailHeaderError,
  markMailAttemptFailed,
  markMailSent,
  releaseClaimedMails,
  type MailContext,
} from '../../src/domain/outbox.ts';
import { loadOutreach } from '../../src/domain/outreach.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { requestPasswordReset } from '../../src/domain/password-resets.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { addReminder, reminderMoment, runDueReminders } from '../../src/domain/reminders.ts';
import { startMailWorker, type MailWorker } from '../../src/server/mail-sender.ts';
import { TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS, TEST_PARTIES, testRep } from '../fixtures/board.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createPostgresDatabase, createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const FROM = 'campagne@board.example';
const MAIL: MailContext = {
  campaignName: { nl: 'Houd kinderen veilig – óók online', en: 'Keep children safe – online too' },
  linkTo: (_purpose, token, locale) => `https://board.example${locale === 'en' ? '/en/invitation/' : '/uitnodiging/'}${token}`,
  sending: true,
};
/** Fictional, with characters HTML must escape. */
const ODD_PARTY = { slug: 'partij-tekens', name: 'Partij <Tekens> & "Co"', abbreviation: 'PTC', seats: 1, website: 'https://example.org/tekens' };
const FAST_RETRY = { maxAttempts: 3, firstRetryMs: 150, maxRetryMs: 1000 };
/** Workers in these tests run a round only when told (runOnce). */
const QUIET = { background: false, log: () => {} };

async function seed(db: Db): Promise<void> {
  await importInitialParties(db, TEST_CAMPAIGN_ID, [...TEST_PARTIES, ODD_PARTY]);
}

async function invite(db: Db, email: string, { locale = 'nl', party = 'testpartij-a' }: { locale?: 'nl' | 'en'; party?: string } = {}) {
  const result = await createInvite(db, { campaignId: TEST_CAMPAIGN_ID, partySlug: party, email, locale }, { actor: SYSTEM_ACTOR, mail: MAIL });
  if (result.status !== 'created') throw new Error(result.status);
  return result;
}

async function rowFor(db: Db, email: string) {
  const [row] = await db.select().from(outbox).where(eq(outbox.toAddress, email));
  if (!row) throw new Error(`no mail to ${email}`);
  return row;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ENGINES)('the outbox on %s', (engine) => {
  let test: TestDatabase;
  let smtp: TestSmtpServer;
  const workers: MailWorker[] = [];
  const db = () => test.database.db;
  const worker = (smtpUrl: string, options: Parameters<typeof startMailWorker>[2] = {}, on: Db = db()) => {
    const started = startMailWorker(on, { smtpUrl, from: FROM }, { ...QUIET, ...options });
    workers.push(started);
    return started;
  };

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await seed(db());
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    smtp = await startSmtpServer({ users: { campagne: 'geheim wachtwoord' } });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await smtp.close();
    await db().delete(outbox);
  });

  it('a sender whose lease ran out cannot fail or free a mail another sender claimed; a delivery always counts', async () => {
    await invite(db(), 'lease@partij-a.example');
    const policy = { maxAttempts: 1, firstRetryMs: 1, maxRetryMs: 1 };
    const [first] = await claimDueMails(db(), { limit: 1, leaseMs: 1 });
    await sleep(20);
    const [second] = await claimDueMails(db(), { limit: 1, leaseMs: 60_000 });
    expect(second!.attempts).toBe(first!.attempts + 1);
    // The first sender, late: its failure and its hand-back change nothing of the second's claim.
    await markMailAttemptFailed(db(), first!, 'too late', { permanent: true, policy });
    await releaseClaimedMails(db(), [first!]);
    const during = await rowFor(db(), 'lease@partij-a.example');
    expect([during.status, during.attempts, during.claimedUntil !== null]).toEqual(['pending', second!.attempts, true]);
    // Had the second failed for good, a late delivery by the first would still be recorded.
    await markMailAttemptFailed(db(), second!, 'refused', { permanent: true, policy });
    expect((await rowFor(db(), 'lease@partij-a.example')).status).toBe('failed');
    await markMailSent(db(), first!.id);
    expect((await rowFor(db(), 'lease@partij-a.example')).status).toBe('sent');
  });

  it('delivers an invitation in Dutch and in English: text and HTML, the campaign as sender, one Message-ID', async () => {
    const nl = await invite(db(), 'nl@partij-a.example');
    const en = await invite(db(), 'en@partij-tekens.example', { locale: 'en', party: 'partij-tekens' });
    expect((await rowFor(db(), 'nl@partij-a.example')).status).toBe('pending');

    await worker(smtp.url).runOnce();
    const mails = await smtp.waitForMails(2);
    const byTo = (to: string) => mails.find((m) => m.envelopeTo.includes(to))!;

    const dutch = byTo('nl@partij-a.example');
    expect(dutch.user).toBe('campagne');
    expect(dutch.envelopeFrom).toBe(FROM);
    expect(dutch.parsed.from?.value).toEqual([{ name: MAIL.campaignName.nl, address: FROM }]);
    expect(dutch.parsed.subject).toBe('Uitnodiging: vertegenwoordig Testpartij A bij Houd kinderen veilig – óók online');
    expect(dutch.parsed.text).toContain(`https://board.example/uitnodiging/${nl.token}`);
    expect(dutch.parsed.text).toContain('De link werkt één keer');
    expect(dutch.parsed.html).toContain(`href="https://board.example/uitnodiging/${nl.token}"`);
    expect(dutch.parsed.html).toContain('<html lang="nl">');
    const nlRow = await rowFor(db(), 'nl@partij-a.example');
    expect(dutch.parsed.messageId).toBe(`<${nlRow.messageKey}@board.example>`);
    expect(nlRow).toMatchObject({ status: 'sent', attempts: 1, lastError: null, partyId: expect.any(Number), accountLinkId: nl.link.id });
    expect(nlRow.sentAt).toBeInstanceOf(Date);

    const english = byTo('en@partij-tekens.example');
    expect(english.parsed.from?.value).toEqual([{ name: MAIL.campaignName.en, address: FROM }]);
    expect(english.parsed.subject).toBe('Invitation: represent Partij <Tekens> & "Co" on Keep children safe – online too');
    expect(english.parsed.text).toContain(`https://board.example/en/invitation/${en.token}`);
    expect(english.parsed.text).toContain('Partij <Tekens> & "Co"');
    // In HTML the party's name is text, never markup.
    expect(english.parsed.html).toContain('Partij &lt;Tekens&gt; &amp; &quot;Co&quot;');
    expect(english.parsed.html).not.toContain('<Tekens>');
    expect(english.parsed.html).toContain('<html lang="en">');
  });

  it('retries after a refused connection, later, and then delivers', async () => {
    const port = await closedPort();
    await invite(db(), 'later@partij-a.example');
    const sender = worker(`smtp://127.0.0.1:${port}`, { retry: FAST_RETRY });
    await sender.runOnce();
    const failed = await rowFor(db(), 'later@partij-a.example');
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, claimedUntil: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED|ECONNECTION|connect/i);
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 50);
    // Not due before its pause is over.
    expect(await sender.runOnce()).toBe(0);

    const server = await startSmtpServer({ port });
    try {
      await sleep(FAST_RETRY.firstRetryMs + 50);
      expect(await sender.runOnce()).toBe(1);
      const [mail] = await server.waitForMails(1);
      expect(mail!.envelopeTo).toEqual(['later@partij-a.example']);
      expect(await rowFor(db(), 'later@partij-a.example')).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    } finally {
      await server.close();
    }
  });

  it('retries when the server answers 421 "not now", and marks a mail failed after the last attempt', async () => {
    smtp.behaviour = { mode: 'refuse-connection', code: 421 };
    await invite(db(), 'nooit@partij-a.example');
    const sender = worker(smtp.url, { retry: { ...FAST_RETRY, firstRetryMs: 0 } });
    for (let attempt = 1; attempt <= FAST_RETRY.maxAttempts; attempt++) {
      expect(await sender.runOnce()).toBe(1);
      const row = await rowFor(db(), 'nooit@partij-a.example');
      expect(row.attempts).toBe(attempt);
      expect(row.status).toBe(attempt < FAST_RETRY.maxAttempts ? 'pending' : 'failed');
      expect(row.lastError).toMatch(/421/);
    }
    expect(await sender.runOnce()).toBe(0);
    expect(smtp.received).toEqual([]);
    // Admins see it first.
    await invite(db(), 'andere@partij-a.example');
    expect((await listOutbox(db()))[0]).toMatchObject({ to: 'nooit@partij-a.example', status: 'failed', attempts: 3 });
  });

  it('stops within its grace even while a server hangs; the mail in flight and the rest of the batch stay queued', async () => {
    smtp.behaviour = { mode: 'hang-after-data' };
    await invite(db(), 'hangt@partij-a.example');
    await invite(db(), 'wacht@partij-a.example');
    const sender = worker(smtp.url, { stopGraceMs: 300, retry: FAST_RETRY });
    const round = sender.runOnce();
    await smtp.waitForUnanswered(1);
    const started = Date.now();
    await sender.stop();
    await round;
    expect(Date.now() - started).toBeLessThan(3000);
    const rows = await db().select().from(outbox);
    const inFlight = rows.find((r) => r.toAddress === smtp.unanswered[0]!.envelopeTo[0])!;
    const rest = rows.find((r) => r !== inFlight)!;
    // Cut off: maybe delivered, so tried again later (at least once).
    expect(inFlight).toMatchObject({ status: 'pending', attempts: 1, claimedUntil: null });
    expect(inFlight.lastError).toMatch(/abort/i);
    // Never tried: handed back as it was, no attempt counted.
    expect(rest).toMatchObject({ status: 'pending', attempts: 0, claimedUntil: null, lastError: null });
  });

  it('gives up at once on a permanent refusal (550)', async () => {
    smtp.behaviour = { mode: 'refuse-data', code: 550 };
    await invite(db(), 'onbekend@partij-a.example');
    await worker(smtp.url, { retry: FAST_RETRY }).runOnce();
    expect(await rowFor(db(), 'onbekend@partij-a.example')).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/550/) });
  });

  it('without SMTP_URL keeps mail as held, and a sender that starts sends it', async () => {
    const result = await createInvite(
      db(),
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-a', email: 'bewaard@partij-a.example' },
      { actor: SYSTEM_ACTOR, mail: { ...MAIL, sending: false } },
    );
    expect(result.status).toBe('created');
    expect((await rowFor(db(), 'bewaard@partij-a.example')).status).toBe('held');
    // Without SMTP_URL there is no sender: nothing is done, nothing is written.
    const none = startMailWorker(db(), { smtpUrl: undefined, from: undefined }, QUIET);
    expect(await none.runOnce()).toBe(0);
    expect((await rowFor(db(), 'bewaard@partij-a.example')).status).toBe('held');
    await worker(smtp.url).runOnce();
    await smtp.waitForMails(1);
    expect((await rowFor(db(), 'bewaard@partij-a.example')).status).toBe('sent');
  });

  it('cancels, never sends, an invitation or reset mail whose link was used, revoked or expired meanwhile', async () => {
    const DAY = 24 * 60 * 60 * 1000;
    const used = await invite(db(), 'gebruikt@partij-a.example');
    await useUpLink(db(), used.link.id, new Date());
    const revoked = await invite(db(), 'ingetrokken@partij-a.example');
    expect(await revokeInvite(db(), TEST_CAMPAIGN_ID, revoked.link.id, { actor: SYSTEM_ACTOR })).toBe('revoked');
    const old = await createInvite(
      db(),
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-a', email: 'verlopen@partij-a.example' },
      { actor: SYSTEM_ACTOR, mail: MAIL, now: new Date(Date.now() - 8 * DAY) },
    );
    expect(old.status).toBe('created');
    await invite(db(), 'welkom@partij-a.example');
    const first = await invite(db(), 'opnieuw@partij-a.example');
    expect((await resendInvite(db(), TEST_CAMPAIGN_ID + 1000, first.link.id, { actor: SYSTEM_ACTOR, mail: MAIL })).status).toBe('not-open');
    expect((await resendInvite(db(), TEST_CAMPAIGN_ID, first.link.id, { actor: SYSTEM_ACTOR, mail: MAIL })).status).toBe('resent');

    const reset = async (email: string, now = new Date()) => {
      await createAccount(db(), { email });
      expect(await requestPasswordReset(db(), email, { locale: 'nl', mail: MAIL, now })).toBe('mailed');
      return (await rowFor(db(), email)).accountLinkId!;
    };
    await useUpLink(db(), await reset('reset-gebruikt@campagne.example'), new Date());
    expect(await revokeAccountLink(db(), await reset('reset-ingetrokken@campagne.example'), { actor: SYSTEM_ACTOR })).toBe('revoked');
    await reset('reset-verlopen@campagne.example', new Date(Date.now() - 3 * 60 * 60 * 1000));
    await reset('reset-welkom@campagne.example');

    await worker(smtp.url, { batchSize: 50 }).runOnce();
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['opnieuw@partij-a.example', 'reset-welkom@campagne.example', 'welkom@partij-a.example']);
    const cancelled = Object.fromEntries(
      (await db().select().from(outbox).where(eq(outbox.status, 'cancelled'))).map((row) => [row.toAddress, [row.lastError, row.attempts, row.wentOutAt]]),
    );
    expect(cancelled).toEqual({
      'gebruikt@partij-a.example': ['link-used', 0, null],
      'ingetrokken@partij-a.example': ['link-revoked', 0, null],
      'opnieuw@partij-a.example': ['link-replaced', 0, null],
      'verlopen@partij-a.example': ['link-expired', 0, null],
      'reset-gebruikt@campagne.example': ['link-used', 0, null],
      'reset-ingetrokken@campagne.example': ['link-revoked', 0, null],
      'reset-verlopen@campagne.example': ['link-expired', 0, null],
    });
    // Shown to admins (Beheer → Mail, the CLI's outbox), and never tried again.
    expect((await listOutbox(db())).filter((m) => m.status === 'cancelled')).toHaveLength(7);
    expect(await worker(smtp.url).runOnce()).toBe(0);
  });

  it('cancels, never sends, a reminder to a party that answered every goal, after the deadline, or while pledging is closed', async () => {
    const content = composeMail('nl', { subject: 'Herinnering', campaignName: 'Campagne', blocks: [] });
    const idOf = async (slug: string) => (await db().select({ id: parties.id }).from(parties).where(eq(parties.slug, slug)))[0]!.id;
    const [a, b] = [await idOf('testpartij-a'), await idOf('testpartij-b')];
    const remind = (to: string, partyId: number) =>
      db().transaction((tx) => enqueueMail(tx, { kind: 'reminder', to, locale: 'nl', fromName: 'Campagne', content, partyId, campaignId: TEST_CAMPAIGN_ID }));
    const future = { campaignId: TEST_CAMPAIGN_ID, deadline: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000), goalSlugs: TEST_GOAL_SLUGS };
    const past = { campaignId: TEST_CAMPAIGN_ID, deadline: new Date(Date.now() - 60_000), goalSlugs: TEST_GOAL_SLUGS };

    // B's representative answers every goal after its reminder was queued; A still has goals open.
    await remind('rep@partij-b.example', b);
    await remind('rep@partij-a.example', a);
    for (const goalSlug of TEST_GOAL_SLUGS) {
      const saved = await savePledge(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-b',
        goalSlug,
        goalSlugs: TEST_GOAL_SLUGS,
        baseVersion: 0,
        input: { stance: 'committed', statement: '' },
        actor: testRep(b),
      });
      expect(saved.status).toBe('saved');
    }
    await worker(smtp.url, { reminderCampaign: () => Promise.resolve(future) }).runOnce();
    expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['rep@partij-a.example']);
    expect(await rowFor(db(), 'rep@partij-b.example')).toMatchObject({ status: 'cancelled', lastError: 'party-answered', wentOutAt: null });

    await remind('na-deadline@partij-a.example', a);
    await worker(smtp.url, { reminderCampaign: () => Promise.resolve(past) }).runOnce();
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, 'closed', SYSTEM_ACTOR);
    try {
      await remind('gesloten@partij-a.example', a);
      await worker(smtp.url, { reminderCampaign: () => Promise.resolve(future) }).runOnce();
    } finally {
      await setPledgingOverride(db(), TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
    }
    expect(smtp.received).toHaveLength(1);
    const rows = await db()
      .select()
      .from(outbox)
      .where(inArray(outbox.toAddress, ['na-deadline@partij-a.example', 'gesloten@partij-a.example']))
      .orderBy(outbox.id);
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([
      ['cancelled', 'deadline-passed'],
      ['cancelled', 'pledging-closed'],
    ]);
    // A deadline cleared to none: no-deadline, not "passed".
    await remind('geen-deadline@partij-a.example', a);
    await worker(smtp.url, { reminderCampaign: () => Promise.resolve({ campaignId: TEST_CAMPAIGN_ID, deadline: null, goalSlugs: TEST_GOAL_SLUGS }) }).runOnce();
    expect(await rowFor(db(), 'geen-deadline@partij-a.example')).toMatchObject({ status: 'cancelled', lastError: 'no-deadline' });
    expect(smtp.received).toHaveLength(1);
    // Not in the public record: only A's delivered reminder counts.
    const record = await loadOutreach(db(), TEST_CAMPAIGN_ID);
    expect(record.get(b)?.reminders ?? 0).toBe(0);
    expect(record.get(a)?.reminders).toBe(1);
  });

  it('sends only the newest held reminder round, and none written for a deadline that has moved since', async () => {
    // Weeks without SMTP: the 14-, 7- and 2-day rounds are all held. Then a sender starts.
    const deadline = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
    const moved = new Date(deadline.getTime() + 24 * 60 * 60 * 1000);
    const MINUTE = 60_000;
    const held = { ...MAIL, sending: false, pageTo: () => 'https://board.example/mijn-partij' };
    await createAccount(db(), { email: 'rep@partij-tekens.example', party: ODD_PARTY.slug });
    for (const days of ['14', '7', '2'])
      await addReminder(db(), TEST_CAMPAIGN_ID, days, { actor: SYSTEM_ACTOR, now: new Date(deadline.getTime() - 60 * 24 * 60 * MINUTE) });
    const campaign = (at: Date) => ({ campaignId: TEST_CAMPAIGN_ID, deadline: at, goalSlugs: TEST_GOAL_SLUGS, actor: SYSTEM_ACTOR });
    try {
      for (const days of [14, 7, 2]) {
        const at = new Date(reminderMoment(deadline, days).getTime() + MINUTE);
        expect(await runDueReminders(db(), held, at, campaign(deadline))).toHaveLength(1);
      }
      const mine = () => db().select().from(outbox).where(eq(outbox.toAddress, 'rep@partij-tekens.example')).orderBy(outbox.id);
      expect((await mine()).map((r) => r.status)).toEqual(['held', 'held', 'held']);
      await worker(smtp.url, { batchSize: 50, reminderCampaign: () => Promise.resolve(campaign(deadline)) }).runOnce();
      expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['rep@partij-tekens.example']);
      expect((await mine()).map((r) => [r.status, r.lastError])).toEqual([
        ['cancelled', 'superseded'],
        ['cancelled', 'superseded'],
        ['sent', null],
      ]);

      // A reminder written for one deadline that waits (to retry, or held) while the deadline
      // moves names the old deadline: not sent.
      await db().delete(outbox);
      await db().delete(reminderRuns);
      const again = await runDueReminders(db(), held, new Date(reminderMoment(deadline, 2).getTime() + MINUTE), campaign(deadline));
      expect(again.filter((r) => !r.passedOver).map((r) => r.reminded)).toEqual([[ODD_PARTY.slug]]);
      await worker(smtp.url, { reminderCampaign: () => Promise.resolve(campaign(moved)) }).runOnce();
      expect(smtp.received).toHaveLength(1);
      expect((await mine()).map((r) => [r.status, r.lastError])).toEqual([['cancelled', 'deadline-moved']]);
    } finally {
      await db().delete(outbox);
      await db().delete(reminderRuns);
      await db().delete(reminderSchedule);
    }
  });

  it('a check that fails for one mail (a database blip) does not stop the round: the others go, that one is handed back', async () => {
    const content = composeMail('nl', { subject: 'Herinnering', campaignName: 'Campagne', blocks: [] });
    const [{ id: a }] = (await db().select({ id: parties.id }).from(parties).where(eq(parties.slug, 'testpartij-a'))) as [{ id: number }];
    await db().transaction((tx) =>
      enqueueMail(tx, {
        kind: 'reminder',
        to: 'herinnering@partij-a.example',
        locale: 'nl',
        fromName: 'Campagne',
        content,
        partyId: a,
        campaignId: TEST_CAMPAIGN_ID,
      }),
    );
    await invite(db(), 'na-de-blip@partij-a.example');
    const lines: string[] = [];
    const blip = () => Promise.reject(new Error('connection reset'));
    await worker(smtp.url, { batchSize: 50, reminderCampaign: blip, log: (line) => lines.push(line) }).runOnce();
    await smtp.waitForMails(1);
    expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['na-de-blip@partij-a.example']);
    // Handed back untried: no lease, no attempt counted, still waiting for the next round.
    expect(await rowFor(db(), 'herinnering@partij-a.example')).toMatchObject({ status: 'pending', attempts: 0, claimedUntil: null });
    expect(lines.join('\n')).toContain('connection reset');
  });

  it('refuses a header value with a line break or NUL, and writes nothing', async () => {
    const content = inviteMail('nl', { campaignName: 'X', partyName: 'Y', link: 'https://board.example/x', expiresAt: new Date() });
    const base = { kind: 'invite' as const, to: 'a@b.example', locale: 'nl' as const, fromName: 'Campagne', content };
    for (const bad of [
      { ...base, to: 'a@b.example\r\nBcc: c@d.example' },
      { ...base, to: 'a@b.example, c@d.example' },
      { ...base, fromName: 'Campagne\nBcc: c@d.example' },
      { ...base, content: { ...content, subject: 'Hallo\r\nBcc: c@d.example' } },
      { ...base, content: { ...content, subject: 'Hallo\u0000' } },
    ]) {
      await expect(db().transaction((tx) => enqueueMail(tx, bad))).rejects.toThrow(MailHeaderError);
    }
    expect(await db().select().from(outbox)).toEqual([]);
  });

  it('an invitation that is not made queues no mail (same transaction)', async () => {
    const result = await createInvite(
      db(),
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'bestaat-niet', email: 'x@partij-a.example' },
      { actor: SYSTEM_ACTOR, mail: MAIL },
    );
    expect(result.status).toBe('unknown-party');
    expect(await db().select().from(outbox)).toEqual([]);
  });

  it.runIf(engine === 'postgres')('two senders at once never send one mail twice', async () => {
    const second: Database = await openDatabase(test.target);
    try {
      const emails = Array.from({ length: 24 }, (_, i) => `rep${i}@partij-b.example`);
      for (const email of emails) await invite(db(), email, { party: 'testpartij-b' });
      const a = worker(smtp.url, { batchSize: 3 });
      const b = worker(smtp.url, { batchSize: 3 }, second.db);
      const drain = async (w: MailWorker) => {
        let handled = 0;
        for (let n = await w.runOnce(); n > 0; n = await w.runOnce()) handled += n;
        return handled;
      };
      const [byA, byB] = await Promise.all([drain(a), drain(b)]);
      expect(byA + byB).toBe(emails.length);
      // Both did part of the work (otherwise this test would show nothing).
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
      const mails = await smtp.waitForMails(emails.length);
      await sleep(200);
      expect(smtp.received).toHaveLength(emails.length);
      expect(new Set(mails.map((m) => m.parsed.messageId)).size).toBe(emails.length);
      expect(mails.flatMap((m) => m.envelopeTo).sort()).toEqual([...emails].sort());
    } finally {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await second.close();
    }
  });
});

describe.each(ENGINES)('a sender killed in the middle of a send, on %s', (engine) => {
  const CHILD = path.resolve(import.meta.dirname, '../helpers/mail-sender-child.ts');
  const LEASE_MS = 4000;
  let target: DatabaseTarget;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine === 'postgres') {
      const created = await createPostgresDatabase();
      target = { engine: 'postgres', url: created.url };
      cleanup = created.drop;
    } else {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-outbox-'));
      target = { engine: 'pglite', dataDir: dir };
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
  });
  afterAll(() => cleanup());

  /** PGlite's folder belongs to one process at a time: open, use, close. */
  async function withDb<T>(use: (db: Db) => Promise<T>): Promise<T> {
    const database = await openDatabase(target);
    try {
      await migrateDatabase(database, target);
      return await use(database.db);
    } finally {
      await database.close();
    }
  }

  it('does not lose the mail: after the lease runs out another sender sends it, with the same Message-ID', async () => {
    const smtp = await startSmtpServer({ behaviour: { mode: 'hang-after-data' } });
    try {
      await withDb(async (db) => {
        await seed(db);
        await invite(db, 'zeker@partij-a.example');
      });
      const child = spawn(process.execPath, [CHILD], {
        env: { PATH: process.env.PATH ?? '', PB_TARGET: JSON.stringify(target), SMTP_URL: smtp.url, MAIL_FROM: FROM, LEASE_MS: String(LEASE_MS) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(child, 'exit');
      // The server has the whole message, the sender waits for its answer: kill it now.
      const [unanswered] = await smtp.waitForUnanswered(1, 20_000).catch((error: unknown) => {
        child.kill('SIGKILL');
        throw new Error(`${String(error)}\nchild output:\n${output}`);
      });
      child.kill('SIGKILL');
      await exited;

      smtp.behaviour = { mode: 'accept' };
      await withDb(async (db) => {
        const row = await rowFor(db, 'zeker@partij-a.example');
        // Not marked sent: the sender died before it heard the answer.
        expect(row).toMatchObject({ status: 'pending', attempts: 1 });
        const sender = startMailWorker(db, { smtpUrl: smtp.url, from: FROM }, QUIET);
        try {
          // While the dead sender's lease lives, nobody takes the mail…
          const leaseEnd = row.claimedUntil!.getTime();
          expect(leaseEnd).toBeGreaterThan(Date.now());
          if (leaseEnd - Date.now() > 300) expect(await sender.runOnce()).toBe(0);
          // …after it, the mail goes out again, as the same message.
          await sleep(Math.max(0, leaseEnd - Date.now()) + 100);
          expect(await sender.runOnce()).toBe(1);
          const [delivered] = await smtp.waitForMails(1);
          expect(delivered!.parsed.messageId).toBe(unanswered!.parsed.messageId);
          expect(delivered!.parsed.messageId).toBe(`<${row.messageKey}@board.example>`);
          expect(await rowFor(db, 'zeker@partij-a.example')).toMatchObject({ status: 'sent', attempts: 2 });
        } finally {
          await sender.stop();
        }
      });
    } finally {
      await smtp.close();
    }
  }, 60_000);
});
