/**
 * A campaign's candidates as open data: `candidates.json` and `candidates.csv` (the API's
 * files, described in src/site/openapi.ts). Only what the Kiesraad publishes plus what the
 * candidate signed: the gender only where the list allows it, never an account or an address.
 * `signed` is true when the candidate committed to every goal (a champion, withdrawn or not:
 * `withdrawn` says which).
 */
import type { Goal } from './campaign.ts';
import { candidateName, publicGender, signedAll, type CandidateWithSignatures, type Standing } from './candidates.ts';
import { csvNumber, defuseFormula, writeCsv, type CsvSeparator } from './pledges-csv.ts';

type GoalRef = Pick<Goal, 'slug' | 'number' | 'title'>;

export function toCandidatesJsonV1(list: readonly CandidateWithSignatures[], standings: ReadonlyMap<number, readonly Standing[]>, goals: readonly GoalRef[]) {
  const slugs = goals.map((g) => g.slug);
  return {
    goals: goals.map((g) => ({ slug: g.slug, number: g.number, title: g.title })),
    candidates: list.map(({ candidate, party, signatures }) => ({
      id: candidate.id,
      party: { slug: party.slug, name: party.name },
      position: candidate.position,
      name: candidateName(candidate),
      initials: candidate.initials,
      firstName: candidate.firstName,
      prefix: candidate.prefix,
      lastName: candidate.lastName,
      gender: publicGender(candidate),
      place: candidate.place,
      country: candidate.country,
      districts: (standings.get(candidate.id) ?? []).map((s) => ({
        number: s.districtNumber,
        name: s.districtName,
        listNumber: s.listNumber,
        position: s.position,
      })),
      elected: candidate.electedAt !== null,
      withdrawn: candidate.withdrawnAt !== null,
      signed: signedAll(signatures, slugs),
      signatures: Object.fromEntries(
        slugs.flatMap((slug) => {
          const s = signatures.get(slug);
          return s ? [[slug, { committed: s.committed, statement: s.statement, signedAt: s.signedAt.toISOString() }]] : [];
        }),
      ),
    })),
    licence: { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
  };
}

const CANDIDATE_COLUMNS = [
  'candidate_id',
  'party_slug',
  'party_name',
  'position',
  'name',
  'initials',
  'first_name',
  'prefix',
  'last_name',
  'gender',
  'place',
  'country',
  'districts',
  'elected',
  'withdrawn',
  'signed_all',
] as const;
const GOAL_FIELDS = ['committed', 'statement', 'signed_at'] as const;

/** The header: the candidate's columns, then `goal<n>_committed`, `goal<n>_statement`, `goal<n>_signed_at` per goal. */
export function candidatesCsvColumns(goals: readonly Pick<Goal, 'number'>[]): string[] {
  return [...CANDIDATE_COLUMNS, ...goals.flatMap((g) => GOAL_FIELDS.map((field) => `goal${g.number}_${field}`))];
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/**
 * One row per candidate, in list order per party. `districts` is `kieskring:list/position`
 * for each district, space-separated (`1:1/1 2:1/3`); `goal<n>_committed` is yes, no, or empty
 * when the candidate has not signed that goal. Every free text is defused (no formulas).
 */
export function toCandidatesCsv(
  list: readonly CandidateWithSignatures[],
  standings: ReadonlyMap<number, readonly Standing[]>,
  goals: readonly Pick<Goal, 'slug' | 'number'>[],
  separator: CsvSeparator = 'comma',
): string {
  const slugs = goals.map((g) => g.slug);
  const records = list.map(({ candidate, party, signatures }) => [
    String(candidate.id),
    party.slug,
    defuseFormula(party.name),
    csvNumber(candidate.position, separator),
    defuseFormula(candidateName(candidate)),
    defuseFormula(candidate.initials),
    defuseFormula(candidate.firstName ?? ''),
    defuseFormula(candidate.prefix ?? ''),
    defuseFormula(candidate.lastName),
    publicGender(candidate) ?? '',
    defuseFormula(candidate.place ?? ''),
    defuseFormula(candidate.country ?? ''),
    (standings.get(candidate.id) ?? []).map((s) => `${s.districtNumber}:${s.listNumber}/${s.position}`).join(' '),
    yesNo(candidate.electedAt !== null),
    yesNo(candidate.withdrawnAt !== null),
    yesNo(signedAll(signatures, slugs)),
    ...goals.flatMap((g) => {
      const s = signatures.get(g.slug);
      return s ? [yesNo(s.committed), defuseFormula(s.statement), s.signedAt.toISOString()] : ['', '', ''];
    }),
  ]);
  return writeCsv(candidatesCsvColumns(goals), records, separator);
}
