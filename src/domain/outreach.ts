/**
 * The public record of how the campaign approached each party: when it was first asked, how
 * many reminders it got, when the last one went out, and when it first answered. Counted from
 * the outbox by kind and party, never with an address (the agreed rules of issue 13):
 *
 * - Went out: a mail's went_out_at, set once when it was first sent (its sent_at) or, for an
 *   invitation, first held where no mail is sent (its created_at: the admin was shown its link
 *   to pass on), and never changed after: a held invitation a sender later takes and sends
 *   stays counted at the same moment (a frozen board never changes). A held reminder has not
 *   gone out: nobody can read it. A mail that never went out (pending, failed, or cancelled
 *   before either) is not counted.
 * - Asked: the first invitation that went out to anyone of the party; an invitation link counts
 *   by itself, from its created_at, when it was made before the outbox existed (no mail at all)
 *   or was used while its mail never went out (the admin passed it on by hand while the mail
 *   waited; the mail was then cancelled or failed): see linkAsksAlone.
 * - Reminders: one reminder run writes a row per recipient with one created_at; a party's
 *   reminders are the distinct created_at of its reminder mails that went out. The last one
 *   is the latest went_out_at.
 * - Answered: the party's first answer, by the one rule of answers.ts (its own representative's
 *   pledge; a correction by the campaign or a pledge set by the system is not an answer).
 */
