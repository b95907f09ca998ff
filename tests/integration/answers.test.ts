/**
 * What counts as a party's answer (src/domain/answers.ts), on every engine, and that every
 * place that decides it agrees: the public record's first answer (outreach.ts), the status
 * board's "n of 3" (status-board.ts), who gets a reminder (reminders.ts) and the scoreboard's
 * "have not responded yet" (board-view.ts). Only the party's
 * own representative answers; a goal the party answered and the campaign corrected stays
 * answered; a goal only an admin or the system set is not answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parties } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/domain/actors.ts';
import { loadOutreach, outreachOf } from '../../src/domain/outreach.ts';
import { importInitialParties, type PartyEntry } from '../../src/domain/parties.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { addReminder, reminderMoment, runDueReminders } from '../../src/domain/reminders.ts';
import { loadStatusBoard } from '../../src/domain/status-board.ts';
import { partiesThatAnswered } from '../../src/domain/answers.ts';
import { summarizeBoard } from '../../src/domain/board-view.ts';
import { loadScoreboard, loadStanceBoard } from '../../src/domain/scoreboard.ts';
import { TEST_ACTOR, TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS, TEST_PARTIES, testRep, testMailContext } from '../fixtures/board.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const ADMIN: Actor = { userId: null, name: 'Campagneteam', role: 'admin', partyId: null, label: 'admin@campagne.example' };
const PARTY_D: PartyEntry = { slug: 'testpartij-d', name: 'Testpartij D', abbreviation: 'TPD', seats: 1, website: 'https://example.org/d' };
const MAIL = testMailContext();
const DEADLINE = new Date('2026-12-15T16:00:00Z');
const [G1, G2, G3] = TEST_GOAL_SLUGS as unknown as [string, string, string];

describe.each(ENGINES)('a party’s answer, one rule everywhere, on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;
  const ids = new Map<string, number>();
  const id = (x: string) => ids.get(`testpartij-${x}`)!;
  const firstRepSave = new Map<string, Date>();

  async function save(party: string, goalSlug: string, baseVersion: number, actor: Actor): Promise<Date> {
    const result = await savePledge(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: `testpartij-${party}`,
      goalSlug,
      goalSlugs: TEST_GOAL_SLUGS,
      baseVersion,
      input: { stance: actor.role === 'admin' ? 'partial' : 'committed', statement: '' },
      actor,
      correctionReason: actor.role === 'admin' ? 'Bron nagekeken' : null,
    });
    if (result.status !== 'saved') throw new Error(`${party}/${goalSlug}: ${result.status}`);
    return result.pledge.updatedAt;
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, [...TEST_PARTIES, PARTY_D]);
    for (const p of await db().select({ id: parties.id, slug: parties.slug }).from(parties)) ids.set(p.slug, p.id);
    // Every party has a representative to remind.
    for (const x of ['a', 'b', 'c', 'd']) await createAccount(db(), { email: `rep@partij-${x}.example`, party: `testpartij-${x}` });
    // A answered every goal itself; the campaign corrected one afterwards.
    firstRepSave.set('a', await save('a', G1, 0, testRep(id('a'))));
    await sleep(5);
    await save('a', G2, 0, testRep(id('a')));
    await save('a', G3, 0, testRep(id('a')));
    await sleep(5);
    await save('a', G1, 1, ADMIN);
    // B: only the campaign ever filled its goals in.
    for (const goal of TEST_GOAL_SLUGS) await save('b', goal, 0, ADMIN);
    // C: only the system (the command line, an import) did, in someone's name.
    for (const goal of TEST_GOAL_SLUGS) await save('c', goal, 0, TEST_ACTOR);
    // D: the campaign filled in one goal, then the party answered it itself.
    await save('d', G2, 0, ADMIN);
    await sleep(5);
    firstRepSave.set('d', await save('d', G2, 1, testRep(id('d'))));
  });
  afterAll(() => test.drop());

  it('the public record: first answered is the representative’s first save, corrected since or not; never an admin’s or the system’s', async () => {
    const all = await loadOutreach(db(), TEST_CAMPAIGN_ID);
    expect(outreachOf(all, id('a')).firstAnsweredAt).toEqual(firstRepSave.get('a'));
    expect(outreachOf(all, id('b')).firstAnsweredAt).toBeNull();
    expect(outreachOf(all, id('c')).firstAnsweredAt).toBeNull();
    expect(outreachOf(all, id('d')).firstAnsweredAt).toEqual(firstRepSave.get('d'));
  });

  it('the status board counts the same goals as answered, and agrees with the public record', async () => {
    const board = await loadStatusBoard(db(), TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS);
    const answered = Object.fromEntries(board.map((row) => [row.party.slug, row.goalsAnswered]));
    expect(answered).toEqual({ 'testpartij-a': 3, 'testpartij-b': 0, 'testpartij-c': 0, 'testpartij-d': 1 });
    expect(board.find((row) => row.party.slug === 'testpartij-a')!.next).toBe('complete');
    expect(board.find((row) => row.party.slug === 'testpartij-b')!.next).toBe('remind');
    // Answered something if and only if the public record has a first answer.
    for (const row of board) expect(row.goalsAnswered > 0, row.party.slug).toBe(row.outreach.firstAnsweredAt !== null);
  });

  it('the scoreboard’s summary counts as not responded exactly the parties that answered no goal themselves, live and as of a moment', async () => {
    const goals = TEST_GOAL_SLUGS.map((slug, i) => ({ slug, number: i + 1 }));
    const statusBoard = await loadStatusBoard(db(), TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS);
    const silent = statusBoard.filter((row) => row.goalsAnswered === 0).map((row) => row.party.id);
    for (const board of [await loadStanceBoard(db(), TEST_CAMPAIGN_ID, goals), await loadScoreboard(db(), TEST_CAMPAIGN_ID, goals)]) {
      const answered = await partiesThatAnswered(db(), TEST_CAMPAIGN_ID, board.rows, TEST_GOAL_SLUGS);
      expect(board.rows.filter((row) => !answered.has(row.party.id)).map((row) => row.party.id)).toEqual(
        board.rows.map((row) => row.party.id).filter((partyId) => silent.includes(partyId)),
      );
      expect(summarizeBoard(board.rows, goals.length, answered).noResponse).toBe(2); // B and C
    }
    // As of the moment just before D answered itself: D had only the campaign's stance.
    const before = new Date(firstRepSave.get('d')!.getTime() - 1);
    const past = await loadStanceBoard(db(), TEST_CAMPAIGN_ID, goals, before);
    const answeredThen = await partiesThatAnswered(db(), TEST_CAMPAIGN_ID, past.rows, TEST_GOAL_SLUGS, before);
    expect(past.rows.filter((row) => !answeredThen.has(row.party.id)).map((row) => row.party.slug)).toEqual(
      expect.arrayContaining(['testpartij-b', 'testpartij-c', 'testpartij-d']),
    );
    expect(answeredThen.has(id('a'))).toBe(true);
  });

  it('a reminder goes to every party that did not answer every goal itself, and not to one that did', async () => {
    expect((await addReminder(db(), TEST_CAMPAIGN_ID, '7', { actor: SYSTEM_ACTOR, now: new Date('2026-10-01T10:00:00Z') })).status).toBe('added');
    const now = new Date(reminderMoment(DEADLINE, 7).getTime() + 60_000);
    const [report] = await runDueReminders(db(), MAIL, now, {
      campaignId: TEST_CAMPAIGN_ID,
      deadline: DEADLINE,
      goalSlugs: TEST_GOAL_SLUGS,
      actor: SYSTEM_ACTOR,
    });
    expect(report).toMatchObject({ reminded: ['testpartij-b', 'testpartij-c', 'testpartij-d'], noRecipients: [] });
  });
});
