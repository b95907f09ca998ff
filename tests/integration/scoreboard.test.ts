import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignParties, parties, pledges } from '../../src/db/schema.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { loadPartyRow, loadScoreboard, loadStanceBoard, type Scoreboard, type StanceRow } from '../../src/domain/scoreboard.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { TEST_ACTOR, TEST_CAMPAIGN_ID, TEST_GOALS, TEST_GOAL_SLUGS, TEST_PARTIES } from '../fixtures/board.ts';

describe.each(ENGINES)('the scoreboard on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    const save = (partySlug: string, goalSlug: string, stance: 'committed' | 'partial' | 'declined') =>
      savePledge(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug,
        goalSlug,
        goalSlugs: TEST_GOAL_SLUGS,
        baseVersion: 0,
        input: { stance, statement: '' },
        actor: TEST_ACTOR,
      });
    await save('testpartij-a', 'eerste-doel', 'committed');
    await save('testpartij-a', 'tweede-doel', 'declined');
    await save('testpartij-b', 'eerste-doel', 'partial');
    await save('testpartij-c', 'derde-doel', 'committed');
  });
  afterAll(() => test.drop());

  /** Seats and retirement are the campaign's (campaign_parties), not the registry's. */
  const setInCampaign = async (slug: string, values: { seats?: number; retiredAt?: Date | null }) =>
    db()
      .update(campaignParties)
      .set(values)
      .where(
        and(
          eq(campaignParties.campaignId, TEST_CAMPAIGN_ID),
          inArray(campaignParties.partyId, db().select({ id: parties.id }).from(parties).where(eq(parties.slug, slug))),
        ),
      );

  it('lists active parties by seats, with a stance for every goal', async () => {
    const board = await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS);
    expect(board.rows.map((r) => r.party.slug)).toEqual(['testpartij-b', 'testpartij-a', 'testpartij-c']);
    expect(board.rows.map((r) => r.cells.map((c) => c.stance))).toEqual([
      ['partial', 'none', 'none'],
      ['committed', 'declined', 'none'],
      ['none', 'none', 'committed'],
    ]);
    expect(board.countsByGoal['eerste-doel']).toEqual({ committed: 1, partial: 1, declined: 0, none: 1 });
  });

  it('loads one party with its pledges', async () => {
    const row = await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'testpartij-a');
    expect(row?.cells.map((c) => c.stance)).toEqual(['committed', 'declined', 'none']);
    expect(await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'onbekend')).toBeUndefined();
  });

  it('leaves a retired party off the board while its pledges stay stored', async () => {
    await setInCampaign('testpartij-c', { retiredAt: new Date() });
    const board = await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS);
    expect(board.rows.map((r) => r.party.slug)).not.toContain('testpartij-c');
    expect(board.countsByGoal['derde-doel']!.committed).toBe(0);
    expect(await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'testpartij-c')).toBeUndefined();
    await setInCampaign('testpartij-c', { retiredAt: null });
  });

  /** What the scoreboard table shows of a board: the same for both loaders. */
  const shown = (board: Scoreboard<(typeof TEST_GOALS)[number], StanceRow>) => ({
    goals: board.goals.map((g) => g.slug),
    rows: board.rows.map((r) => ({
      party: r.party,
      cells: r.cells.map((c) => ({ goalSlug: c.goalSlug, stance: c.stance, corrected: c.corrected, byParty: c.byParty, checked: c.checked })),
      counts: r.counts,
    })),
    countsByGoal: board.countsByGoal,
    updatedAt: board.updatedAt,
  });

  it('gives the scoreboard table the same board with stances only, in the same order', async () => {
    // A party with the same seats as another and one retired: order and membership must agree.
    await setInCampaign('testpartij-c', { seats: 20 });
    await setInCampaign('testpartij-a', { retiredAt: new Date() });
    try {
      // One version shown is the campaign's correction: both loaders mark that cell, and only it.
      const [partyB] = await db().select().from(parties).where(eq(parties.slug, 'testpartij-b'));
      const [corrected] = await db().select().from(pledges).where(eq(pledges.partyId, partyB!.id)).limit(1);
      await db().update(pledges).set({ updatedByRole: 'admin' }).where(eq(pledges.id, corrected!.id));
      const stances = await loadStanceBoard(db(), TEST_CAMPAIGN_ID, TEST_GOALS);
      expect(shown(stances)).toEqual(shown(await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS)));
      expect(stances.rows.flatMap((r) => r.cells).filter((c) => c.corrected)).toHaveLength(1);
      await db().update(pledges).set({ updatedByRole: corrected!.updatedByRole }).where(eq(pledges.id, corrected!.id));
      expect(stances.rows.map((r) => r.party.slug)).toEqual(['testpartij-b', 'testpartij-c']);
      expect(stances.rows[0]!.cells[0]).toEqual({
        goalSlug: 'eerste-doel',
        stance: 'partial',
        corrected: corrected!.goalSlug === 'eerste-doel',
        byParty: false,
        checked: null,
      });
      expect(stances.updatedAt).toBeInstanceOf(Date);
      // A retired party's pledge does not count as the board's last change.
      await db()
        .update(parties)
        .set({ updatedAt: new Date(Date.now() + 60_000) })
        .where(eq(parties.slug, 'testpartij-a'));
      expect((await loadStanceBoard(db(), TEST_CAMPAIGN_ID, TEST_GOALS)).updatedAt).toEqual(
        (await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS)).updatedAt,
      );
    } finally {
      await setInCampaign('testpartij-a', { retiredAt: null });
      await setInCampaign('testpartij-c', { seats: 5 });
    }
  });

  it('takes only goal slugs into its query, which it writes them into', async () => {
    await expect(loadStanceBoard(db(), TEST_CAMPAIGN_ID, [{ slug: "x') or (true", number: 1 }])).rejects.toThrow(/not a goal slug/);
  });

  it('gives an empty stance board when there are no goals or no parties', async () => {
    expect(shown(await loadStanceBoard(db(), TEST_CAMPAIGN_ID, []))).toEqual(shown(await loadScoreboard(db(), TEST_CAMPAIGN_ID, [])));
    const at = new Date(Date.now() - 1000);
    expect(shown(await loadStanceBoard(db(), TEST_CAMPAIGN_ID, TEST_GOALS, at))).toEqual(shown(await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS, at)));
  });
});