import { and, eq, inArray, isNotNull, isNull, lte, notExists, or, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';
import { accountLinks, outbox, pledgeEvents } from '../db/schema.ts';
import { isPartyAnswer } from './answers.ts';

export interface Outreach {
  firstAskedAt: Date | null;
  reminders: number;
  lastRemindedAt: Date | null;
  firstAnsweredAt: Date | null;
}

export const NO_OUTREACH: Readonly<Outreach> = Object.freeze({ firstAskedAt: null, reminders: 0, lastRemindedAt: null, firstAnsweredAt: null });

/** Outbox kinds that are part of the public record. */
const RECORDED_MAIL_KINDS = ['invite', 'reminder'] as const;

/**
 * Every party's outreach, in one query (parties never approached are absent: use NO_OUTREACH).
 * `asOf` gives the record as it stood at a moment (a frozen board); `partyId` one party's only;
 * `answers: false` leaves the pledge history out (firstAnsweredAt null), for the scoreboard,
 * whose cells say only when a party was asked and reminded and whose miss is benchmarked.
 */
export async function loadOutreach(
  db: Db,
  campaignId: number,
  { asOf = null, partyId = null, answers: withAnswers = true }: { asOf?: Date | null; partyId?: number | null; answers?: boolean } = {},
): Promise<Map<number, Outreach>> {
  const ofParty = (column: typeof outbox.partyId | typeof accountLinks.partyId | typeof pledgeEvents.partyId) =>
    partyId === null ? undefined : eq(column, partyId);
  const until = (at: typeof accountLinks.createdAt | typeof pledgeEvents.occurredAt) => (asOf ? lte(at, asOf) : undefined);
  const mailedUntil = asOf ? lte(outbox.wentOutAt, asOf) : undefined;
  const mails = db
    .select({ partyId: sql<number>`${outbox.partyId}`.as('party_id'), kind: outbox.kind, at: sql`${outbox.wentOutAt}`.as('at'), round: outbox.createdAt })
    .from(outbox)
    .where(
      and(
        eq(outbox.campaignId, campaignId),
        inArray(outbox.kind, RECORDED_MAIL_KINDS),
        isNotNull(outbox.wentOutAt),
        isNotNull(outbox.partyId),
        mailedUntil,
        ofParty(outbox.partyId),
      ),
    );
  const unmailedInvites = db
    .select({ partyId: sql<number>`${accountLinks.partyId}`, kind: sql<string>`'invite'`, at: sql`${accountLinks.createdAt}`, round: accountLinks.createdAt })
    .from(accountLinks)
    .where(and(linkAsksAlone(db, campaignId, asOf), ofParty(accountLinks.partyId)));
  const answers = db
    .select({ partyId: sql<number>`${pledgeEvents.partyId}`, kind: sql<string>`'answer'`, at: sql`${pledgeEvents.occurredAt}`, round: pledgeEvents.occurredAt })
    .from(pledgeEvents)
    .where(
      and(
        isPartyAnswer,
        eq(pledgeEvents.campaignId, campaignId),
        until(pledgeEvents.occurredAt),
        ofParty(pledgeEvents.partyId),
        withAnswers ? undefined : sql`false`,
      ),
    );
  const facts = unionAll(mails, unmailedInvites, answers).as('facts');
  const asDate = outbox.createdAt;
  const rows = await db
    .select({
      partyId: facts.partyId,
      firstAskedAt: sql`min(${facts.at}) filter (where ${facts.kind} = 'invite')`.mapWith(asDate),
      reminders: sql`count(distinct ${facts.round}) filter (where ${facts.kind} = 'reminder')`.mapWith(Number),
      lastRemindedAt: sql`max(${facts.at}) filter (where ${facts.kind} = 'reminder')`.mapWith(asDate),
      firstAnsweredAt: sql`min(${facts.at}) filter (where ${facts.kind} = 'answer')`.mapWith(asDate),
    })
    .from(facts)
    .groupBy(facts.partyId);
  return new Map(
    rows.map((row) => [
      Number(row.partyId),
      {
        firstAskedAt: (row.firstAskedAt as Date | null) ?? null,
        reminders: row.reminders,
        lastRemindedAt: (row.lastRemindedAt as Date | null) ?? null,
        firstAnsweredAt: (row.firstAnsweredAt as Date | null) ?? null,
      },
    ]),
  );
}

/**
 * The invitation links that are on the record by themselves, at their created_at (loadOutreach
 * and loadFirstAsks alike): one made before the outbox (no mail at all), and one that was used
 * while its mail never went out. `asOf`: as things stood then (made, used, and no mail out by
 * that moment), so a frozen board never changes.
 */
function linkAsksAlone(db: Db, campaignId: number, asOf: Date | null) {
  const anyMail = db
    .select({ one: sql`1` })
    .from(outbox)
    .where(eq(outbox.accountLinkId, accountLinks.id));
  const mailOut = db
    .select({ one: sql`1` })
    .from(outbox)
    .where(and(eq(outbox.accountLinkId, accountLinks.id), asOf ? lte(outbox.wentOutAt, asOf) : isNotNull(outbox.wentOutAt)));
  return and(
    eq(accountLinks.purpose, 'invite'),
    eq(accountLinks.campaignId, campaignId),
    // A candidate's invitation asks the candidate, not the party.
    isNull(accountLinks.candidateId),
    or(notExists(anyMail), and(asOf ? lte(accountLinks.usedAt, asOf) : isNotNull(accountLinks.usedAt), notExists(mailOut))),
    asOf ? lte(accountLinks.createdAt, asOf) : undefined,
  );
}

/** One party's outreach (NO_OUTREACH when it was never approached). */
export function outreachOf(all: ReadonlyMap<number, Outreach>, partyId: number): Outreach {
  return all.get(partyId) ?? NO_OUTREACH;
}

/** The invitation a party was first asked with: when it went out, and which invitation link it carries. */
export interface FirstAsk {
  at: Date;
  /** Null for an invitation mail that carries no link (then its maker is unknown). */
  accountLinkId: number | null;
}

/**
 * Per party, the one fact its firstAskedAt comes from (the same definition as loadOutreach:
 * an invitation mail that went out, at wentOutAt; an invitation link on the record by itself
 * (linkAsksAlone), at its created_at), with the invitation link it carries, so whoever names the person who asked
 * (the status board) names the invitation whose date is shown. Ties go to the lowest link.
 */
export async function loadFirstAsks(db: Db, campaignId: number): Promise<Map<number, FirstAsk>> {
  const mails = db
    .select({
      partyId: sql<number>`${outbox.partyId}`.as('party_id'),
      at: sql`${outbox.wentOutAt}`.as('at'),
      linkId: sql<number | null>`${outbox.accountLinkId}`.as('link_id'),
    })
    .from(outbox)
    .where(and(eq(outbox.kind, 'invite'), eq(outbox.campaignId, campaignId), isNotNull(outbox.wentOutAt), isNotNull(outbox.partyId)));
  const unmailedInvites = db
    .select({ partyId: sql<number>`${accountLinks.partyId}`, at: sql`${accountLinks.createdAt}`, linkId: sql<number | null>`${accountLinks.id}` })
    .from(accountLinks)
    .where(linkAsksAlone(db, campaignId, null));
  const asks = unionAll(mails, unmailedInvites).as('asks');
  const rows = await db
    .selectDistinctOn([asks.partyId], { partyId: asks.partyId, at: sql<Date>`${asks.at}`.mapWith(outbox.createdAt), linkId: asks.linkId })
    .from(asks)
    .orderBy(asks.partyId, asks.at, sql`${asks.linkId} asc nulls last`);
  return new Map(rows.map((row) => [Number(row.partyId), { at: row.at, accountLinkId: row.linkId === null ? null : Number(row.linkId) }]));
}
