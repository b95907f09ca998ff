/**
 * The scoreboard: every active party × every campaign goal, with a stance in each cell
 * ("none" where the party has said nothing), counts per goal and per party, and when the
 * board last changed. `buildScoreboard` is the pure rule; `loadScoreboard` feeds it from the db.
 */
import { and, inArray, isNull, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { parties, pledges } from '../db/schema.ts';
import { partiesAsOf, pledgesAsOf } from './as-of.ts';
import { hiddenStatements, versionKey } from './moderation.ts';
import { findActivePartyBySlug, listActiveParties, type Party } from './parties.ts';
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
      return { goalSlug: goal.slug, stance, pledge, hiddenReason };
    });
    return { party, cells, counts };
  });

  return { goals: orderedGoals, rows, countsByGoal, updatedAt };
}

/** The board now, or (with `at`) as it was at that moment, rebuilt from the history. */
export async function loadScoreboard<G extends GoalRef>(db: Db, goals: readonly G[], at: Date | null = null): Promise<Scoreboard<G>> {
  const goalSlugs = goals.map((g) => g.slug);
  const boardParties = at ? await partiesAsOf(db, at) : await listActiveParties(db);
  let boardPledges: Pledge[];
  if (at) {
    boardPledges = await pledgesAsOf(db, boardParties.map((p) => p.id), goalSlugs, at);
  } else {
    boardPledges =
      boardParties.length === 0 || goalSlugs.length === 0
        ? []
        : await db
            .select(pledgeColumns)
            .from(pledges)
            .innerJoin(parties, eq(parties.id, pledges.partyId))
            .where(and(isNull(parties.retiredAt), inArray(pledges.goalSlug, goalSlugs)));
  }
  const hidden = await hiddenStatements(db, boardPledges.map((p) => p.id));
  return buildScoreboard(goals, boardParties, boardPledges, hidden);
}

/** One party's row (retired or not), with its hidden statements applied; with `at`, as it was then. */
export async function loadRowFor<G extends GoalRef>(db: Db, goals: readonly G[], party: Party, at: Date | null = null): Promise<BoardRow> {
  const partyPledges = at
    ? await pledgesAsOf(db, [party.id], goals.map((g) => g.slug), at)
    : await db.select().from(pledges).where(eq(pledges.partyId, party.id));
  const hidden = await hiddenStatements(db, partyPledges.map((p) => p.id));
  return buildScoreboard(goals, [party], partyPledges, hidden).rows[0]!;
}

/** A party's row if it is on the board (now, or at `at`); undefined otherwise. */
export async function loadPartyRow<G extends GoalRef>(
  db: Db,
  goals: readonly G[],
  partySlug: string,
  at: Date | null = null,
): Promise<BoardRow | undefined> {
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
  createdAt: pledges.createdAt,
  updatedAt: pledges.updatedAt,
};
