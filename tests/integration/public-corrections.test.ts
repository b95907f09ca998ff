/**
 * What the public sees of a pledge beyond its words: whether the campaign corrected the version
 * shown (derived from the save's actor, on the live board and a frozen one, and in the JSON),
 * and when a party last changed anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parties } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { partyLastUpdatedAt } from '../../src/domain/history.ts';
import { loadPledgingState } from '../../src/domain/pledging-window.ts';
import { savePledge, type SavePledgeCommand } from '../../src/domain/pledges.ts';
import { loadPartyRow, loadScoreboard } from '../../src/domain/scoreboard.ts';
import { toScoreboardJsonV1 } from '../../src/domain/scoreboard-json.ts';
import { readCampaign } from '../../src/content-files.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { TEST_GOALS, TEST_GOAL_SLUGS, TEST_PARTIES } from '../fixtures/board.ts';

const T1 = new Date('2026-02-01T10:00:00Z');
const T2 = new Date('2026-03-01T10:00:00Z');
const T3 = new Date('2026-04-01T10:00:00Z');

describe.each(ENGINES)('corrections and last updates on %s', (engine) => {
  let test: TestDatabase;
  let rep: Actor;
  let admin: Actor;
  let partyA: number;
  let partyB: number;
  const db = () => test.database.db;
  const save = (overrides: Partial<SavePledgeCommand>) =>
    savePledge(db(), {
      partySlug: 'testpartij-a',
      goalSlug: 'eerste-doel',
      goalSlugs: TEST_GOAL_SLUGS,
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.' },
      actor: rep,
      deadline: null,
      ...overrides,
    });

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    // The parties existed before any pledge (a frozen view before T1 must show them).
    await db()
      .insert(parties)
      .values(TEST_PARTIES.map((p) => ({ ...p, createdAt: new Date('2026-01-01T00:00:00Z') })));
    const all = await db().select().from(parties);
    partyA = all.find((p) => p.slug === 'testpartij-a')!.id;
    partyB = all.find((p) => p.slug === 'testpartij-b')!.id;
    const account = await createAccount(db(), { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Rita Rep' });
    const adm = await createAccount(db(), { email: 'beheer@campagne.example', name: 'Bert Bakker' });
    rep = { userId: account.user.id, name: 'Rita Rep', role: 'rep', partyId: partyA, label: account.email };
    admin = { userId: adm.user.id, name: 'Bert Bakker', role: 'admin', partyId: null, label: adm.email };
  });
  afterAll(() => test.drop());

  it('a party that never pledged has not been updated yet', async () => {
    expect(await partyLastUpdatedAt(db(), partyA)).toBeNull();
  });

  it("marks the campaign's correction where the stance is, until the party saves again", async () => {
    expect((await save({ now: T1 })).status).toBe('saved');
    let row = (await loadPartyRow(db(), TEST_GOALS, 'testpartij-a'))!;
    expect(row.cells[0]!.correctedByCampaign).toBeNull();

    expect((await save({ actor: admin, baseVersion: 1, input: { stance: 'partial', statement: 'Deels.' }, now: T2 })).status).toBe('saved');
    row = (await loadPartyRow(db(), TEST_GOALS, 'testpartij-a'))!;
    expect(row.cells[0]).toMatchObject({ stance: 'partial', correctedByCampaign: { at: T2, reason: null } });
    expect(row.cells[1]!.correctedByCampaign).toBeNull();
    // The live board (one query) and a frozen view (rebuilt from the history) agree.
    const live = await loadScoreboard(db(), TEST_GOALS);
    expect(live.rows.find((r) => r.party.id === partyA)!.cells[0]!.correctedByCampaign).toEqual({ at: T2, reason: null });
    const frozenBefore = await loadScoreboard(db(), TEST_GOALS, new Date(T2.getTime() - 1000));
    expect(frozenBefore.rows.find((r) => r.party.id === partyA)!.cells[0]!.correctedByCampaign).toBeNull();
    const frozenAfter = await loadScoreboard(db(), TEST_GOALS, new Date(T2.getTime() + 1000));
    expect(frozenAfter.rows.find((r) => r.party.id === partyA)!.cells[0]!.correctedByCampaign).toEqual({ at: T2, reason: null });

    const goals = TEST_GOALS.map((g) => ({ ...g, title: g.slug, shortTitle: g.slug, measures: [], manifestoText: '', locale: 'nl' as const }));
    const campaign = await readCampaign();
    const json = toScoreboardJsonV1(await loadScoreboard(db(), goals), campaign, await loadPledgingState(db(), null), 'nl');
    const pledgesOfA = json.parties.find((p) => p.slug === 'testpartij-a')!.pledges;
    expect(pledgesOfA['eerste-doel']!.correctedByCampaign).toEqual({ at: T2.toISOString(), reason: null });
    expect(pledgesOfA['tweede-doel']!.correctedByCampaign).toBeNull();

    expect((await save({ baseVersion: 2, input: { stance: 'committed', statement: 'Toch ja.' }, now: T3 })).status).toBe('saved');
    row = (await loadPartyRow(db(), TEST_GOALS, 'testpartij-a'))!;
    expect(row.cells[0]!.correctedByCampaign).toBeNull();
  });

  it("a party's last update is its latest history event, a correction included; with `at`, as it was then", async () => {
    expect(await partyLastUpdatedAt(db(), partyA)).toEqual(T3);
    expect(await partyLastUpdatedAt(db(), partyA, new Date(T3.getTime() - 1000))).toEqual(T2);
    expect(await partyLastUpdatedAt(db(), partyA, new Date(T1.getTime() - 1000))).toBeNull();
    expect(await partyLastUpdatedAt(db(), partyB)).toBeNull();
  });
});
