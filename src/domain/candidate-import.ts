/**
 * Importing the Kiesraad's candidate lists into a campaign (the CLI's import-candidates and
 * the upload in Beheer). The file was parsed and merged already (candidate-lists/): here each
 * list's party is matched to a party of the campaign by name or abbreviation (a list that
 * matches none is reported, never guessed, and nothing is written), and the candidates are
 * written in one transaction:
 * - a person already imported (same party and person key) is updated, never duplicated;
 * - a person whose name was corrected (no key match, but standing at the same place on the
 *   same list in a district) is the same person: their row is updated, signatures kept;
 * - a candidate of a party in the file who is no longer on its list is kept, marked withdrawn
 *   (and one who returns is no longer withdrawn).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import { campaigns, candidates, candidateStandings } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import type { PartyCandidates, Person } from './candidate-lists/index.ts';
import { listAllParties, type Party } from './parties.ts';

interface UnmatchedList {
  groupName: string;
  listNumbers: number[];
  /** none: no party of the campaign has that name or abbreviation; several: more than one has;
   *  shared: another list of the file matched the same party. */
  reason: 'none' | 'several' | 'shared';
  /** shared: the party's name as the campaign has it (every list that matched it is reported). */
  party?: string;
}

export type ImportCandidatesResult =
  | { status: 'done'; added: number; updated: number; withdrawn: number; parties: { slug: string; candidates: number }[] }
  /** Lists whose party is not in the campaign: add it (add-party) or correct the file. Nothing was written. */
  | { status: 'unmatched'; lists: UnmatchedList[] }
  | { status: 'empty' }
  | { status: 'archived' }
  | { status: 'unknown-campaign' };

/** How names are compared: case, accents' composition and runs of white space do not count. */
function matchKey(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('nl');
}

/** The campaign's party a Kiesraad list belongs to: its name or abbreviation, exactly (after matchKey). */
export function matchParty(groupName: string, parties: readonly Pick<Party, 'name' | 'abbreviation'>[]): number {
  const found = matchParties(groupName, parties);
  return found.length === 1 ? found[0]! : -1;
}

/** Every party a list's name could be (more than one is ambiguous: never guessed). */
function matchParties(groupName: string, parties: readonly Pick<Party, 'name' | 'abbreviation'>[]): number[] {
  const key = matchKey(groupName);
  if (key === '') return [];
  return parties.flatMap((p, index) => (matchKey(p.name) === key || matchKey(p.abbreviation) === key ? [index] : []));
}

const CHUNK = 1000;
const STANDINGS_CHUNK = 10_000;

/** A candidate row as the JSON record the insert reads (snake_case, as the columns). */
function toRecord(row: ReturnType<typeof rowOf>) {
  return {
    party_id: row.partyId,
    person_key: row.personKey,
    initials: row.initials,
    first_name: row.firstName,
    prefix: row.prefix,
    last_name: row.lastName,
    gender: row.gender,
    publish_gender: row.publishGender,
    place: row.place,
    country: row.country,
    position: row.position,
  };
}

function rowOf(campaignId: number, partyId: number, person: Person, now: Date) {
  return {
    campaignId,
    partyId,
    personKey: person.key,
    initials: person.initials,
    firstName: person.firstName,
    prefix: person.prefix,
    lastName: person.lastName,
    // The merge keeps a gender only where every list publishes it (persons.ts): nothing else is stored.
    gender: person.gender,
    publishGender: person.gender !== null,
    place: person.place,
    country: person.country,
    position: Math.min(...person.standings.map((s) => s.position)),
    withdrawnAt: null,
    updatedAt: now,
  };
}

const standingKey = (partyId: number, district: number, list: number, position: number) => `${partyId}/${district}/${list}/${position}`;

const initialsKey = (initials: string) => matchKey(initials).replace(/[\s.]/g, '');

/** Whether a row and a listed person at the same place are one person whose name was corrected. */
function isSamePerson(row: { initials: string; firstName: string | null; lastName: string }, person: Person): boolean {
  if (initialsKey(row.initials) !== initialsKey(person.initials)) return false;
  const same = (a: string | null, b: string | null) => a !== null && b !== null && matchKey(a) === matchKey(b);
  return same(row.firstName, person.firstName) || same(row.lastName, person.lastName);
}

