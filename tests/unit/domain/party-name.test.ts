/**
 * "Name (abbreviation)" only when the abbreviation tells the reader something: a party whose
 * abbreviation is its name (fictional "Kr8t" / "KR8T") is shown once, not "Kr8t (KR8T)".
 */
import { describe, expect, it } from 'vitest';
import { partyAbbreviation, partyLabel } from '../../../src/domain/party-name.ts';

describe("a party's name and abbreviation", () => {
  it('shows both when they differ', () => {
    const party = { name: 'Testpartij A', abbreviation: 'TPA' };
    expect(partyAbbreviation(party)).toBe('TPA');
    expect(partyLabel(party)).toBe('Testpartij A (TPA)');
  });

  it.each([
    ['Kr8t', 'KR8T'],
    ['Kr8t', 'kr8t'],
    ['Groen Rood', 'GROENROOD'],
    ['Wij-Samen', 'Wij Samen'],
    ['Blauw!', 'BLAUW'],
  ])('shows %s once when the abbreviation is %s', (name, abbreviation) => {
    expect(partyAbbreviation({ name, abbreviation })).toBeNull();
    expect(partyLabel({ name, abbreviation })).toBe(name);
  });

  it('keeps an abbreviation that is only part of the name', () => {
    expect(partyLabel({ name: 'Kr8t Plus', abbreviation: 'KR8T' })).toBe('Kr8t Plus (KR8T)');
  });
});
