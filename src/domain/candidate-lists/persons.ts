/**
 * From lists to people. A candidate stands once on the list of each electoral district
 * (kieskring) in which their group takes part, often at a different position; on the board
 * they are one person.
 *
 * The identity rule: two candidates are the same person when they stand for the same group and
 * have the same initials, first name (roepnaam), prefix, last name, place (woonplaats) and
 * country, compared without regard to case, accents' composition (NFC), surrounding spaces or
 * runs of spaces. The group is its registered name (case and spaces aside), or for a list
 * without one its list number. Not compared: position and district (they differ per
 * district, that is the point), gender (a list may not publish it).
 * What this rule cannot tell apart: two namesakes with the same initials in the same place
 * and group; the Kieswet's own requirement that candidates be recognisable on the ballot makes
 * that all but impossible, and a list holding the same key twice is refused by the parsers.
 * What it splits: a correction of a name or place yields a new key; an importer that must
 * keep the old person should match on (group, district, position) first.
 */
import { CandidateListError, say, type Candidate, type CandidateGender, type CandidateList, type District } from './types.ts';

// Plain toLowerCase: Dutch has no locale-specific case mapping (unlike Turkish), and it is fast.
const fold = (text: string | null) => {
  const value = text ?? '';
  // What the parsers give is already clean (trimmed, one space, NFC): only the case is left.
  if (/^[\x21-\x7E]*(?: [\x21-\x7E]+)*$/.test(value)) return value.toLowerCase();
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
};

/** The group a list belongs to, as a key: the registered name folded, or "#<list number>" when it has none. */
function groupKey(list: Pick<CandidateList, 'groupName' | 'listNumber'>): string {
  const name = fold(list.groupName);
  return name === '' ? `#${list.listNumber}` : name;
}

type NameParts = Pick<Candidate, 'initials' | 'firstName' | 'prefix' | 'lastName' | 'place' | 'country'>;

/** A person's name parts and place as a key (without the group). */
export function nameKey(candidate: NameParts): string {
  return [candidate.initials.replace(/\s+/g, ''), candidate.firstName, candidate.prefix, candidate.lastName, candidate.place, candidate.country]
    .map(fold)
    .join('\u001f');
}

/** The identity of a person across districts (see the rule above); stable across re-imports of the same data. */
export function personKey(list: Pick<CandidateList, 'groupName' | 'listNumber'>, candidate: NameParts): string {
  return `${groupKey(list)}\u001e${nameKey(candidate)}`;
}

export interface Standing {
  district: District;
  listNumber: number;
  position: number;
}

export interface Person {
  key: string;
  initials: string;
  firstName: string | null;
  prefix: string | null;
  lastName: string;
  /** Null unless every list the person stands on publishes gender and gives one. */
  gender: CandidateGender;
  place: string | null;
  country: string | null;
  /** One per district, ordered by district (number, then name). */
  standings: Standing[];
}

export interface PartyCandidates {
  key: string;
  /** As the first list spelled it. */
  groupName: string;
  /** The list numbers the group has (one in a national election; they can differ per district elsewhere). */
  listNumbers: number[];
  /** Ordered by their best (lowest) position, then by name. */
  persons: Person[];
}

const districtKey = (district: District) => (district.number !== null ? `#${district.number}` : `@${fold(district.name)}`);

function compareDistricts(a: District, b: District): number {
  if (a.number !== null && b.number !== null) return a.number - b.number;
  if (a.number !== null) return -1;
  if (b.number !== null) return 1;
  return (a.name ?? '').localeCompare(b.name ?? '', 'nl');
}

/**
 * Parties × persons from the lists of one or more files. The same district and list number
 * twice (the same file given twice, or two files overlapping) is refused: which one is right
 * cannot be told.
 */
export function mergeCandidateLists(lists: readonly CandidateList[]): PartyCandidates[] {
  const seen = new Set<string>();
  const parties = new Map<string, PartyCandidates & { byKey: Map<string, Person> }>();
  for (const list of lists) {
    const where = `${districtKey(list.district)}/${list.listNumber}`;
    if (seen.has(where)) {
      const district = list.district.name ?? String(list.district.number);
      throw new CandidateListError(
        say(`list ${list.listNumber} in district ${district} appears twice`, `lijst ${list.listNumber} in kieskring ${district} staat er twee keer in`),
        { line: list.candidates[0]?.line ?? null },
      );
    }
    seen.add(where);
    const key = groupKey(list);
    let party = parties.get(key);
    if (!party) {
      party = { key, groupName: list.groupName, listNumbers: [], persons: [], byKey: new Map() };
      parties.set(key, party);
    }
    if (!party.listNumbers.includes(list.listNumber)) party.listNumbers.push(list.listNumber);
    for (const candidate of list.candidates) {
      const personId = personKey(list, candidate);
      const shownGender = candidate.publishGender ? candidate.gender : null;
      let person = party.byKey.get(personId);
      if (!person) {
        person = {
          key: personId,
          initials: candidate.initials,
          firstName: candidate.firstName,
          prefix: candidate.prefix,
          lastName: candidate.lastName,
          gender: shownGender,
          place: candidate.place,
          country: candidate.country,
          standings: [],
        };
        party.byKey.set(personId, person);
        party.persons.push(person);
      } else if (person.gender !== shownGender) {
        person.gender = null;
      }
      person.standings.push({ district: list.district, listNumber: list.listNumber, position: candidate.position });
    }
  }
  return [...parties.values()].map(({ key, groupName, listNumbers, persons }) => ({
    key,
    groupName,
    listNumbers: listNumbers.sort((a, b) => a - b),
    persons: persons
      .map((person) => ({ ...person, standings: person.standings.sort((a, b) => compareDistricts(a.district, b.district)) }))
      .map((person) => ({ person, best: Math.min(...person.standings.map((standing) => standing.position)) }))
      .sort((a, b) => a.best - b.best || a.person.lastName.localeCompare(b.person.lastName, 'nl'))
      .map(({ person }) => person),
  }));
}
