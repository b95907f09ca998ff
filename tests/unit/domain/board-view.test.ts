import { describe, expect, it } from 'vitest';
import { countsByGoal, filterRows, parseBoardQuery, sortRows, summarizeBoard, totalCounts } from '../../../src/domain/board-view.ts';
import type { Party } from '../../../src/domain/parties.ts';
import type { BoardRow } from '../../../src/domain/scoreboard.ts';
import type { BoardStance } from '../../../src/domain/stances.ts';

function row(name: string, seats: number, stances: BoardStance[]): BoardRow {
  const party = { id: seats, slug: name.toLowerCase(), name, abbreviation: name, seats } as Party;
  const counts = { committed: 0, partial: 0, declined: 0, none: 0 };
  for (const s of stances) counts[s]++;
  return {
    party,
    counts,
    cells: stances.map((stance, i) => ({
      goalSlug: `doel-${i + 1}`,
      stance,
      pledge: null,
      hiddenReason: null,
      corrected: false,
      byParty: false,
      correctedByCampaign: null,
      check: null,
      checked: null,
    })),
  };
}

const rows = [
  row('Zeewind', 24, ['committed', 'none']),
  row('Éénheid', 3, ['committed', 'committed']),
  row('Appel', 24, ['partial', 'declined']),
  row('Brug', 7, ['none', 'none']),
];

describe('ordering and narrowing the scoreboard', () => {
  it('sorts by seats, then by name', () => {
    expect(sortRows(rows, 'seats', 'nl').map((r) => r.party.name)).toEqual(['Appel', 'Zeewind', 'Brug', 'Éénheid']);
  });

  it('sorts by name the way a Dutch reader does (accents are not last)', () => {
    expect(sortRows(rows, 'name', 'nl').map((r) => r.party.name)).toEqual(['Appel', 'Brug', 'Éénheid', 'Zeewind']);
  });

  it('sorts by commitments, then partial commitments, then seats', () => {
    expect(sortRows(rows, 'commitments', 'en').map((r) => r.party.name)).toEqual(['Éénheid', 'Zeewind', 'Appel', 'Brug']);
  });

  it('keeps parties with a stance on any goal, or on one goal', () => {
    expect(filterRows(rows, { stance: 'none', goal: null }).map((r) => r.party.name)).toEqual(['Zeewind', 'Brug']);
    expect(filterRows(rows, { stance: 'none', goal: 'doel-1' }).map((r) => r.party.name)).toEqual(['Brug']);
    expect(filterRows(rows, { stance: null, goal: 'doel-1' })).toHaveLength(4);
  });

  it('counts every cell of the board', () => {
    expect(totalCounts(rows)).toEqual({ committed: 3, partial: 1, declined: 1, none: 3 });
  });

  it('counts per goal only the rows it is given (the parties shown)', () => {
    expect(countsByGoal(['doel-1', 'doel-2'], rows)).toEqual({
      'doel-1': { committed: 2, partial: 1, declined: 0, none: 1 },
      'doel-2': { committed: 1, partial: 0, declined: 1, none: 2 },
    });
    expect(countsByGoal(['doel-1', 'doel-2'], filterRows(rows, { stance: 'none', goal: null }))).toEqual({
      'doel-1': { committed: 1, partial: 0, declined: 0, none: 1 },
      'doel-2': { committed: 0, partial: 0, declined: 0, none: 2 },
    });
    // No rows shown: every goal still has its (zero) counts; only the goals asked for.
    expect(countsByGoal(['doel-2'], [])).toEqual({ 'doel-2': { committed: 0, partial: 0, declined: 0, none: 0 } });
    expect(Object.keys(countsByGoal(['doel-1'], rows))).toEqual(['doel-1']);
  });

  it('ignores query values it does not know', () => {
    expect(parseBoardQuery({ sort: 'random', stance: 'maybe', goal: 'verzonnen' }, ['doel-1'])).toEqual({ sort: 'seats', stance: null, goal: null });
    expect(parseBoardQuery({ sort: 'name', stance: 'declined', goal: 'doel-1' }, ['doel-1'])).toEqual({ sort: 'name', stance: 'declined', goal: 'doel-1' });
  });
});

describe('the board in one line: parties, not cells', () => {
  /** Here every party with a stance answered it itself (which parties did is answers.ts's to say). */
  const spoke = (list: BoardRow[]) => new Set(list.filter((r) => r.counts.none < r.cells.length).map((r) => r.party.id));

  it('counts the parties that commit to every goal and those that said nothing at all', () => {
    // Zeewind commits to one goal and said nothing on the other: neither all nor none.
    expect(summarizeBoard(rows, 2, spoke(rows))).toEqual({ parties: 4, committedToAll: 1, noResponse: 1, goals: 2 });
  });

  it('counts zero, one and all', () => {
    const none = [row('A', 1, ['partial', 'declined']), row('B', 2, ['committed', 'partial'])];
    expect(summarizeBoard(none, 2, spoke(none))).toMatchObject({ parties: 2, committedToAll: 0, noResponse: 0 });
    const all = [row('A', 1, ['committed', 'committed']), row('B', 2, ['committed', 'committed'])];
    expect(summarizeBoard(all, 2, spoke(all))).toMatchObject({ parties: 2, committedToAll: 2, noResponse: 0 });
    const silent = [row('A', 1, ['none', 'none'])];
    expect(summarizeBoard(silent, 2, spoke(silent))).toMatchObject({ parties: 1, committedToAll: 0, noResponse: 1 });
  });

  it('counts a party with stances it did not answer itself as not responded', () => {
    // Appel's stances were filled in by the campaign or the system: no answer of its own.
    const board = [row('Appel', 5, ['partial', 'declined']), row('Zeewind', 6, ['committed', 'none']), row('Brug', 7, ['none', 'none'])];
    expect(summarizeBoard(board, 2, new Set([6]))).toEqual({ parties: 3, committedToAll: 0, noResponse: 2, goals: 2 });
  });

  it('counts only the rows it is given (the parties a filter shows)', () => {
    const shown = filterRows(rows, { stance: 'none', goal: null });
    expect(summarizeBoard(shown, 2, spoke(shown))).toEqual({ parties: 2, committedToAll: 0, noResponse: 1, goals: 2 });
  });

  it('has nothing to count on an empty board or one without goals', () => {
    expect(summarizeBoard([], 4, new Set())).toEqual({ parties: 0, committedToAll: 0, noResponse: 0, goals: 4 });
    expect(summarizeBoard([row('A', 1, [])], 0, new Set())).toEqual({ parties: 1, committedToAll: 0, noResponse: 0, goals: 0 });
  });
});
