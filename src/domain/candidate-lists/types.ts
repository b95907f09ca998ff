/**
 * One shape for the Kiesraad's candidate lists, whichever file they came from (EML_NL 230 or
 * the published CSV), and the one error a file that does not parse is refused with.
 * Pure data: no database, no Astro.
 */

/** As the files give it; an X or "unknown" marker is null, as is a missing value. */
export type CandidateGender = 'male' | 'female' | null;

export interface Candidate {
  /** The number on the list in this district ("Nr.", CandidateIdentifier Id); can differ per district. */
  position: number;
  /** Voorletters, as written on the list ("A.B."). */
  initials: string;
  /** Roepnaam (xnl:FirstName), or null. */
  firstName: string | null;
  /** Tussenvoegsel (xnl:NamePrefix), e.g. "van der", or null. */
  prefix: string | null;
  lastName: string;
  /** Only to be shown when `publishGender` is true. */
  gender: CandidateGender;
  /** The list's choice to publish gender ("Publiceer geslacht", kr:ListData PublishGender). */
  publishGender: boolean;
  /** Woonplaats (xal:LocalityName), or null. */
  place: string | null;
  /** Land (xal:CountryNameCode) when the candidate lives abroad, else null. */
  country: string | null;
  /** Where the candidate stands in the file (CSV: the record's line; XML: the line where <Candidate>'s start tag ends). */
  line: number;
}

export interface District {
  /** Kieskring number (ContestIdentifier Id), or null when the file names it only ("geen", a name). */
  number: number | null;
  /** Kieskring name (ContestName), or null when the file gives the number only. */
  name: string | null;
}

export interface CandidateList {
  district: District;
  listNumber: number;
  /** The registered appellation (Politieke Groepering, RegisteredName); "" for a list without one. */
  groupName: string;
  /** "Type" in both formats (e.g. "stel gelijkluidende lijsten"), or null. */
  listType: string | null;
  /** "Taal" / PublicationLanguage ("nl", "fy"), or null. */
  language: string | null;
  /** Ordered by position. */
  candidates: Candidate[];
}

export interface ElectionInfo {
  id: string;
  name: string | null;
  /** ElectionCategory: TK, EK, EP, PS, AB, GR, ER … */
  category: string | null;
  /** kr:ElectionDate, YYYY-MM-DD, or null. */
  date: string | null;
}

export interface CandidateListFile {
  format: 'eml-230' | 'kiesraad-csv';
  /** Only the EML says which election it is. */
  election: ElectionInfo | null;
  lists: CandidateList[];
}

/**
 * A file refused whole. `line` is 1-based (null when the whole file is wrong, e.g. empty);
 * `field` is the CSV column or XML element/attribute; `path` locates an XML element for those
 * who want more than the line ("Contest 2 > Affiliation 1 > Candidate 3").
 */
/** Why a file is refused, in both languages: Beheer shows the reader's, the command line English. */
export interface Reason {
  en: string;
  nl: string;
}

export function say(en: string, nl: string): Reason {
  return { en, nl };
}

export class CandidateListError extends Error {
  readonly line: number | null;
  readonly field: string | null;
  readonly path: string | null;
  /** In English (the command line's). */
  readonly reason: string;
  readonly reasonNl: string;

  constructor(why: Reason, where: { line?: number | null; field?: string | null; path?: string | null } = {}) {
    const reason = why.en;
    const line = where.line ?? null;
    const field = where.field ?? null;
    const parts = [line === null ? null : `line ${line}`, field === null ? null : `field "${field}"`].filter((part) => part !== null);
    const location = parts.length > 0 ? `${parts.join(', ')}: ` : '';
    const path = where.path ?? null;
    super(`${location}${reason}${path ? ` (${path})` : ''}`);
    this.name = 'CandidateListError';
    this.line = line;
    this.field = field;
    this.path = path;
    this.reason = reason;
    this.reasonNl = why.nl;
  }
}
