/**
 * Importing the Kiesraad's candidate lists into a campaign (src/domain/candidate-import.ts),
 * on every engine: one person per candidate however many districts, a re-import updates and
 * never duplicates, a corrected name stays the same person, a candidate off the list is kept
 * as withdrawn, and a list whose party is not in the campaign is reported with nothing written.
 * Fictional parties and candidates only (tests/fixtures/kiesraad/).
 */
import { readFile } from 'node:fs/promises';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, campaignParties, candidates, candidateStandings } from '../../src/db/schema.ts';
import { CLI_ACTOR } from '../../src/domain/actors.ts';
import { importCandidates, matchParty } from '../../src/domain/candidate-import.ts';
import { mergeCandidateLists, parseCandidateListFile } from '../../src/domain/candidate-lists/index.ts';
import { addTestParties, TEST_CAMPAIGN_ID } from '../fixtures/board.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const FIXTURES = new URL('../fixtures/kiesraad/', import.meta.url);
const listsOf = async (name: string) => mergeCandidateLists(parseCandidateListFile(await readFile(new URL(name, FIXTURES))).lists);
const csvLists = (text: string) => mergeCandidateLists(parseCandidateListFile(text).lists);

const PARTIES = [
  { slug: 'proef', name: 'Partij voor de Proef', abbreviation: 'PvdP', seats: 3, website: 'https://example.org/proef' },
  { slug: 'samen-verzonnen', name: 'Samen Verzonnen', abbreviation: 'SV', seats: 1, website: 'https://example.org/sv' },
];
const HEADER =
  'Kieskring;Lijstnummer;Politieke Groepering;Type;Publiceer geslacht;Taal;Nr.;Tussenvoegsel;Achternaam;Voorletters;Roepnaam;Geslacht;Woonplaats;Land';

