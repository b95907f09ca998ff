/**
 * How a reader can order and narrow the scoreboard: sort by seats, name or number of
 * commitments; show only parties with a given stance (on one goal, or on any). Pure functions
 * over a built Scoreboard, so the page, the embeds and the tests share one rule.
 */
import type { Locale } from './campaign.ts';
import { emptyCounts, type StanceCounts, type StanceRow } from './scoreboard.ts';
import { BOARD_STANCES, type BoardStance } from './stances.ts';

export const BOARD_SORTS = ['seats', 'name', 'commitments'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

export interface BoardQuery {
  sort: BoardSort;
  /** Only parties with this stance… */
  stance: BoardStance | null;
  /** …on this goal (or on any goal when null). */
  goal: string | null;
}

export function parseBoardQuery(raw: { sort: string | null; stance: string | null; goal: string | null }, goalSlugs: readonly string[]): BoardQuery {
  return {
    sort: (BOARD_SORTS as readonly string[]).includes(raw.sort ?? '') ? (raw.sort as BoardSort) : 'seats',
    stance: (BOARD_STANCES as readonly string[]).includes(raw.stance ?? '') ? (raw.stance as BoardStance) : null,
    goal: raw.goal && goalSlugs.includes(raw.goal) ? raw.goal : null,
  };
}

const collators: Record<Locale, Intl.Collator> = {
  nl: new Intl.Collator('nl', { sensitivity: 'base', numeric: true }),
  en: new Intl.Collator('en', { sensitivity: 'base', numeric: true }),
};

function byName(locale: Locale) {
  return (a: StanceRow, b: StanceRow) => collators[locale].compare(a.party.name, b.party.name);
}

export function sortRows<R extends StanceRow>(rows: readonly R[], sort: BoardSort, locale: Locale): R[] {
  const name = byName(locale);
  const sorted = [...rows];
  if (sort === 'name') return sorted.sort(name);
  if (sort === 'commitments') {
    return sorted.sort((a, b) => b.counts.committed - a.counts.committed || b.counts.partial - a.counts.partial || b.party.seats - a.party.seats || name(a, b));
  }
  return sorted.sort((a, b) => b.party.seats - a.party.seats || name(a, b));
}

export function filterRows<R extends StanceRow>(rows: readonly R[], { stance, goal }: Pick<BoardQuery, 'stance' | 'goal'>): R[] {
  if (!stance) return [...rows];
  return rows.filter((row) => row.cells.some((cell) => cell.stance === stance && (!goal || cell.goalSlug === goal)));
}

/** Every cell of the board counted by stance: the board's totals. */
export function totalCounts(rows: readonly StanceRow[]): StanceCounts {
  const total = emptyCounts();
  for (const row of rows) for (const stance of BOARD_STANCES) total[stance] += row.counts[stance];
  return total;
}

/**
 * Per goal, how many of these rows take each stance (the shown rows, when a filter is on).
 * Every goal has its counts, even when no row is shown.
 */
export function countsByGoal(goalSlugs: readonly string[], rows: readonly StanceRow[]): Record<string, StanceCounts> {
  const counts: Record<string, StanceCounts> = Object.fromEntries(goalSlugs.map((slug) => [slug, emptyCounts()]));
  for (const row of rows) {
    for (const cell of row.cells) {
      const goal = counts[cell.goalSlug];
      if (goal) goal[cell.stance]++; // a goal not shown is not counted
    }
  }
  return counts;
}

/** The board in one line: of these parties, how many commit to every goal, and how many said nothing yet. */
export interface BoardSummary {
  /** The parties counted (the rows given: the parties shown). */
  parties: number;
  /** Parties with "committed" on every goal. */
  committedToAll: number;
  /**
   * Parties that answered no goal themselves (answers.ts): no stance at all, or only stances the
   * campaign or the system filled in. The same rule as the party page's "no answer yet".
   */
  noResponse: number;
  goals: number;
}

/**
 * Counts parties, not cells. A board without goals has no party that commits to them all.
 * `answered`: the parties that answered any goal (partiesThatAnswered in answers.ts).
 */
export function summarizeBoard(rows: readonly StanceRow[], goalCount: number, answered: ReadonlySet<number>): BoardSummary {
  const complete = (row: StanceRow, stance: BoardStance) => goalCount > 0 && row.counts[stance] === goalCount;
  return {
    parties: rows.length,
    committedToAll: rows.filter((row) => complete(row, 'committed')).length,
    noResponse: goalCount > 0 ? rows.filter((row) => !answered.has(row.party.id)).length : 0,
    goals: goalCount,
  };
}
