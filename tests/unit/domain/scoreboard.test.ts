import { describe, expect, it } from 'vitest';
import type { Party } from '../../../src/domain/parties.ts';
import type { Pledge } from '../../../src/domain/pledges.ts';
import { buildScoreboard } from '../../../src/domain/scoreboard.ts';

const goals = [
  { slug: 'tweede', number: 2 },
  { slug: 'eerste', number: 1 },
];

function party(id: number, slug: string, updatedAt = new Date('2026-01-01T00:00:00Z')): Party {
  return {
    id,
    slug,
    name: slug,
    abbreviation: slug.toUpperCase(),
    seats: 1,
    website: null,
    retiredAt: null,
    createdAt: updatedAt,
    updatedAt,
  };
}

function pledge(partyId: number, goalSlug: string, stance: Pledge['stance'], updatedAt: string): Pledge {
  return {
    id: partyId * 100 + goalSlug.length,
    campaignId: 1,
    partyId,
    goalSlug,
    stance,
    statement: `${stance} statement`,
    evidenceUrl: null,
    evidencePage: null,
    version: 1,
    updatedByName: 'Rep',
    updatedByRole: 'rep',
    updatedByUserId: null,
    correctionReason: null,
    createdAt: new Date(updatedAt),
    updatedAt: new Date(updatedAt),
  };
}

describe('buildScoreboard', () => {
  it('shows goals in campaign order, whatever order they are given in', () => {
    const board = buildScoreboard(goals, [party(1, 'a')], []);
    expect(board.goals.map((g) => g.slug)).toEqual(['eerste', 'tweede']);
    expect(board.rows[0]!.cells.map((c) => c.goalSlug)).toEqual(['eerste', 'tweede']);
  });

  it('marks a goal without a pledge as "none", which is not "declined"', () => {
    const board = buildScoreboard(goals, [party(1, 'a')], [pledge(1, 'eerste', 'declined', '2026-02-01T00:00:00Z')]);
    expect(board.rows[0]!.cells.map((c) => c.stance)).toEqual(['declined', 'none']);
    expect(board.rows[0]!.cells[1]!.pledge).toBeNull();
  });

  it('counts every stance per goal and per party', () => {
    const board = buildScoreboard(
      goals,
      [party(1, 'a'), party(2, 'b'), party(3, 'c')],
      [
        pledge(1, 'eerste', 'committed', '2026-02-01T00:00:00Z'),
        pledge(2, 'eerste', 'committed', '2026-02-01T00:00:00Z'),
        pledge(3, 'eerste', 'partial', '2026-02-01T00:00:00Z'),
        pledge(1, 'tweede', 'declined', '2026-02-01T00:00:00Z'),
      ],
    );
    expect(board.countsByGoal.eerste).toEqual({ committed: 2, partial: 1, declined: 0, none: 0 });
    expect(board.countsByGoal.tweede).toEqual({ committed: 0, partial: 0, declined: 1, none: 2 });
    expect(board.rows.map((r) => r.counts.committed)).toEqual([1, 1, 0]);
    expect(board.rows[2]!.counts).toEqual({ committed: 0, partial: 1, declined: 0, none: 1 });
  });

  it('keeps the parties in the order given', () => {
    const board = buildScoreboard(goals, [party(2, 'b'), party(1, 'a')], []);
    expect(board.rows.map((r) => r.party.slug)).toEqual(['b', 'a']);
  });

  it('ignores pledges on goals the campaign does not have', () => {
    const board = buildScoreboard(goals, [party(1, 'a')], [pledge(1, 'vervallen', 'committed', '2030-01-01T00:00:00Z')]);
    expect(board.rows[0]!.counts.none).toBe(2);
    expect(board.updatedAt).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('is last updated at the latest party or pledge change', () => {
    const board = buildScoreboard(
      goals,
      [party(1, 'a', new Date('2026-03-01T00:00:00Z')), party(2, 'b')],
      [pledge(2, 'eerste', 'committed', '2026-04-01T12:00:00Z'), pledge(1, 'tweede', 'partial', '2026-02-01T00:00:00Z')],
    );
    expect(board.updatedAt).toEqual(new Date('2026-04-01T12:00:00Z'));
  });

  it('has no update time when there are no parties', () => {
    expect(buildScoreboard(goals, [], []).updatedAt).toBeNull();
  });
});
