/**
 * The status board's "asked on <date> by <person>" (src/domain/status-board.ts), on every
 * engine: the date and the person come from one and the same invitation, and the date is the
 * public record's firstAskedAt (outreach.ts), even when invitations went out in another order
 * than they were made.
 */
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, parties } from '../../src/db/schema.ts';
import { insertAccountLink } from '../../src/domain/account-links.ts';
import { composeMail } from '../../src/domain/mail-texts.ts';
import { enqueueMail, markMailSent } from '../../src/domain/outbox.ts';
import { loadOutreach, outreachOf } from '../../src/domain/outreach.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { loadStatusBoard } from '../../src/domain/status-board.ts';
import { TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS, TEST_PARTIES } from '../fixtures/board.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const CONTENT = composeMail('nl', { subject: 'Uitnodiging', campaignName: 'Campagne', blocks: [] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ENGINES)('who first asked a party, on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;
  const ids = new Map<string, number>();
  const id = (x: string) => ids.get(`testpartij-${x}`)!;

  /** An admin's invitation with its mail, waiting for the sender. */
  async function invite(party: string, email: string, byUserId: number | null, at: Date): Promise<number> {
    return db().transaction(async (tx) => {
      const { link } = await insertAccountLink(
        tx,
        { purpose: 'invite', campaignId: TEST_CAMPAIGN_ID, email, partyId: id(party), createdByUserId: byUserId },
        at,
      );
      const mail = await enqueueMail(tx, {
        kind: 'invite',
        to: email,
        locale: 'nl',
        fromName: 'Campagne',
        content: CONTENT,
        campaignId: TEST_CAMPAIGN_ID,
        partyId: id(party),
        accountLinkId: link.id,
      });
      return mail.id;
    });
  }
  async function send(mailId: number): Promise<void> {
    await db().update(outbox).set({ status: 'pending' }).where(eq(outbox.id, mailId));
    await markMailSent(db(), mailId);
  }

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    for (const p of await db().select({ id: parties.id, slug: parties.slug }).from(parties)) ids.set(p.slug, p.id);
  });
  afterAll(() => test.drop());

  it('names the maker of the invitation whose date it shows: the first that went out, not the first made', async () => {
    const anna = await createAccount(db(), { email: 'anna@campagne.example', name: 'Anna de Vries' });
    const bram = await createAccount(db(), { email: 'bram@campagne.example', name: 'Bram Bakker' });
    // Anna's invitation is made first, but its mail is held up (a refused connection, say);
    // Bram's, made later, goes out first. Anna's goes out after.
    const early = new Date(Date.now() - 60_000);
    const annas = await invite('a', 'een@partij-a.example', anna.user.id, early);
    const brams = await invite('a', 'twee@partij-a.example', bram.user.id, new Date(early.getTime() + 1000));
    await send(brams);
    await sleep(10);
    await send(annas);
    // Party B: an invitation from the command line (no maker) went out before an admin's.
    const cli = await invite('b', 'een@partij-b.example', null, early);
    const later = await invite('b', 'twee@partij-b.example', anna.user.id, early);
    await send(cli);
    await sleep(10);
    await send(later);

    const [board, record] = await Promise.all([loadStatusBoard(db(), TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS), loadOutreach(db(), TEST_CAMPAIGN_ID)]);
    const [bramsSentAt] = (
      await db()
        .select({ at: outbox.sentAt })
        .from(outbox)
        .where(inArray(outbox.id, [brams]))
    ).map((r) => r.at);
    const a = board.find((row) => row.party.slug === 'testpartij-a')!;
    expect(a.firstAsk).toEqual({ at: bramsSentAt, by: 'Bram Bakker' });
    const b = board.find((row) => row.party.slug === 'testpartij-b')!;
    expect(b.firstAsk?.by).toBeNull();
    // The date shown is the public record's, for every party (none for one never asked).
    for (const row of board) {
      expect(row.firstAsk?.at ?? null, row.party.slug).toEqual(outreachOf(record, row.party.id).firstAskedAt);
      expect(row.outreach.firstAskedAt, row.party.slug).toEqual(outreachOf(record, row.party.id).firstAskedAt);
    }
    expect(board.find((row) => row.party.slug === 'testpartij-c')!.firstAsk).toBeNull();
  });
});
