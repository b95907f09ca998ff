/**
 * The votes summary per party × goal (src/domain/parliament/items.ts): for an item that
 * advances the goal, "for" is in line; for one that undermines it, "against" is; split counts as
 * an item but never in line; did-not-vote and items without the party's vote do not count (an
 * absence is not a vote against the goal).
 */
import { describe, expect, it } from 'vitest';
import { inLineWithGoal, summarizeVotes, type PartyVote } from '../../../src/domain/parliament/items.ts';

const vote = (partySlug: string, position: PartyVote['vote']): PartyVote => ({ partySlug, fraction: partySlug.toUpperCase(), vote: position, mistake: false });

describe('inLineWithGoal', () => {
  it('is "for" on an item that advances the goal, "against" on one that undermines it', () => {
    expect(inLineWithGoal('advances', 'for')).toBe(true);
    expect(inLineWithGoal('advances', 'against')).toBe(false);
    expect(inLineWithGoal('undermines', 'against')).toBe(true);
    expect(inLineWithGoal('undermines', 'for')).toBe(false);
    for (const effect of ['advances', 'undermines'] as const) {
      expect(inLineWithGoal(effect, 'split')).toBe(false);
      expect(inLineWithGoal(effect, 'did-not-vote')).toBe(false);
    }
  });
});

describe('summarizeVotes', () => {
  it('counts the items the party voted on, and those in line with the goal', () => {
    const items = [
      { effect: 'advances' as const, partyVotes: [vote('a', 'for'), vote('b', 'against')] },
      { effect: 'advances' as const, partyVotes: [vote('a', 'for'), vote('b', 'split')] },
      { effect: 'undermines' as const, partyVotes: [vote('a', 'against'), vote('b', 'for')] },
      { effect: 'advances' as const, partyVotes: [vote('a', 'did-not-vote')] },
      // Not voted on (no decision with votes): not counted for anyone.
      { effect: 'advances' as const, partyVotes: [] },
    ];
    expect(summarizeVotes(items, 'a')).toEqual({ inLine: 3, counted: 3 });
    expect(summarizeVotes(items, 'b')).toEqual({ inLine: 0, counted: 3 });
    expect(summarizeVotes(items, 'c')).toEqual({ inLine: 0, counted: 0 });
  });
});
