/**
 * The board as it was at a moment in the past, rebuilt from the append-only pledge history:
 * each pledge as its latest event at that moment left it, for the parties on the board then.
 * Two things are as they are now: statements the campaign has hidden stay hidden (see
 * moderation.ts), and a party shows its current name (parties keep no history of their own,
 * only when they were added and retired).
 */
import { and, asc, desc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaignParties, parties, pledgeEvents } from '../db/schema.ts';
import { partyColumns, type Party } from './parties.ts';
import type { Pledge } from './pledges.ts';

/** ISO-8601 timestamps with a time zone: `2026-05-01T12:00:00Z`, `2026-05-01T14:00+02:00`. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * No board existed before this; earlier moments (year 0 above all, which Postgres cannot even
 * store) are refused with a message instead of reaching the database.
 */
const EARLIEST_AT = new Date('2000-01-01T00:00:00Z');

export type AtParse = { ok: true; at: Date | null } | { ok: false; message: 'at.invalid' | 'at.future' | 'at.outOfRange' };

/** Whether the written fields are a real moment: `Date` would roll 30 February over to March. */
function isCalendarMoment(fields: readonly (string | undefined)[]): boolean {
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = fields.map((field) => Number(field ?? 0));
  const leap = year! % 4 === 0 && (year! % 100 !== 0 || year! % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month! - 1];
  return (
    daysInMonth !== undefined && day! >= 1 && day! <= daysInMonth && hour! <= 23 && minute! <= 59 && second! <= 59 && offsetHours! <= 23 && offsetMinutes! <= 59
  );
}

/** Reads `?at=`: absent means live; the future is refused (a few minutes of clock drift aside). */
export function parseAt(value: string | null | undefined, now = new Date()): AtParse {
  if (value === null || value === undefined || value === '') return { ok: true, at: null };
  const match = TIMESTAMP.exec(value);
  const date = new Date(value);
  if (!match || !isCalendarMoment(match.slice(1)) || Number.isNaN(date.getTime())) return { ok: false, message: 'at.invalid' };
  if (date.getTime() < EARLIEST_AT.getTime()) return { ok: false, message: 'at.outOfRange' };
  if (date.getTime() > now.getTime() + 5 * 60 * 1000) return { ok: false, message: 'at.future' };
  return { ok: true, at: date };
}

/** Parties on a campaign's board at that moment (added to it by then, not retired): most seats first, then by name. */
export function partiesAsOf(db: Db, campaignId: number, at: Date): Promise<Party[]> {
  return db
    .select(partyColumns)
    .from(parties)
    .innerJoin(campaignParties, and(eq(campaignParties.partyId, parties.id), eq(campaignParties.campaignId, campaignId)))
    .where(and(lte(campaignParties.createdAt, at), or(isNull(campaignParties.retiredAt), gt(campaignParties.retiredAt, at))))
    .orderBy(desc(campaignParties.seats), asc(campaignParties.name));
}

/** Each pledge of these parties in a campaign as its latest event before (or at) that moment left it. */
export async function pledgesAsOf(db: Db, campaignId: number, partyIds: readonly number[], goalSlugs: readonly string[], at: Date): Promise<Pledge[]> {
  if (partyIds.length === 0 || goalSlugs.length === 0) return [];
  const events = await db
    .selectDistinctOn([pledgeEvents.pledgeId])
    .from(pledgeEvents)
    .where(
      and(
        eq(pledgeEvents.campaignId, campaignId),
        lte(pledgeEvents.occurredAt, at),
        inArray(pledgeEvents.partyId, [...partyIds]),
        inArray(pledgeEvents.goalSlug, [...goalSlugs]),
      ),
    )
    .orderBy(pledgeEvents.pledgeId, desc(pledgeEvents.version));
  return events.map((e) => ({
    id: e.pledgeId,
    campaignId: e.campaignId,
    partyId: e.partyId,
    goalSlug: e.goalSlug,
    stance: e.stanceAfter,
    statement: e.statementAfter,
    evidenceUrl: e.evidenceUrlAfter,
    evidencePage: e.evidencePageAfter,
    version: e.version,
    updatedByName: e.actorName,
    updatedByRole: e.actorRole,
    updatedByUserId: e.actorUserId,
    correctionReason: e.correctionReason,
    createdAt: e.occurredAt,
    updatedAt: e.occurredAt,
  }));
}
