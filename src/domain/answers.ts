/**
 * What counts as a party's answer: the one rule that the public record (outreach.ts: first
 * answered), the status board (goals answered, "n of 4"), the reminders ("has not answered all
 * goals") and the scoreboard's summary ("have not responded yet") all read from here, so they
 * can never disagree about a party.
 *
 * A goal is answered when the party's own representative saved a pledge on it: a pledge_events
 * row with actor_role 'rep'. Roles are rep, admin and system (the command line, imports, demo
 * and test data); only a representative speaks for the party. So:
 * - A goal the party answered and the campaign later corrected (an admin's version) IS answered:
 *   the party did answer; the correction changes what is shown, not whether it answered. It
 *   stays answered, and its first answer is the representative's save, not the correction.
 * - A goal only an admin or the system ever set is NOT answered: nobody of the party said it.
 *   The board shows that stance (marked as the campaign's), but it is not the party's answer.
 * - A party first answered at its earliest such event (any goal).
 */
import { and, countDistinct, eq, inArray, lte, min, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { pledgeEvents } from '../db/schema.ts';
import type { StanceRow } from './scoreboard.ts';

/** The only role whose pledge is the party's answer. */
const ANSWERING_ROLE = 'rep' as const;

/** The condition on pledge_events that makes a row a party's answer. */
export const isPartyAnswer: SQL = eq(pledgeEvents.actorRole, ANSWERING_ROLE);

/** Whether a version saved by this role is the party's answer. */
export function isAnswerBy(role: 'rep' | 'admin' | 'system'): boolean {
  return role === ANSWERING_ROLE;
}

export interface PartyAnswers {
  /** Campaign goals the party answered (distinct). */
  goals: number;
  /** Its first answer on any of them. */
  firstAt: Date;
}

/**
 * Per party that answered at least one of these goals: how many, and when first (parties that
 * answered none are absent). `asOf` reads the history as it stood then; `partyIds` narrows it.
 */
export async function loadAnswers(
  db: Db,
  campaignId: number,
  goalSlugs: readonly string[],
  { asOf = null, partyIds = null }: { asOf?: Date | null; partyIds?: readonly number[] | null } = {},
): Promise<Map<number, PartyAnswers>> {
  if (goalSlugs.length === 0 || partyIds?.length === 0) return new Map();
  const rows = await db
    .select({ partyId: pledgeEvents.partyId, goals: countDistinct(pledgeEvents.goalSlug), firstAt: min(pledgeEvents.occurredAt) })
    .from(pledgeEvents)
    .where(
      and(
        isPartyAnswer,
        eq(pledgeEvents.campaignId, campaignId),
        inArray(pledgeEvents.goalSlug, [...goalSlugs]),
        asOf ? lte(pledgeEvents.occurredAt, asOf) : undefined,
        partyIds ? inArray(pledgeEvents.partyId, [...partyIds]) : undefined,
      ),
    )
    .groupBy(pledgeEvents.partyId);
  return new Map(rows.map((row) => [row.partyId, { goals: Number(row.goals), firstAt: row.firstAt! }]));
}

/** How many of the goals a party answered (0 when absent). */
export function goalsAnsweredOf(all: ReadonlyMap<number, PartyAnswers>, partyId: number): number {
  return all.get(partyId)?.goals ?? 0;
}

/**
 * Which parties of these board rows answered at least one goal (the scoreboard's summary counts
 * the others as "not responded yet"). A row mostly tells by itself: a version shown that is the
 * party's own means answered; no stance at all means not. Only a row whose stances are all the
 * campaign's or the system's needs the history (the party may have answered before a
 * correction): one query for those, and none on a board where no such row is shown.
 */
export async function partiesThatAnswered(
  db: Db,
  campaignId: number,
  rows: readonly StanceRow[],
  goalSlugs: readonly string[],
  asOf: Date | null = null,
): Promise<Set<number>> {
  const answered = new Set<number>();
  const unsure: number[] = [];
  for (const row of rows) {
    if (row.cells.some((cell) => cell.byParty)) answered.add(row.party.id);
    else if (row.cells.some((cell) => cell.stance !== 'none')) unsure.push(row.party.id);
  }
  if (unsure.length === 0) return answered;
  // A long list of ids costs more to send than the few rows it saves: past a page's worth, ask for all.
  const partyIds = unsure.length <= 100 ? unsure : null;
  const unsureOnes = new Set(unsure);
  for (const partyId of (await loadAnswers(db, campaignId, goalSlugs, { asOf, partyIds })).keys()) if (unsureOnes.has(partyId)) answered.add(partyId);
  return answered;
}
