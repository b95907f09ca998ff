/**
 * How a party is named on the page: "Name (ABBR)", unless the abbreviation is the name itself
 * (a party called "Kr8t" with abbreviation "KR8T"), where "Kr8t (KR8T)" would say it twice.
 */
export interface NamedParty {
  name: string;
  abbreviation: string;
}

/** Case, spaces and punctuation aside: "Wij-Samen" and "WIJ SAMEN" are the same word. */
export function letters(text: string): string {
  return text.toLocaleLowerCase('nl').replace(/[^\p{L}\p{N}]/gu, '');
}

/** The abbreviation to show beside the name, or null when it would only repeat the name. */
export function partyAbbreviation(party: NamedParty): string | null {
  return letters(party.abbreviation) === letters(party.name) ? null : party.abbreviation;
}

/** The name with its abbreviation in brackets, or the name alone; for plain text (titles, alt). */
export function partyLabel(party: NamedParty): string {
  const abbreviation = partyAbbreviation(party);
  return abbreviation ? `${party.name} (${abbreviation})` : party.name;
}
