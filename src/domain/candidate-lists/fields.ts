/**
 * The field rules both parsers share: one line of clean text, positive numbers, gender and
 * yes/no values, and the checks on a finished list (unique positions, no one twice).
 */
import { hasForbiddenCharacters } from '../text.ts';
import { nameKey } from './persons.ts';
import { CandidateListError, say, type Candidate, type CandidateGender, type CandidateList, type Reason } from './types.ts';

interface Where {
  line: number;
  field: string;
  path?: string;
}

/** Where a field is, or how to find out: built only when a field is refused (40,000 candidates are read fast). */
export type At = Where | (() => Where);

function fail(reason: Reason, at: At): never {
  throw new CandidateListError(reason, typeof at === 'function' ? at() : at);
}

/** What the shared rules name, in both languages. */
export const LIST_NUMBER = say('list number', 'lijstnummer');
export const POSITION = say('position', 'plaats');
export const INITIALS = say('initials', 'voorletters');
export const LAST_NAME = say('last name', 'achternaam');

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
const BREAKS = /[\t\r\n\u2028\u2029]/;

/**
 * A field's text: NFC, trimmed, runs of spaces made one. Control characters (NUL, C1 …), tabs and
 * line breaks are refused: no name or place holds one, and a NUL breaks Postgres.
 */
export function cleanText(raw: string, at: At): string {
  if (PRINTABLE_ASCII.test(raw)) {
    const trimmed = raw.trim();
    return trimmed.includes('  ') ? trimmed.replace(/ {2,}/g, ' ') : trimmed;
  }
  if (hasForbiddenCharacters(raw) || BREAKS.test(raw)) {
    const code = [...raw].find((character) => hasForbiddenCharacters(character) || BREAKS.test(character))!.codePointAt(0)!;
    const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    fail(say(`control character ${codePoint} is not allowed`, `stuurteken ${codePoint} is niet toegestaan`), at);
  }
  return raw.normalize('NFC').trim().replace(/ {2,}/g, ' ');
}

export function optionalText(raw: string | undefined, where: At): string | null {
  const text = cleanText(raw ?? '', where);
  return text === '' ? null : text;
}

export function requiredText(raw: string | undefined, where: At, what: Reason): string {
  const text = cleanText(raw ?? '', where);
  if (text === '') fail(say(`${what.en} is empty`, `${what.nl} is leeg`), where);
  return text;
}

/** A list number or position: digits only, 1 to 9999. */
export function positiveNumber(raw: string | undefined, where: At, what: Reason): number {
  const text = cleanText(raw ?? '', where);
  if (!/^\d{1,4}$/.test(text) || Number(text) === 0) {
    fail(
      text === ''
        ? say(`${what.en} is missing`, `${what.nl} ontbreekt`)
        : say(`${JSON.stringify(text)} is not a ${what.en}`, `${JSON.stringify(text)} is geen ${what.nl}`),
      where,
    );
  }
  return Number(text);
}

/** A country, or null for the Netherlands (the files leave it empty, or say NL / Nederland). */
export function country(raw: string | undefined, where: At): string | null {
  const text = optionalText(raw, where);
  return text === null || /^(nl|nld|nederland|netherlands|the netherlands)$/i.test(text) ? null : text;
}

const GENDERS: Record<string, CandidateGender> = {
  male: 'male',
  man: 'male',
  m: 'male',
  female: 'female',
  vrouw: 'female',
  v: 'female',
  f: 'female',
  unknown: null,
  onbekend: null,
  x: null,
  '': null,
};

export function gender(raw: string | undefined, where: At): CandidateGender {
  const text = cleanText(raw ?? '', where).toLowerCase();
  if (!(text in GENDERS))
    fail(say(`${JSON.stringify(text)} is not a gender (man/vrouw/male/female/x)`, `${JSON.stringify(text)} is geen geslacht (man/vrouw/male/female/x)`), where);
  return GENDERS[text]!;
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  ja: true,
  yes: true,
  j: true,
  '1': true,
  false: false,
  nee: false,
  no: false,
  n: false,
  '0': false,
  '': false,
};

/** Yes/no; empty means no (gender then stays unpublished, the careful default). */
export function yesNo(raw: string | undefined, where: At): boolean {
  const text = cleanText(raw ?? '', where).toLowerCase();
  if (!(text in BOOLEANS))
    fail(say(`${JSON.stringify(text)} is not yes or no (true/false, ja/nee)`, `${JSON.stringify(text)} is geen ja of nee (true/false, ja/nee)`), where);
  return BOOLEANS[text]!;
}

/**
 * A list is done: ordered by position, no position twice, no person twice (the Kieswet puts a
 * candidate on a list once; the same name, initials and place twice would merge into one person).
 */
export function finishList(list: CandidateList, fieldOf: { position: string; lastName: string }, pathOf?: (candidate: Candidate) => string): CandidateList {
  const byPosition = new Map<number, Candidate>();
  const byName = new Map<string, Candidate>();
  for (const candidate of list.candidates) {
    const samePosition = byPosition.get(candidate.position);
    if (samePosition) {
      throw new CandidateListError(
        say(
          `position ${candidate.position} is already taken on list ${list.listNumber} by line ${samePosition.line}`,
          `plaats ${candidate.position} op lijst ${list.listNumber} is al bezet door regel ${samePosition.line}`,
        ),
        {
          line: candidate.line,
          field: fieldOf.position,
          path: pathOf?.(candidate),
        },
      );
    }
    byPosition.set(candidate.position, candidate);
    const key = nameKey(candidate);
    const sameName = byName.get(key);
    if (sameName) {
      throw new CandidateListError(
        say(
          `the same candidate as position ${sameName.position} (line ${sameName.line}) stands twice on list ${list.listNumber}`,
          `dezelfde kandidaat als op plaats ${sameName.position} (regel ${sameName.line}) staat twee keer op lijst ${list.listNumber}`,
        ),
        {
          line: candidate.line,
          field: fieldOf.lastName,
          path: pathOf?.(candidate),
        },
      );
    }
    byName.set(key, candidate);
  }
  list.candidates.sort((a, b) => a.position - b.position);
  return list;
}

/**
 * Text from bytes: UTF-8 when the bytes are valid UTF-8 (any BOM dropped), else Windows-1252,
 * what Excel on Windows writes for "CSV (;)". Invalid UTF-8 from any other source is nearly
 * always Windows-1252 or Latin-1, and Windows-1252 is a superset of Latin-1's printable range.
 */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}