export async function importCandidates(
  db: Db,
  campaignId: number,
  lists: readonly PartyCandidates[],
  { actor, now = new Date() }: { actor: Actor; now?: Date },
): Promise<ImportCandidatesResult> {
  if (lists.length === 0 || lists.every((l) => l.persons.length === 0)) return { status: 'empty' };
  return db.transaction(async (tx) => {
    const [campaign] = await tx.select({ state: campaigns.state, slug: campaigns.slug }).from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
    if (!campaign) return { status: 'unknown-campaign' } as const;
    if (campaign.state === 'archived') return { status: 'archived' } as const;
    // A retired party's list is still its list (it stays off the board, with its candidates).
    const parties = await listAllParties(tx, campaignId);
    const unmatched: UnmatchedList[] = [];
    const matched: { party: Party; list: PartyCandidates }[] = [];
    for (const list of lists) {
      const found = matchParties(list.groupName, parties);
      if (found.length !== 1) unmatched.push({ groupName: list.groupName, listNumbers: list.listNumbers, reason: found.length === 0 ? 'none' : 'several' });
      else matched.push({ party: parties[found[0]!]!, list });
    }
    // Two lists of the file for one party ("Partij A" and "PA"): which is its list is not guessed,
    // and each of them is named (neither is imported).
    const listsOf = Map.groupBy(matched, (m) => m.party.id);
    for (const group of listsOf.values()) {
      if (group.length < 2) continue;
      for (const { party, list } of group) unmatched.push({ groupName: list.groupName, listNumbers: list.listNumbers, reason: 'shared', party: party.name });
    }
    if (unmatched.length > 0) return { status: 'unmatched', lists: unmatched } as const;
    const partyIds = [...new Set(matched.map((m) => m.party.id))];

    // What is there: every candidate of these parties in this campaign, with where they stand.
    const existing = await tx
      .select({
        id: candidates.id,
        partyId: candidates.partyId,
        personKey: candidates.personKey,
        withdrawnAt: candidates.withdrawnAt,
        initials: candidates.initials,
        firstName: candidates.firstName,
        lastName: candidates.lastName,
      })
      .from(candidates)
      .where(and(eq(candidates.campaignId, campaignId), inArray(candidates.partyId, partyIds)));
    const byKey = new Map(existing.map((c) => [`${c.partyId}\u001d${c.personKey}`, c]));
    const standings =
      existing.length === 0
        ? []
        : await tx
            .select({
              candidateId: candidateStandings.candidateId,
              districtNumber: candidateStandings.districtNumber,
              listNumber: candidateStandings.listNumber,
              position: candidateStandings.position,
            })
            .from(candidateStandings)
            .innerJoin(candidates, eq(candidates.id, candidateStandings.candidateId))
            .where(and(eq(candidates.campaignId, campaignId), inArray(candidates.partyId, partyIds)));
    const partyOf = new Map(existing.map((c) => [c.id, c.partyId]));
    const atPlace = new Map(standings.map((s) => [standingKey(partyOf.get(s.candidateId)!, s.districtNumber, s.listNumber, s.position), s.candidateId]));

    // A name corrected since the last import: the same place on the same list, with the same
    // initials and the same first or last name, is the same person (a misspelt name). Anyone
    // else at that place is someone new: the person before them is withdrawn, keeping their
    // account and signatures, never handing them over.
    const byId = new Map(existing.map((c) => [c.id, c]));
    const claimed = new Set<number>();
    for (const { party, list } of matched) {
      for (const person of list.persons) if (byKey.has(`${party.id}\u001d${person.key}`)) claimed.add(byKey.get(`${party.id}\u001d${person.key}`)!.id);
    }
    const renamed: { id: number; personKey: string }[] = [];
    for (const { party, list } of matched) {
      for (const person of list.persons) {
        if (byKey.has(`${party.id}\u001d${person.key}`)) continue;
        const same = person.standings
          .map((s) => atPlace.get(standingKey(party.id, s.district.number ?? 0, s.listNumber, s.position)))
          .find((id) => id !== undefined && !claimed.has(id) && isSamePerson(byId.get(id)!, person));
        if (same === undefined) continue;
        claimed.add(same);
        renamed.push({ id: same, personKey: person.key });
      }
    }
    for (const { id, personKey } of renamed) await tx.update(candidates).set({ personKey, updatedAt: now }).where(eq(candidates.id, id));

    const before = new Set(existing.map((c) => c.id));
    const rows = matched.flatMap(({ party, list }) => list.persons.map((person) => ({ person, row: rowOf(campaignId, party.id, person, now) })));
    const written: { id: number; personKey: string; partyId: number }[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK).map((r) => r.row);
      // One JSON parameter per chunk, not 15 per row: PGlite's parameter handling was most of the time.
      const result = await tx.execute(sql`
        insert into candidates (campaign_id, party_id, person_key, initials, first_name, prefix, last_name, gender, publish_gender,
          place, country, position, withdrawn_at, created_at, updated_at)
        select ${campaignId}::int, party_id, person_key, initials, first_name, prefix, last_name, gender::candidate_gender, publish_gender,
          place, country, position, null, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(chunk.map(toRecord))}::jsonb) as x(party_id int, person_key text, initials text,
          first_name text, prefix text, last_name text, gender text, publish_gender boolean, place text, country text, position int)
        on conflict (campaign_id, party_id, person_key) do update set initials = excluded.initials, first_name = excluded.first_name,
          prefix = excluded.prefix, last_name = excluded.last_name, gender = excluded.gender, publish_gender = excluded.publish_gender,
          place = excluded.place, country = excluded.country, position = excluded.position, withdrawn_at = null,
          updated_at = excluded.updated_at
        returning id, person_key, party_id`);
      written.push(
        ...rowsOf<{ id: number; person_key: string; party_id: number }>(result).map((r) => ({ id: r.id, personKey: r.person_key, partyId: r.party_id })),
      );
    }
    const idOf = new Map(written.map((w) => [`${w.partyId}\u001d${w.personKey}`, w.id]));

    // Where each stands now: replaced whole for these parties.
    const writtenIds = written.map((w) => w.id);
    for (let i = 0; i < writtenIds.length; i += CHUNK) {
      await tx.delete(candidateStandings).where(inArray(candidateStandings.candidateId, writtenIds.slice(i, i + CHUNK)));
    }
    const standingRows = rows.flatMap(({ person, row }) =>
      person.standings.map((s) => ({
        candidate_id: idOf.get(`${row.partyId}\u001d${person.key}`)!,
        district_number: s.district.number ?? 0,
        district_name: s.district.name,
        list_number: s.listNumber,
        position: s.position,
      })),
    );
    for (let i = 0; i < standingRows.length; i += STANDINGS_CHUNK) {
      const chunk = standingRows.slice(i, i + STANDINGS_CHUNK);
      await tx.execute(sql`insert into candidate_standings (candidate_id, district_number, district_name, list_number, position)
        select candidate_id, district_number, district_name, list_number, position from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
          as x(candidate_id int, district_number int, district_name text, list_number int, position int)`);
    }

    // Off the list now: kept, marked withdrawn (their standings go: they stand nowhere).
    const stillListed = new Set(writtenIds);
    const gone = existing.filter((c) => !stillListed.has(c.id) && c.withdrawnAt === null).map((c) => c.id);
    for (let i = 0; i < gone.length; i += CHUNK) {
      const ids = gone.slice(i, i + CHUNK);
      await tx
        .update(candidates)
        .set({ withdrawnAt: now, updatedAt: now })
        .where(and(inArray(candidates.id, ids), isNull(candidates.withdrawnAt)));
      await tx.delete(candidateStandings).where(inArray(candidateStandings.candidateId, ids));
    }

    const added = writtenIds.filter((id) => !before.has(id)).length;
    const counts = new Map<number, number>();
    for (const w of written) counts.set(w.partyId, (counts.get(w.partyId) ?? 0) + 1);
    const result = {
      status: 'done' as const,
      added,
      updated: written.length - added,
      withdrawn: gone.length,
      parties: matched.map(({ party }) => ({ slug: party.slug, candidates: counts.get(party.id) ?? 0 })),
    };
    await recordAudit(tx, {
      action: 'candidates.imported',
      actor,
      subject: campaign.slug,
      now,
      details: { added: result.added, updated: result.updated, withdrawn: result.withdrawn },
    });
    return result;
  });
}
