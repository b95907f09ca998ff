/**
 * The public record of how the campaign approached each party: when it was first asked, how
 * many reminders it got, when the last one went out, and when it first answered. Counted from
 * the outbox by kind and party, never with an address (the agreed rules of issue 13):
 *
 * - Went out: a mail's went_out_at, set once when it was first held where no mail is sent (its
 *   created_at) or first sent (its sent_at), and never changed after: a held mail a sender
 *   later takes and sends stays counted at the same moment (a frozen board never changes). A
 *   mail that never went out (pending, failed, or cancelled before either) is not counted.
 * - Asked: the first invitation that went out to anyone of the party; an invitation made
 *   before the outbox existed (an invite link without any mail) counts from its created_at.
 * - Reminders: one reminder run writes a row per recipient with one created_at; a party's
 *   reminders are the distinct created_at of its reminder mails that went out. The last one
 *   is the latest went_out_at.
 * - Answered: the party's first own pledge version (a correction by the campaign is not an answer).
 */
import { and, eq, inArray, isNotNull, lte, ne, notExists, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';
import { accountLinks, outbox, pledgeEvents } from '../db/schema.ts';

export interface Outreach {
  firstAskedAt: Date | null;
  reminders: number;
  lastRemindedAt: Date | null;
  firstAnsweredAt: Date | null;
}

export const NO_OUTREACH: Readonly<Outreach> = Object.freeze({ firstAskedAt: null, reminders: 0, lastRemindedAt: null, firstAnsweredAt: null });

/** Outbox kinds that are part of the public record. */
const RECORDED_MAIL_KINDS = ['invite', 'reminder'] as const;
/** Outbox statuses that mean the mail went out (held: queued where no mail is sent). */
export const WENT_OUT = ['sent', 'held'] as const;

/**
 * Every party's outreach, in one query (parties never approached are absent: use NO_OUTREACH).
 * `asOf` gives the record as it stood at a moment (a frozen board); `partyId` one party's only;
 * `answers: false` leaves the pledge history out (firstAnsweredAt null), for the scoreboard,
 * whose cells say only when a party was asked and reminded and whose miss is benchmarked.
 */
export async function loadOutreach(
  db: Db,
  { asOf = null, partyId = null, answers: withAnswers = true }: { asOf?: Date | null; partyId?: number | null; answers?: boolean } = {},
): Promise<Map<number, Outreach>> {
  const ofParty = (column: typeof outbox.partyId | typeof accountLinks.partyId | typeof pledgeEvents.partyId) =>
    partyId === null ? undefined : eq(column, partyId);
  const until = (at: typeof accountLinks.createdAt | typeof pledgeEvents.occurredAt) => (asOf ? lte(at, asOf) : undefined);
  const mailedUntil = asOf ? lte(outbox.wentOutAt, asOf) : undefined;
  const mails = db
    .select({ partyId: sql<number>`${outbox.partyId}`.as('party_id'), kind: outbox.kind, at: sql`${outbox.wentOutAt}`.as('at'), round: outbox.createdAt })
    .from(outbox)
    .where(and(inArray(outbox.kind, RECORDED_MAIL_KINDS), isNotNull(outbox.wentOutAt), isNotNull(outbox.partyId), mailedUntil, ofParty(outbox.partyId)));
  const unmailedInvites = db
    .select({ partyId: sql<number>`${accountLinks.partyId}`, kind: sql<string>`'invite'`, at: sql`${accountLinks.createdAt}`, round: accountLinks.createdAt })
    .from(accountLinks)
    .where(
      and(
        eq(accountLinks.purpose, 'invite'),
        notExists(
          db
            .select({ one: sql`1` })
            .from(outbox)
            .where(eq(outbox.accountLinkId, accountLinks.id)),
        ),
        until(accountLinks.createdAt),
        ofParty(accountLinks.partyId),
      ),
    );
  const answers = db
    .select({ partyId: sql<number>`${pledgeEvents.partyId}`, kind: sql<string>`'answer'`, at: sql`${pledgeEvents.occurredAt}`, round: pledgeEvents.occurredAt })
    .from(pledgeEvents)
    .where(and(ne(pledgeEvents.actorRole, 'admin'), until(pledgeEvents.occurredAt), ofParty(pledgeEvents.partyId), withAnswers ? undefined : sql`false`));
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

/** One party's outreach (NO_OUTREACH when it was never approached). */
export function outreachOf(all: ReadonlyMap<number, Outreach>, partyId: number): Outreach {
  return all.get(partyId) ?? NO_OUTREACH;
}
