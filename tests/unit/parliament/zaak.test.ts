/**
 * Reading a Zaak with its decision and votes from the Tweede Kamer's OData response: each rule
 * of src/domain/parliament/zaak.ts on a saved response in tests/fixtures/tk/ (the documented
 * shape, fictional fractions), and every kind of bad response refused naming its field.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zaakFromFile } from '../../../src/domain/parliament/zaak-file.ts';
import {
  parseZaakResponse,
  ZaakError,
  zaakResponseSchema,
  type FractionVote,
  type MemberVote,
  type VotePosition,
  type ZaakDecision,
} from '../../../src/domain/parliament/zaak.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/tk');
/** A saved response that a test may spoil: as loosely typed as JSON on disk. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into it freely
type SavedResponse = any;
const fixture = (name: string): SavedResponse => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
const votesOf = (votes: FractionVote[]): Record<string, VotePosition | 'split'> => Object.fromEntries(votes.map((v) => [v.fraction, v.vote]));

function refusal(parse: () => unknown): ZaakError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ZaakError) return error;
    throw error;
  }
  throw new Error('parsed without an error');
}

async function fileRefusal(promise: Promise<unknown>): Promise<ZaakError> {
  const error = await promise.then(
    () => new Error('read without an error'),
    (e: unknown) => e,
  );
  if (error instanceof ZaakError) return error;
  throw error;
}

describe('parseZaakResponse', () => {
  it('reads a motion: its facts, its decision and each fraction’s vote', () => {
    const item = parseZaakResponse(fixture('motion.json'), '2031Z01234');
    const decision: Partial<ZaakDecision> = { kind: 'Stemmen - aangenomen', date: '2031-03-11' };
    expect(item.decision).toMatchObject(decision);
    expect(item).toMatchObject({
      number: '2031Z01234',
      kind: 'Motie',
      title: 'Bescherming van kinderen online',
      subject: 'Motie van het lid Fictief over meldpunten voor online misbruik',
      startedOn: '2031-03-05',
      decision: { kind: 'Stemmen - aangenomen', text: 'Aangenomen.', status: 'Besluit', votingKind: 'Met handopsteken', date: '2031-03-11' },
      sourceUrl: `https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Zaak(${item.id})`,
      warnings: [],
    });
    expect(item.votes).toEqual([
      { fraction: 'Kustpartij', fractionId: 'f0000001-0000-4000-8000-000000000001', vote: 'for', size: 31, mistake: false, members: [] },
      { fraction: 'Groen-Dorp', fractionId: 'f0000001-0000-4000-8000-000000000002', vote: 'for', size: 24, mistake: false, members: [] },
      { fraction: 'VB', fractionId: 'f0000001-0000-4000-8000-000000000003', vote: 'against', size: 17, mistake: true, members: [] },
      { fraction: 'Polderunie', fractionId: 'f0000001-0000-4000-8000-000000000004', vote: 'did-not-vote', size: 6, mistake: false, members: [] },
    ]);
  });

  it('ignores rows marked Verwijderd that the server sent anyway, at every level', () => {
    const item = parseZaakResponse(fixture('deleted-rows.json'), '2031Z01235');
    // The deleted Besluit (a later sitting, all against) is not the decision; the deleted
    // Kustpartij row (later, against) does not replace its live vote; Polderunie only has a deleted row.
    expect(item.decision).toMatchObject({ text: 'Aangenomen.', date: '2031-03-11' });
    expect(votesOf(item.votes)).toEqual({ Kustpartij: 'for', 'Groen-Dorp': 'against' });
    expect(item.warnings).toEqual([]);
  });

  it('keeps one vote per fraction from duplicate rows: the latest published, with a warning', () => {
    const item = parseZaakResponse(fixture('duplicate-votes.json'));
    expect(votesOf(item.votes)).toEqual({ Kustpartij: 'for', 'Groen-Dorp': 'against', VB: 'against' });
    expect(item.votes).toHaveLength(3);
    expect(item.warnings).toEqual([
      'fraction "Kustpartij": 2 vote rows, kept the latest',
      'fraction "Groen-Dorp": 2 vote rows, kept the latest (they differ: kept "Tegen")',
    ]);
  });

  it('keeps the later of equally dated duplicates in the response’s order', () => {
    const json = fixture('duplicate-votes.json');
    const rows = json.value[0].Besluit[0].Stemming;
    rows[4].ApiGewijzigdOp = rows[1].ApiGewijzigdOp; // Groen-Dorp: "Voor" then "Tegen", same time
    expect(votesOf(parseZaakResponse(json).votes)['Groen-Dorp']).toBe('against');
  });

  it('takes the decision that has votes, not the "Ingediend" one of the same day published later', () => {
    const item = parseZaakResponse(fixture('several-decisions.json'));
    expect(item).toMatchObject({ kind: 'Amendement', title: null });
    expect(item.decision).toMatchObject({ kind: 'Stemmen - verworpen', text: 'Verworpen.', date: '2031-03-25' });
    expect(votesOf(item.votes)).toEqual({ Kustpartij: 'against', 'Groen-Dorp': 'for', VB: 'against', Polderunie: 'for' });
  });

  it('takes the latest sitting when a vote was redone, whatever the API published last', () => {
    const item = parseZaakResponse(fixture('vote-redone.json'));
    expect(item.decision).toMatchObject({ text: 'Aangenomen.', date: '2031-05-13' });
    expect(votesOf(item.votes)).toEqual({ Kustpartij: 'for', 'Groen-Dorp': 'for' });
    expect(item.warnings).toEqual([`2 decisions with votes: took the latest (${item.decision!.id})`]);
  });

  it('falls back to when the API published it when the sittings’ days are missing', () => {
    const json = fixture('vote-redone.json');
    for (const besluit of json.value[0].Besluit) delete besluit.Agendapunt;
    const item = parseZaakResponse(json);
    expect(item.decision).toMatchObject({ text: 'Verworpen.', date: null });
  });

  it('gives the latest decision without votes when none has votes', () => {
    const json = fixture('several-decisions.json');
    json.value[0].Besluit[1].Stemming = [];
    expect(parseZaakResponse(json)).toMatchObject({ decision: { kind: 'Ingediend', votingKind: null }, votes: [] });
  });

  it('has no decision when the zaak has none', () => {
    const json = fixture('motion.json');
    json.value[0].Besluit = [];
    expect(parseZaakResponse(json)).toMatchObject({ decision: null, votes: [] });
  });

  it('reads a roll call per fraction from its members, "split" where they differ', () => {
    const item = parseZaakResponse(fixture('roll-call.json'));
    expect(item.decision?.votingKind).toBe('Hoofdelijk');
    expect(votesOf(item.votes)).toEqual({ Kustpartij: 'for', 'Groen-Dorp': 'split', Polderunie: 'did-not-vote' });
    const groen = item.votes.find((v) => v.fraction === 'Groen-Dorp')!;
    const members: MemberVote[] = [
      { name: 'Claes, C.', personId: expect.any(String), vote: 'for', mistake: false },
      { name: 'Dijkstra, D.', personId: expect.any(String), vote: 'against', mistake: true },
    ];
    expect(groen.members).toEqual(members);
    expect(groen).toMatchObject({ size: 24, mistake: false, fractionId: 'f0000001-0000-4000-8000-000000000002' });
  });

  it('keeps a member who voted apart in a show of hands beside the fraction’s vote', () => {
    const item = parseZaakResponse(fixture('member-apart.json'));
    expect(item.votes).toHaveLength(2);
    expect(item.votes[0]).toMatchObject({ fraction: 'Kustpartij', vote: 'against', size: 31, members: [{ name: 'Aalbers, A.', vote: 'for' }] });
  });

  it('dedupes a member’s duplicate rows too', () => {
    const json = fixture('roll-call.json');
    const rows = json.value[0].Besluit[0].Stemming;
    rows.push({ ...rows[0], Id: '5a000000-0000-4000-8000-00000000ffff' });
    const item = parseZaakResponse(json);
    expect(item.votes[0]!.members).toHaveLength(2);
    expect(item.warnings).toEqual(['member "Aalbers, A." (Kustpartij): 2 vote rows, kept the latest']);
  });

  it('ignores a deleted zaak of the same number and refuses two live ones, naming their Ids', () => {
    const json = fixture('motion.json');
    json.value.push({ ...json.value[0], Id: '2a000000-0000-4000-8000-0000000000aa', Verwijderd: true });
    expect(parseZaakResponse(json).id).toBe(json.value[0].Id);
    json.value[1].Verwijderd = false;
    const error = refusal(() => parseZaakResponse(json));
    expect(error.code).toBe('ambiguous');
    expect(error.message).toContain('2a000000-0000-4000-8000-0000000000aa');
  });

  it('reports a number with no live zaak, or a response about another number, as not found', () => {
    expect(refusal(() => parseZaakResponse({ value: [] }, '2031Z09999')).code).toBe('not-found');
    const other = refusal(() => parseZaakResponse(fixture('motion.json'), '2031Z09999'));
    expect(other.code).toBe('not-found');
    expect(other.message).toContain('the response is about 2031Z01234');
  });

  it('refuses a vote the Kamer does not have, naming the field', () => {
    const error = refusal(() => parseZaakResponse(fixture('broken-soort.json')));
    expect(error).toMatchObject({ code: 'invalid', path: 'value[0].Besluit[1].Stemming[3].Soort' });
    expect(error.message).toBe('value[0].Besluit[1].Stemming[3].Soort: expected Voor, Tegen or Niet deelgenomen');
  });

  /** A change to motion.json, returning the response to parse. */
  const edit =
    (change: (json: SavedResponse) => unknown) =>
    (json: SavedResponse): unknown => {
      change(json);
      return json;
    };
  it.each([
    ['not an OData response', () => 'hello', '(the response)'],
    ['no value list', () => ({ values: [] }), 'value'],
    ['no Verwijderd flag', edit((j: SavedResponse) => delete j.value[0].Besluit[0].Stemming[0].Verwijderd), 'value[0].Besluit[0].Stemming[0].Verwijderd'],
    ['no fraction name', edit((j: SavedResponse) => (j.value[0].Besluit[0].Stemming[1].ActorFractie = null)), 'value[0].Besluit[0].Stemming[1].ActorFractie'],
    ['seats as text', edit((j: SavedResponse) => (j.value[0].Besluit[0].Stemming[2].FractieGrootte = '17')), 'value[0].Besluit[0].Stemming[2].FractieGrootte'],
    ['a bad date', edit((j: SavedResponse) => (j.value[0].Besluit[0].ApiGewijzigdOp = 'gisteren')), 'value[0].Besluit[0].ApiGewijzigdOp'],
    ['a bad number', edit((j: SavedResponse) => (j.value[0].Nummer = '31-1234')), 'value[0].Nummer'],
    ['votes not expanded', edit((j: SavedResponse) => delete j.value[0].Besluit[0].Stemming), 'value[0].Besluit[0].Stemming'],
    ['decisions not expanded', edit((j: SavedResponse) => delete j.value[0].Besluit), 'value[0].Besluit'],
  ])('refuses %s, naming the field', (_what, spoil, where) => {
    const response = spoil(fixture('motion.json'));
    const error = refusal(() => parseZaakResponse(response));
    expect(error).toMatchObject({ code: 'invalid', path: where });
    expect(error.message.startsWith(`${where}: `)).toBe(true);
  });

  it('refuses a response cut into pages rather than count votes short', () => {
    const json = fixture('motion.json');
    json.value[0].Besluit[0]['Stemming@odata.nextLink'] = 'https://example.invalid/next';
    expect(refusal(() => parseZaakResponse(json))).toMatchObject({ code: 'incomplete', path: 'value[0].Besluit[0].Stemming@odata.nextLink' });
  });

  it('is a schema that lets fields it does not read through', () => {
    const json = fixture('motion.json');
    json.value[0].NieuwVeld = 'iets';
    expect(zaakResponseSchema.safeParse(json).success).toBe(true);
  });

  it('does not check what deleted rows hold', () => {
    // deleted-rows.json has a deleted vote row with Soort and ActorFractie null.
    expect(() => parseZaakResponse(fixture('deleted-rows.json'))).not.toThrow();
  });
});

describe('zaakFromFile', () => {
  it('reads a saved response', async () => {
    const item = await zaakFromFile(path.join(FIXTURES, 'motion.json'), '2031Z01234');
    expect(item.votes).toHaveLength(4);
  });

  it('refuses a file that is not JSON, one that does not fit, and one about another number', async () => {
    expect(await fileRefusal(zaakFromFile(path.join(FIXTURES, 'truncated.txt')))).toMatchObject({ code: 'bad-json' });
    const broken = await fileRefusal(zaakFromFile(path.join(FIXTURES, 'broken-soort.json')));
    expect(broken.message).toContain('value[0].Besluit[1].Stemming[3].Soort');
    expect(await fileRefusal(zaakFromFile(path.join(FIXTURES, 'motion.json'), '2031Z01235'))).toMatchObject({ code: 'not-found' });
    expect(await fileRefusal(zaakFromFile(path.join(FIXTURES, 'missing.json')))).toMatchObject({ code: 'unreadable' });
  });
});
