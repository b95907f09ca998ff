/**
 * The scoreboard: every active party × every campaign goal, with a stance in each cell
 * ("none" where the party has said nothing), counts per goal and per party, and when the
 * board last changed. `buildScoreboard` is the pure rule; `loadScoreboard` feeds it from the db.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { parties, pledges, statementModerations } from '../db/schema.ts';
import { partiesAsOf, pledgesAsOf } from './as-of.ts';
import { campaignCorrectionOf, type CampaignCorrection } from './corrections.ts';
import { hiddenStatements, versionKey } from './moderation.ts';
import { findActivePartyBySlug, type Party } from './parties.ts';
import type { Pledge } from './pledges.ts';
import { BOARD_STANCES, type BoardStance } from './stances.ts';

export type StanceCounts = Record<BoardStance, number>;

export interface GoalRef {
  slug: string;
  number: number;
}

export interface BoardCell {
  goalSlug: string;
  stance: BoardStance;
  /** null when the party has not responded on this goal. */
  pledge: Pledge | null;
  /** Set when the campaign hid this statement: the public reason, shown in its place. */
  hiddenReason: string | null;
  /** Set when the version shown is an admin's correction, not the party's own save. */
  correctedByCampaign: CampaignCorrection | null;
}

export interface BoardRow {
  party: Party;
  cells: BoardCell[];
  counts: StanceCounts;
}

export interface Scoreboard<G extends GoalRef = GoalRef> {
  goals: G[];
  rows: BoardRow[];
  countsByGoal: Record<string, StanceCounts>;
  /** The latest change to a shown party or pledge; null on an empty board. */
  updatedAt: Date | null;
}

export function emptyCounts(): StanceCounts {
  return Object.fromEntries(BOARD_STANCES.map((s) => [s, 0])) as StanceCounts;
}

function latest(a: Date | null, b: Date): Date {
  return a && a >= b ? a : b;
}

/** Parties keep the order given; goals are shown in campaign order. */
export function buildScoreboard<G extends GoalRef>(
  goals: readonly G[],
  boardParties: readonly Party[],
  boardPledges: readonly Pledge[],
  /** Hidden statement versions (see moderation.ts): version key → reason. */
  hidden: ReadonlyMap<string, string> = new Map(),
): Scoreboard<G> {
  const orderedGoals = [...goals].sort((a, b) => a.number - b.number);
  const byKey = new Map(boardPledges.map((p) => [`${p.partyId}\u0000${p.goalSlug}`, p]));
  const countsByGoal = Object.fromEntries(orderedGoals.map((g) => [g.slug, emptyCounts()]));
  let updatedAt: Date | null = null;

  const rows = boardParties.map((party) => {
    updatedAt = latest(updatedAt, party.updatedAt);
    const counts = emptyCounts();
    const cells = orderedGoals.map((goal): BoardCell => {
      const pledge = byKey.get(`${party.id}\u0000${goal.slug}`) ?? null;
      const stance: BoardStance = pledge?.stance ?? 'none';
      if (pledge) updatedAt = latest(updatedAt, pledge.updatedAt);
      counts[stance]++;
      countsByGoal[goal.slug]![stance]++;
      const hiddenReason = pledge ? (hidden.get(versionKey(pledge.id, pledge.version)) ?? null) : null;
      return { goalSlug: goal.slug, stance, pledge, hiddenReason, correctedByCampaign: campaignCorrectionOf(pledge) };
    });
    return { party, cells, counts };
  });

  return { goals: orderedGoals, rows, countsByGoal, updatedAt };
}

/** The board now, or (with `at`) as it was at that moment, rebuilt from the history. */
export async function loadScoreboard<G extends GoalRef>(db: Db, goals: readonly G[], at: Date | null = null): Promise<Scoreboard<G>> {
  if (!at) return loadLiveScoreboard(db, goals);
  const boardParties = await partiesAsOf(db, at);
  const boardPledges = await pledgesAsOf(
    db,
    boardParties.map((p) => p.id),
    goals.map((g) => g.slug),
    at,
  );
  const hidden = await hiddenStatements(
    db,
    boardPledges.map((p) => p.id),
  );
  return buildScoreboard(goals, boardParties, boardPledges, hidden);
}

/**
 * The live board in one query: a cache miss on election night is one round trip. Parties,
 * their pledges, and the moderation steps of each pledge's current version (usually none).
 */
async function loadLiveScoreboard<G extends GoalRef>(db: Db, goals: readonly G[]): Promise<Scoreboard<G>> {
  const goalSlugs = goals.map((g) => g.slug);
  const rows = await db
    .select({
      party: parties,
      pledge: pledgeColumns,
      moderation: { id: statementModerations.id, hidden: statementModerations.hidden, reason: statementModerations.reason },
    })
    .from(parties)
    .leftJoin(pledges, and(eq(pledges.partyId, parties.id), goalSlugs.length > 0 ? inArray(pledges.goalSlug, goalSlugs) : sql`false`))
    .leftJoin(statementModerations, and(eq(statementModerations.pledgeId, pledges.id), eq(statementModerations.version, pledges.version)))
    .where(isNull(parties.retiredAt))
    .orderBy(desc(parties.seats), asc(parties.name), asc(parties.id), asc(statementModerations.id));
  const boardParties = new Map<number, Party>();
  const boardPledges = new Map<number, Pledge>();
  const hidden = new Map<string, string>();
  for (const { party, pledge, moderation } of rows) {
    boardParties.set(party.id, party);
    if (!pledge) continue;
    boardPledges.set(pledge.id, pledge);
    // Later steps decide (rows come in moderation order).
    if (moderation) {
      const key = versionKey(pledge.id, pledge.version);
      if (moderation.hidden) hidden.set(key, moderation.reason);
      else hidden.delete(key);
    }
  }
  return buildScoreboard(goals, [...boardParties.values()], [...boardPledges.values()], hidden);
}

/** One party's row (retired or not), with its hidden statements applied; with `at`, as it was then. */
export async function loadRowFor<G extends GoalRef>(db: Db, goals: readonly G[], party: Party, at: Date | null = null): Promise<BoardRow> {
  const partyPledges = at
    ? await pledgesAsOf(
        db,
        [party.id],
        goals.map((g) => g.slug),
        at,
      )
    : await db.select().from(pledges).where(eq(pledges.partyId, party.id));
  const hidden = await hiddenStatements(
    db,
    partyPledges.map((p) => p.id),
  );
  return buildScoreboard(goals, [party], partyPledges, hidden).rows[0]!;
}

/** A party's row if it is on the board (now, or at `at`); undefined otherwise. */
export async function loadPartyRow<G extends GoalRef>(db: Db, goals: readonly G[], partySlug: string, at: Date | null = null): Promise<BoardRow | undefined> {
  const party = at ? (await partiesAsOf(db, at)).find((p) => p.slug === partySlug) : await findActivePartyBySlug(db, partySlug);
  return party ? loadRowFor(db, goals, party, at) : undefined;
}

const pledgeColumns = {
  id: pledges.id,
  partyId: pledges.partyId,
  goalSlug: pledges.goalSlug,
  stance: pledges.stance,
  statement: pledges.statement,
  evidenceUrl: pledges.evidenceUrl,
  evidencePage: pledges.evidencePage,
  version: pledges.version,
  updatedByName: pledges.updatedByName,
  updatedByRole: pledges.updatedByRole,
  updatedByUserId: pledges.updatedByUserId,
  correctionReason: pledges.correctionReason,
  createdAt: pledges.createdAt,
  updatedAt: pledges.updatedAt,
};
