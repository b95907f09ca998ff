/**
 * The Kiesraad's candidate lists, read from either published format into one shape
 * (types.ts), and merged into parties × persons (persons.ts). Pure functions: the importer
 * (CLI, Beheer upload) writes nothing unless the whole file parsed.
 */
import { parseEml230 } from './eml230.ts';
import { parseKiesraadCsv } from './kiesraad-csv.ts';
import type { CandidateListFile } from './types.ts';

export { parseEml230 } from './eml230.ts';
export { parseKiesraadCsv } from './kiesraad-csv.ts';
export { mergeCandidateLists, personKey, type PartyCandidates, type Person, type Standing } from './persons.ts';
export {
  CandidateListError,
  type Candidate,
  type CandidateGender,
  type CandidateList,
  type CandidateListFile,
  type District,
  type ElectionInfo,
} from './types.ts';

/**
 * Either format, told apart by content, not by the file's name: XML starts with "<" (after a
 * BOM and white space), anything else is read as the CSV.
 */
export function parseCandidateListFile(input: Uint8Array | string): CandidateListFile {
  const head = typeof input === 'string' ? input.slice(0, 64) : new TextDecoder('latin1').decode(input.subarray(0, 64));
  return /^(?:\uFEFF|\u00EF\u00BB\u00BF)?\s*</.test(head) ? parseEml230(input) : parseKiesraadCsv(input);
}
