/**
 * The public record of outreach (src/domain/outreach.ts) on every engine, by the rules agreed
 * in issue 13: first asked (sent or held invitations, invitations made before the outbox, and
 * invitation links used while their mail never went out), reminder rounds (distinct created_at
 * of sent reminder mails: a held one reminded nobody), the last reminder, and
 * the first answer; pending and failed mails never count. And the board's version moves when
 * such a mail goes out, so cached public pages show the new record.
 */
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountLinks, outbox, parties } from '../../src/db/schema.ts';
import { insertAccountLink } from '../../src/domain/account-links.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { readBoardVersion } from '../../src/domain/board-version.ts';
import { composeMail } from '../../src/domain/mail-texts.ts';
import { claimDueMails, enqueueMail, markMailAttemptFailed, markMailSent, type MailKind } from '../../src/domain/outbox.ts';
import { loadFirstAsks, loadOutreach, NO_OUTREACH, outreachOf } from '../../src/domain/outreach.ts';
import { importInitialParties, type PartyEntry } from '../../src/domain/parties.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { startMailWorker } from '../../src/server/mail-sender.ts';
import { TEST_CAMPAIGN_ID, TEST_ACTOR, TEST_GOAL_SLUGS, TEST_PARTIES, testRep } from '../fixtures/board.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const EXTRA_PARTIES: PartyEntry[] = ['d', 'e', 'f', 'g', 'h', 'i', 'j'].map((x) => ({
  slug: `testpartij-${x}`,
  name: `Testpartij ${x.toUpperCase()}`,
  abbreviation: `TP${x.toUpperCase()}`,
  seats: 1,
  website: `https://example.org/${x}`,
}));
const CONTENT = composeMail('nl', { subject: 'Onderwerp', campaignName: 'Campagne', blocks: [] });
const ADMIN: Actor = { userId: null, name: 'Campagneteam', role: 'admin', partyId: null, label: 'admin@campagne.example' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ENGINES)('outreach per party on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;
  const ids = new Map<string, number>();
  const id = (slug: string) => ids.get(`testpartij-${slug}`)!;

  /** One transaction = one created_at: a reminder round, or one invitation run. */
  async function queue(kind: MailKind, party: string, to: string[], { held = false } = {}): Promise<number[]> {
    return db().transaction(async (tx) => {
      const made: number[] = [];
      for (const address of to)
        made.push(
          (
            await enqueueMail(tx, {
              kind,
              to: address,
              locale: 'nl',
              fromName: 'Campagne',
              content: CONTENT,
              campaignId: TEST_CAMPAIGN_ID,
              partyId: id(party),
              held,
            })
          ).id,
        );
      return made;
    });
  }
  const createdAt = async (mailId: number) => (await db().select({ at: outbox.createdAt }).from(outbox).where(eq(outbox.id, mailId)))[0]!.at;
  const sentAt = async (mailId: number) => (await db().select({ at: outbox.sentAt }).from(outbox).where(eq(outbox.id, mailId)))[0]!.at!;
  /** What a sender does: claim (status pending), then mark sent. */
  async function send(mailIds: number[]): Promise<void> {
    await db().update(outbox).set({ status: 'pending' }).where(inArray(outbox.id, mailIds));
    for (const mailId of mailIds) await markMailSent(db(), mailId);
  }
  async function fail(mailId: number): Promise<void> {
    await db().update(outbox).set({ status: 'pending', attempts: 8 }).where(eq(outbox.id, mailId));
    await markMailAttemptFailed(db(), { id: mailId, attempts: 8 }, 'refused', { permanent: true, policy: { maxAttempts: 8, firstRetryMs: 1, maxRetryMs: 1 } });
  }

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, [...TEST_PARTIES, ...EXTRA_PARTIES]);
    for (const p of await db().select({ id: parties.id, slug: parties.slug }).from(parties)) ids.set(p.slug, p.id);
  });
  afterAll(() => test.drop());

  it('a party never approached has no record', async () => {
    const all = await loadOutreach(db(), TEST_CAMPAIGN_ID);
    expect(all.has(id('h'))).toBe(false);
    expect(outreachOf(all, id('h'))).toEqual(NO_OUTREACH);
  });

  it('first asked: the earliest invitation that went out, held (created_at) or sent (sent_at); pending and failed never count', async () => {
    const [pending] = await queue('invite', 'a', ['pending@a.example']);
    const [failed] = await queue('invite', 'a', ['failed@a.example']);
    await fail(failed!);
    expect((await loadOutreach(db(), TEST_CAMPAIGN_ID)).has(id('a'))).toBe(false);

    await sleep(5);
    const [held] = await queue('invite', 'a', ['held@a.example'], { held: true });
    await sleep(5);
    const [sent] = await queue('invite', 'a', ['sent@a.example']);
    await send([sent!]);
    expect(outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID), id('a')).firstAskedAt).toEqual(await createdAt(held!));

    // A party whose only invitation went out by SMTP: its sent_at, not when it was queued.
    const [onlySent] = await queue('invite', 'b', ['rep@b.example']);
    await sleep(5);
    await send([onlySent!]);
    const b = outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID), id('b'));
    expect(b.firstAskedAt).toEqual(await sentAt(onlySent!));
    expect(b.firstAskedAt!.getTime()).toBeGreaterThan((await createdAt(onlySent!)).getTime());
    expect(pending).toBeDefined();
  });

  it('first asked: an invitation made before the outbox (a link without mail) counts from its creation; one with an unsent mail does not', async () => {
    const { link: old } = await insertAccountLink(
      db(),
      { purpose: 'invite', campaignId: TEST_CAMPAIGN_ID, email: 'oud@c.example', partyId: id('c') },
      new Date('2026-03-01T10:00:00Z'),
    );
    const { link: queued } = await insertAccountLink(
      db(),
      { purpose: 'invite', campaignId: TEST_CAMPAIGN_ID, email: 'wacht@d.example', partyId: id('d') },
      new Date('2026-03-01T10:00:00Z'),
    );
    await db().transaction((tx) =>
      enqueueMail(tx, {
        kind: 'invite',
        to: 'wacht@d.example',
        locale: 'nl',
        fromName: 'Campagne',
        content: CONTENT,
        campaignId: TEST_CAMPAIGN_ID,
        partyId: id('d'),
        accountLinkId: queued.id,
      }),
    );
    const all = await loadOutreach(db(), TEST_CAMPAIGN_ID);
    expect(outreachOf(all, id('c')).firstAskedAt).toEqual(old.createdAt);
    expect(all.has(id('d'))).toBe(false);
  });

  it('first asked: an invitation link used while its mail never went out counts from the link, in the record and the status board alike', async () => {
    const party = id('j');
    const made = new Date(Date.now() - 60 * 60 * 1000);
    const { link } = await insertAccountLink(db(), { purpose: 'invite', campaignId: TEST_CAMPAIGN_ID, email: 'geplakt@j.example', partyId: party }, made);
    const [mail] = await db().transaction(async (tx) => [
      (
        await enqueueMail(tx, {
          kind: 'invite',
          to: 'geplakt@j.example',
          locale: 'nl',
          fromName: 'Campagne',
          content: CONTENT,
          campaignId: TEST_CAMPAIGN_ID,
          partyId: party,
          accountLinkId: link.id,
        })
      ).id,
    ]);
    // The mail waits to retry; the admin pastes the link; the representative uses it.
    expect((await loadOutreach(db(), TEST_CAMPAIGN_ID)).get(party)?.firstAskedAt ?? null).toBeNull();
    const beforeUse = new Date();
    await sleep(5);
    const version = await readBoardVersion(db());
    await db().update(accountLinks).set({ usedAt: new Date() }).where(eq(accountLinks.id, link.id));
    expect(await readBoardVersion(db())).toBeGreaterThan(version);
    // The sender then cancels the mail (link used), or it fails: it never went out.
    await fail(mail);
    expect(outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID), party).firstAskedAt).toEqual(link.createdAt);
    expect((await loadFirstAsks(db(), TEST_CAMPAIGN_ID)).get(party)).toEqual({ at: link.createdAt, accountLinkId: link.id });
    // A frozen board from before the link was used does not change.
    expect((await loadOutreach(db(), TEST_CAMPAIGN_ID, { asOf: beforeUse })).get(party)?.firstAskedAt ?? null).toBeNull();
  });

  it('reminders: rounds, not mails; sent ones count, held, pending and failed do not; the last is the latest to go out', async () => {
    // Round 0: held (no SMTP here): nobody can read it, nobody was reminded.
    const round0 = await queue('reminder', 'e', ['een@e.example', 'twee@e.example'], { held: true });
    await sleep(5);
    // Round 1: two recipients, both sent, one created_at.
    const round1 = await queue('reminder', 'e', ['een@e.example', 'twee@e.example']);
    await send(round1);
    await sleep(5);
    // Round 2: two recipients, one sent, one failed: the round went out.
    const round2 = await queue('reminder', 'e', ['een@e.example', 'twee@e.example']);
    await sleep(5);
    await send([round2[0]!]);
    await fail(round2[1]!);
    await sleep(5);
    // Round 3: only failed: never arrived. Round 4: still pending: not yet out.
    const round3 = await queue('reminder', 'e', ['een@e.example']);
    await fail(round3[0]!);
    await queue('reminder', 'e', ['een@e.example']);

    const e = outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID), id('e'));
    expect(e.reminders).toBe(2);
    expect((await db().select({ at: outbox.wentOutAt }).from(outbox).where(inArray(outbox.id, round0))).map((r) => r.at)).toEqual([null, null]);
    expect(e.lastRemindedAt).toEqual(await sentAt(round2[0]!));
    expect(await createdAt(round1[0]!)).toEqual(await createdAt(round1[1]!));
    // Reminders without an invitation that went out: asked stays unknown.
    expect(e.firstAskedAt).toBeNull();
  });

  it("first answered: the first version the party's representative saved; a correction by the campaign or a pledge by the system is no answer", async () => {
    const save = (actor: Actor, goalSlug: string, baseVersion: number) =>
      savePledge(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-f',
        goalSlug,
        goalSlugs: TEST_GOAL_SLUGS,
        baseVersion,
        input: { stance: 'committed', statement: '' },
        actor,
        correctionReason: actor.role === 'admin' ? 'Bron nagekeken' : null,
      });
    expect((await save(ADMIN, 'eerste-doel', 0)).status).toBe('saved');
    expect(outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID), id('f')).firstAnsweredAt).toBeNull();
    await sleep(5);
    // Nor is a pledge the system (the command line, an import) set in someone's name.
    expect((await save(TEST_ACTOR, 'tweede-doel', 0)).status).toBe('saved');
    expect(outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID), id('f')).firstAnsweredAt).toBeNull();
    await sleep(5);
    const saved = await save(testRep(id('f')), 'derde-doel', 0);
    expect(saved.status).toBe('saved');
    await sleep(5);
    await save(testRep(id('f')), 'tweede-doel', 1);
    const f = outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID), id('f'));
    expect(f.firstAnsweredAt).toEqual(saved.status === 'saved' ? saved.pledge.updatedAt : null);
    // The scoreboard's lighter read leaves the history out.
    expect((await loadOutreach(db(), TEST_CAMPAIGN_ID, { answers: false })).has(id('f'))).toBe(false);
  });

  it('as of a moment: only what had gone out by then', async () => {
    const [first] = await queue('reminder', 'g', ['een@g.example']);
    await send([first!]);
    const between = new Date((await sentAt(first!)).getTime() + 1);
    await sleep(10);
    const [second] = await queue('reminder', 'g', ['een@g.example']);
    await send([second!]);
    expect(outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID), id('g')).reminders).toBe(2);
    expect(outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID, { asOf: between }), id('g')).reminders).toBe(1);
    expect((await loadOutreach(db(), TEST_CAMPAIGN_ID, { asOf: new Date('2000-01-01T00:00:00Z') })).size).toBe(0);
    const one = await loadOutreach(db(), TEST_CAMPAIGN_ID, { partyId: id('g') });
    expect([...one.keys()]).toEqual([id('g')]);
    expect(one.get(id('g'))).toEqual((await loadOutreach(db(), TEST_CAMPAIGN_ID)).get(id('g')));
  });

  it('a held invitation a sender later takes and sends stays asked at the same moment, and a frozen board does not change', async () => {
    // Mail the tests above left waiting would be claimed and sent too: out of the way.
    await db()
      .delete(outbox)
      .where(inArray(outbox.status, ['pending', 'held']));
    const [held] = await queue('invite', 'i', ['rep@i.example'], { held: true });
    const askedAt = await createdAt(held!);
    const asked = async (asOf: Date | null = null) => outreachOf(await loadOutreach(db(), TEST_CAMPAIGN_ID, { asOf }), id('i')).firstAskedAt;
    expect(await asked()).toEqual(askedAt);
    await sleep(10);
    const frozen = new Date();
    await sleep(10);
    expect(await asked(frozen)).toEqual(askedAt);

    // A sender with SMTP starts: it claims the held mail (pending while it sends) …
    expect(await claimDueMails(db(), { limit: 50, leaseMs: 60_000 })).toMatchObject([{ id: held, status: 'pending' }]);
    expect(await asked()).toEqual(askedAt);
    expect(await asked(frozen)).toEqual(askedAt);
    await sleep(10);
    // … and sends it (a real SMTP server takes it): still asked then, not when it was sent.
    const smtp = await startSmtpServer();
    const sender = startMailWorker(db(), { smtpUrl: smtp.url, from: 'campagne@board.example' }, { background: false, log: () => {} });
    try {
      await db().update(outbox).set({ claimedUntil: null }).where(eq(outbox.id, held!));
      expect(await sender.runOnce()).toBe(1);
      expect((await smtp.waitForMails(1))[0]!.envelopeTo).toEqual(['rep@i.example']);
    } finally {
      await sender.stop();
      await smtp.close();
    }
    expect((await sentAt(held!)).getTime()).toBeGreaterThan(frozen.getTime());
    expect(await asked()).toEqual(askedAt);
    expect(await asked(frozen)).toEqual(askedAt);
  });

  it('moves the board version when an invitation or reminder goes out, not while it waits', async () => {
    const version = () => readBoardVersion(db());
    let before = await version();
    const [mail] = await queue('invite', 'h', ['rep@h.example']);
    expect(await version()).toBe(before); // pending: nothing public changed
    await db().transaction((tx) =>
      enqueueMail(tx, { kind: 'password-reset', to: 'reset@h.example', locale: 'nl', fromName: 'Campagne', content: CONTENT, held: true }),
    );
    expect(await version()).toBe(before); // not part of the record
    const claimed = await claimDueMails(db(), { limit: 50, leaseMs: 60_000 });
    expect(claimed.map((m) => m.id)).toContain(mail);
    before = await version();
    await markMailSent(db(), mail!);
    expect(await version()).toBeGreaterThan(before);

    // A held reminder is not on the record (nobody can read it); sent, it is.
    before = await version();
    const round = await queue('reminder', 'h', ['rep@h.example', 'twee@h.example'], { held: true });
    expect(await version()).toBe(before);
    await send(round);
    expect(await version()).toBeGreaterThan(before);

    // An invitation made without mail is on the record at once.
    before = await version();
    await insertAccountLink(db(), { purpose: 'invite', campaignId: TEST_CAMPAIGN_ID, email: 'zonder@h.example', partyId: id('h') }, new Date());
    expect(await version()).toBeGreaterThan(before);
    before = await version();
    await db().update(accountLinks).set({ usedAt: new Date() }).where(eq(accountLinks.email, 'zonder@h.example'));
    expect(await version()).toBe(before);
  });
});
