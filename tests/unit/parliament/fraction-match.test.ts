/**
 * Parliamentary fractions to a campaign's parties: the admin's mapping wins, else name or
 * abbreviation (case, spaces and punctuation aside); anything else is reported, never guessed.
 * Fictional parties only.
 */
import { describe, expect, it } from 'vitest';
import { matchFractions, type MatchableParty, type MatchedFraction, type UnmatchedFraction } from '../../../src/domain/parliament/fraction-match.ts';

const PARTIES: MatchableParty[] = [
  { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP' },
  { slug: 'groen-dorp', name: 'Groen Dorp', abbreviation: 'GD' },
  { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VB' },
  { slug: 'polderunie', name: 'Unie voor de Polder', abbreviation: 'PU' },
];

describe('matchFractions', () => {
  it('matches by name or by abbreviation, case, spaces and punctuation aside', () => {
    const result = matchFractions(['KUSTPARTIJ', 'Groen-Dorp', 'VB'], PARTIES);
    expect(result).toEqual({
      matched: [
        { fraction: 'KUSTPARTIJ', partySlug: 'kustpartij', by: 'name' },
        { fraction: 'Groen-Dorp', partySlug: 'groen-dorp', by: 'name' },
        { fraction: 'VB', partySlug: 'vrije-burgers', by: 'abbreviation' },
      ],
      ignored: [],
      unmatched: [],
    });
  });

  it('reports a fraction that matches no party, never guessing from a part of its name', () => {
    const result = matchFractions(['Polderunie', 'Groep Zeewind'], PARTIES);
    expect(result.matched).toEqual([]);
    expect(result.unmatched).toEqual([
      { fraction: 'Polderunie', reason: 'none', parties: [] },
      { fraction: 'Groep Zeewind', reason: 'none', parties: [] },
    ]);
  });

  it('lets the admin’s mapping win over a match by name, and match what names do not', () => {
    const result = matchFractions(['Polderunie', 'VB'], PARTIES, { polderunie: 'polderunie', 'V.B.': 'kustpartij' });
    expect(result.matched).toEqual([
      { fraction: 'Polderunie', partySlug: 'polderunie', by: 'mapping' },
      { fraction: 'VB', partySlug: 'kustpartij', by: 'mapping' },
    ]);
  });

  it('ignores a fraction the admin mapped to no party', () => {
    expect(matchFractions(['Groep Zeewind'], PARTIES, { 'Groep Zeewind': null })).toEqual({ matched: [], ignored: ['Groep Zeewind'], unmatched: [] });
  });

  it('reports a mapping to a party the campaign does not have, or a mapping that contradicts itself', () => {
    expect(matchFractions(['Groep Zeewind'], PARTIES, { 'Groep Zeewind': 'zeewind' }).unmatched).toEqual([
      { fraction: 'Groep Zeewind', reason: 'mapped-party-missing', parties: ['zeewind'] },
    ]);
    expect(matchFractions(['Groep Zeewind'], PARTIES, { 'Groep Zeewind': 'kustpartij', 'groep zeewind': 'groen-dorp' }).unmatched).toEqual([
      { fraction: 'Groep Zeewind', reason: 'conflicting-mapping', parties: [] },
    ]);
  });

  it('reports a fraction that two parties could be', () => {
    const parties = [...PARTIES, { slug: 'gd-nieuw', name: 'GD', abbreviation: 'GDN' }];
    expect(matchFractions(['GD'], parties).unmatched).toEqual([{ fraction: 'GD', reason: 'several', parties: ['gd-nieuw', 'groen-dorp'] }]);
  });

  it('takes neither of two fractions that come to one party', () => {
    const result = matchFractions(['Vrije Burgers', 'VB', 'Kustpartij'], PARTIES);
    const matched: MatchedFraction[] = [{ fraction: 'Kustpartij', partySlug: 'kustpartij', by: 'name' }];
    expect(result.matched).toEqual(matched);
    const unmatched: UnmatchedFraction[] = [
      { fraction: 'Vrije Burgers', reason: 'shared', parties: ['vrije-burgers'] },
      { fraction: 'VB', reason: 'shared', parties: ['vrije-burgers'] },
    ];
    expect(result.unmatched).toEqual(unmatched);
  });

  it('counts spellings of one fraction once', () => {
    expect(matchFractions(['Kustpartij', 'kustpartij'], PARTIES).matched).toEqual([{ fraction: 'Kustpartij', partySlug: 'kustpartij', by: 'name' }]);
  });
});
