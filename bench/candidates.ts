/**
 * Candidate lists at the sizes of real elections (issue 14), fictional names only:
 * - national: 30 parties × 80 candidates, each list the same in all 20 electoral districts
 *   (48,000 rows in the Kiesraad's CSV, 2,400 people);
 * - municipal: 340 municipalities × 10 lists × 12 candidates (40,800 people), each
 *   municipality a district of its own.
 * The import (parse, merge, write) is timed on a fresh database; then the pages that show
 * candidates are timed from a cold cache: each request an address the cache has not seen.
 */
import { CLI_ACTOR } from '../src/domain/actors.ts';
import { importCandidates } from '../src/domain/candidate-import.ts';
import { mergeCandidateLists, parseCandidateListFile } from '../src/domain/candidate-lists/index.ts';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { rowsOf } from '../src/db/rows.ts';
import { addTestParties, TEST_CAMPAIGN_ID } from '../tests/fixtures/board.ts';

const HEADER =
  'Kieskring;Lijstnummer;Politieke Groepering;Type;Publiceer geslacht;Taal;Nr.;Tussenvoegsel;Achternaam;Voorletters;Roepnaam;Geslacht;Woonplaats;Land';
const PLACES = ['Proefdorp', 'Noordstad', 'Zuidhaven', 'Oostveen', 'Westerbeek', 'Middelburcht', 'Verzinsel', 'Bedachtum'];

export interface CandidateElection {
  name: string;
  /** The parties the file's lists belong to (added to the campaign before the import). */
  parties: { slug: string; name: string; abbreviation: string; seats: number; website: string }[];
  csv: string;
  people: number;
}

function party(i: number) {
  return {
    slug: `lijstpartij-${i + 1}`,
    name: `Lijstpartij ${i + 1}`,
    abbreviation: `LP${i + 1}`,
    seats: 30 - (i % 30),
    website: `https://example.org/lp${i + 1}`,
  };
}

/** 30 parties × 80 candidates, the same list in each of 20 districts. */
export function nationalElection(): CandidateElection {
  const parties = Array.from({ length: 30 }, (_, i) => party(i));
  const rows = [HEADER];
  for (let district = 1; district <= 20; district++) {
    parties.forEach((p, list) => {
      for (let n = 1; n <= 80; n++) {
        rows.push(
          [
            district,
            list + 1,
            p.name,
            'stel gelijkluidende lijsten',
            'ja',
            'nl',
            n,
            '',
            `Kandidaat${list + 1}x${n}`,
            'A.',
            `Voornaam${n}`,
            n % 2 ? 'vrouw' : 'man',
            PLACES[(list + n) % PLACES.length],
            '',
          ].join(';'),
        );
      }
    });
  }
  return { name: 'national (30 parties × 80, 20 districts)', parties, csv: rows.join('\n'), people: 30 * 80 };
}

/** 340 municipalities × 10 lists × 12 candidates, each a person of their own. */
export function municipalElection(): CandidateElection {
  const parties = Array.from({ length: 10 }, (_, i) => party(i));
  const rows = [HEADER];
  for (let town = 1; town <= 340; town++) {
    parties.forEach((p, list) => {
      for (let n = 1; n <= 12; n++) {
        rows.push(
          [
            town,
            list + 1,
            p.name,
            'op zichzelf staande lijst',
            'nee',
            'nl',
            n,
            'van',
            `Gemeente${town}Lijst${list + 1}Nr${n}`,
            'B.',
            '',
            '',
            `Plaats${town}`,
            '',
          ].join(';'),
        );
      }
    });
  }
  return { name: 'municipal (340 × 10 lists × 12)', parties, csv: rows.join('\n'), people: 340 * 10 * 12 };
}

/** Parses, merges and imports an election's file into the test campaign; the milliseconds each step took. */
export async function importElection(db: Db, election: CandidateElection): Promise<{ parseMs: number; importMs: number; people: number }> {
  await addTestParties(db, election.parties);
  const started = performance.now();
  const lists = mergeCandidateLists(parseCandidateListFile(election.csv).lists);
  const parsed = performance.now();
  const result = await importCandidates(db, TEST_CAMPAIGN_ID, lists, { actor: CLI_ACTOR });
  const done = performance.now();
  if (result.status !== 'done') throw new Error(`candidate bench: import ${result.status}`);
  return { parseMs: parsed - started, importMs: done - parsed, people: result.added };
}

/**
 * Signatures for the bench: every third candidate signs every goal as committed (the champions),
 * written in one statement in the name of one (fictional) account.
 */
export async function signEveryThird(db: Db, goalSlugs: readonly string[]): Promise<number> {
  const [user] = rowsOf<{ id: number }>(
    await db.execute(sql`insert into users (email, display_name, role, password_hash) values ('bench@example.org', 'Bench', 'admin', 'x') returning id`),
  );
  await db.execute(sql`insert into candidate_signatures (candidate_id, goal_slug, committed, statement, by_user_id)
    select c.id, g.slug, true, 'Ik teken.', ${user!.id} from candidates c cross join unnest(${`{${goalSlugs.join(',')}}`}::text[]) as g(slug)
    where c.id % 3 = 0`);
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from candidates where id % 3 = 0`));
  return row!.n;
}

/** Ids the page bench asks for: one candidate, and a place with candidates. */
export async function benchTargets(db: Db): Promise<{ candidateId: number; place: string }> {
  const [row] = rowsOf<{ id: number; place: string }>(await db.execute(sql`select id, place from candidates where id % 3 = 0 order by id limit 1 offset 100`));
  return { candidateId: row!.id, place: row!.place };
}