describe.each(ENGINES)('candidate import on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;
  const rows = () => db().select().from(candidates).orderBy(asc(candidates.partyId), asc(candidates.position), asc(candidates.id));

  beforeAll(async () => {
    test = await createTestDatabase(engine);
  });
  afterAll(() => test?.drop());
  beforeEach(async () => {
    await db().delete(candidateStandings);
    await db().delete(candidates);
    await addTestParties(db(), PARTIES);
  });

  it('makes one person of a candidate on the lists of two districts, with a standing per district', async () => {
    const lists = await listsOf('two-districts.csv');
    const result = await importCandidates(
      db(),
      TEST_CAMPAIGN_ID,
      lists.filter((l) => l.groupName === 'Partij voor de Proef'),
      { actor: CLI_ACTOR },
    );
    expect(result).toMatchObject({ status: 'done', added: 5, updated: 0, withdrawn: 0 });
    const anna = (await rows()).filter((c) => c.lastName === 'Voorbeeld');
    expect(anna).toHaveLength(1);
    const standings = await db()
      .select()
      .from(candidateStandings)
      .where(eq(candidateStandings.candidateId, anna[0]!.id))
      .orderBy(asc(candidateStandings.districtNumber));
    expect(standings.map((s) => [s.districtNumber, s.listNumber, s.position])).toEqual([
      [1, 1, 1],
      [2, 1, 3],
    ]);
    // Her place on the party's list is her best position; the list publishes gender.
    expect(anna[0]).toMatchObject({ position: 1, gender: 'female', publishGender: true, place: 'Proefdorp' });
  });

  it('reports a list whose party is not in the campaign, and writes nothing', async () => {
    const lists = await listsOf('two-districts.csv');
    const result = await importCandidates(db(), TEST_CAMPAIGN_ID, lists, { actor: CLI_ACTOR });
    expect(result).toEqual({ status: 'unmatched', lists: [{ groupName: 'Samen; Verzonnen', listNumbers: [2], reason: 'none' }] });
    expect(await rows()).toEqual([]);
  });

  it('matches a list by name or abbreviation, ignoring case and spacing, and never by a part of a name', () => {
    expect(matchParty('partij  voor de PROEF', PARTIES)).toBe(0);
    expect(matchParty('sv', PARTIES)).toBe(1);
    expect(matchParty('Partij voor de', PARTIES)).toBe(-1);
    expect(matchParty('', PARTIES)).toBe(-1);
  });

  it('updates on a re-import, never duplicates; a corrected name is the same person; one off the list is kept, withdrawn', async () => {
    const first = csvLists(
      [
        HEADER,
        '1;1;PvdP;;ja;nl;1;;Eerste;A.;Ada;vrouw;Proefdorp;',
        '1;1;PvdP;;ja;nl;2;;Tweede;B.;Bob;man;Proefdorp;',
        '1;1;PvdP;;ja;nl;3;;Derde;C.;Cor;man;Noordstad;',
      ].join('\n'),
    );
    expect(await importCandidates(db(), TEST_CAMPAIGN_ID, first, { actor: CLI_ACTOR })).toMatchObject({ status: 'done', added: 3 });
    const before = await rows();
    // Ada moved house, Bob's name was misspelt (same place on the list), Cor left the list.
    const second = csvLists([HEADER, '1;1;PvdP;;ja;nl;1;;Eerste;A.;Ada;vrouw;Zuidhaven;', '1;1;PvdP;;ja;nl;2;;Tweeden;B.;Bob;man;Proefdorp;'].join('\n'));
    expect(await importCandidates(db(), TEST_CAMPAIGN_ID, second, { actor: CLI_ACTOR })).toMatchObject({ status: 'done', added: 0, updated: 2, withdrawn: 1 });
    const after = await rows();
    expect(after.map((c) => c.id)).toEqual(before.map((c) => c.id));
    expect(after.map((c) => [c.lastName, c.place, c.withdrawnAt === null])).toEqual([
      ['Eerste', 'Zuidhaven', true],
      ['Tweeden', 'Proefdorp', true],
      ['Derde', 'Noordstad', false],
    ]);
    // The same file again changes nothing but the time.
    expect(await importCandidates(db(), TEST_CAMPAIGN_ID, second, { actor: CLI_ACTOR })).toMatchObject({ status: 'done', added: 0, updated: 2, withdrawn: 0 });
    expect(await db().select().from(candidates)).toHaveLength(3);
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'candidates.imported'));
    expect(audits.length).toBeGreaterThanOrEqual(3);
  });

  it('never hands a row to someone else who now stands at the same place', async () => {
    await importCandidates(db(), TEST_CAMPAIGN_ID, csvLists([HEADER, '1;1;PvdP;;ja;nl;1;;Jansen;A.;Anne;vrouw;Proefdorp;'].join('\n')), { actor: CLI_ACTOR });
    const [jansen] = await rows();
    const result = await importCandidates(db(), TEST_CAMPAIGN_ID, csvLists([HEADER, '1;1;PvdP;;ja;nl;1;de;Vries;B.;Bas;man;Noordstad;'].join('\n')), {
      actor: CLI_ACTOR,
    });
    expect(result).toMatchObject({ status: 'done', added: 1, withdrawn: 1 });
    const after = await rows();
    expect(after.find((c) => c.id === jansen!.id)).toMatchObject({ lastName: 'Jansen', initials: 'A.' });
    expect(after.find((c) => c.id === jansen!.id)!.withdrawnAt).not.toBeNull();
    expect(after.find((c) => c.lastName === 'Vries')!.id).not.toBe(jansen!.id);
  });

  it('refuses two lists that match one party, and a list that matches two parties', async () => {
    const twoForOne = csvLists([HEADER, '1;1;Samen Verzonnen;;ja;nl;1;;Een;A.;;vrouw;Proefdorp;', '1;2;SV;;ja;nl;1;;Twee;B.;;man;Proefdorp;'].join('\n'));
    expect(await importCandidates(db(), TEST_CAMPAIGN_ID, twoForOne, { actor: CLI_ACTOR })).toEqual({
      status: 'unmatched',
      lists: [
        { groupName: 'Samen Verzonnen', listNumbers: [1], reason: 'shared', party: 'Samen Verzonnen' },
        { groupName: 'SV', listNumbers: [2], reason: 'shared', party: 'Samen Verzonnen' },
      ],
    });
    // A party whose abbreviation is another's name: the list could be either.
    const ids = await addTestParties(db(), [{ slug: 'pvdp', name: 'PvdP', abbreviation: 'PP', seats: 0, website: 'https://example.org/pp' }]);
    try {
      const lists = csvLists([HEADER, '1;1;PvdP;;ja;nl;1;;Een;A.;;vrouw;Proefdorp;'].join('\n'));
      expect(await importCandidates(db(), TEST_CAMPAIGN_ID, lists, { actor: CLI_ACTOR })).toMatchObject({
        status: 'unmatched',
        lists: [{ reason: 'several' }],
      });
    } finally {
      await db()
        .delete(campaignParties)
        .where(eq(campaignParties.partyId, ids.get('pvdp')!));
    }
    expect(await db().select().from(candidates)).toEqual([]);
  });

  it('keeps gender only where the list may publish it', async () => {
    const lists = csvLists([HEADER, '1;1;PvdP;;nee;nl;1;;Stil;S.;;vrouw;Proefdorp;'].join('\n'));
    await importCandidates(db(), TEST_CAMPAIGN_ID, lists, { actor: CLI_ACTOR });
    expect((await rows())[0]).toMatchObject({ gender: null, publishGender: false });
  });
});
