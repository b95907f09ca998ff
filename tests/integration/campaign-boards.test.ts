/**
 * What each campaign keeps of its own (drizzle/0021): the name it published a party under,
 * and the version of its last change, which the front's cache reads (src/server/front.ts).
 */
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns, candidates, parties, pledges } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { readBoardVersions, type BoardVersions } from '../../src/domain/board-version.ts';
import { setCampaignState } from '../../src/domain/campaign-admin.ts';
import { listAllParties, setPartyRetired, updateParty } from '../../src/domain/parties.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { loadScoreboard, loadStanceBoard } from '../../src/domain/scoreboard.ts';
import { addTestParties, TEST_PARTIES, testRep } from '../fixtures/board.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const GOAL_SLUGS = SECOND_GOALS.map((g) => g.slug);

describe.each(ENGINES)('each campaign’s own board on %s', (engine) => {
  let test: TestDatabase;
  let earlierId: number;
  let laterId: number;
  let partyId: number;
  const db = () => test.database.db;
  const party = TEST_PARTIES[0]!;

  async function pledge(campaignId: number, goalSlug: string, stance: 'committed' | 'declined') {
    const [row] = await db()
      .select({ version: pledges.version })
      .from(pledges)
      .where(and(eq(pledges.campaignId, campaignId), eq(pledges.goalSlug, goalSlug)));
    const saved = await savePledge(db(), {
      campaignId,
      partySlug: party.slug,
      goalSlug,
      goalSlugs: GOAL_SLUGS,
      baseVersion: row?.version ?? 0,
      input: { stance, statement: '' },
      actor: testRep(partyId),
    });
    expect(saved.status).toBe('saved');
  }

  const own = (versions: BoardVersions, slug: string) => versions.campaigns.get(slug);

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    earlierId = await addTestCampaign(db(), { slug: 'eerder-2030' });
    laterId = await addTestCampaign(db(), { slug: 'later-2034' });
    partyId = (await addTestParties(db(), [party], earlierId)).get(party.slug)!;
    await addTestParties(db(), [party], laterId);
    await pledge(earlierId, SECOND_GOALS[0].slug, 'committed');
  });

  afterAll(() => test?.drop());

  it('a party renamed in one campaign keeps the name an earlier one published', async () => {
    await setCampaignState(db(), 'eerder-2030', 'archive', { actor: SYSTEM_ACTOR });
    const result = await updateParty(
      db(),
      laterId,
      party.slug,
      { name: 'Hernoemde Partij', abbreviation: 'HP', seats: 3, website: party.website },
      { actor: SYSTEM_ACTOR },
    );
    expect(result.status).toBe('done');
    expect((await listAllParties(db(), laterId)).map((p) => [p.name, p.abbreviation])).toEqual([['Hernoemde Partij', 'HP']]);
    // The archived board, as published: the old name, in the list and on the scoreboard.
    expect((await listAllParties(db(), earlierId)).map((p) => [p.name, p.abbreviation])).toEqual([[party.name, party.abbreviation]]);
    const board = await loadScoreboard(db(), earlierId, SECOND_GOALS);
    expect(board.rows.map((r) => r.party.name)).toEqual([party.name]);
  });

  it('editing or retiring it in one campaign leaves the other’s board as published, website and “last updated” too', async () => {
    const before = await loadStanceBoard(db(), earlierId, SECOND_GOALS);
    const edited = await updateParty(
      db(),
      laterId,
      party.slug,
      { name: 'Hernoemde Partij', abbreviation: 'HP', seats: 3, website: 'https://nieuw.example' },
      { actor: SYSTEM_ACTOR },
    );
    expect(edited.status).toBe('done');
    expect((await setPartyRetired(db(), laterId, party.slug, true, { actor: SYSTEM_ACTOR })).status).toBe('done');
    const after = await loadStanceBoard(db(), earlierId, SECOND_GOALS);
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.rows.map((r) => [r.party.website, r.party.updatedAt])).toEqual(before.rows.map((r) => [r.party.website, r.party.updatedAt]));
    expect((await setPartyRetired(db(), laterId, party.slug, false, { actor: SYSTEM_ACTOR })).status).toBe('done');
  });

  it('the registry follows the latest campaign: a fix in an earlier one does not reach the next', async () => {
    await db().update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, earlierId));
    const fixed = await updateParty(db(), earlierId, party.slug, { name: 'Oude Naam', abbreviation: 'ON', seats: 1, website: null }, { actor: SYSTEM_ACTOR });
    expect(fixed.status).toBe('done');
    const [registry] = await db().select().from(parties).where(eq(parties.id, partyId));
    expect([registry!.name, registry!.abbreviation]).toEqual(['Hernoemde Partij', 'HP']);
    await db().update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, earlierId));
  });

  it('a write to one campaign moves its own version, not the other’s', async () => {
    await db().update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, earlierId));
    const before = await readBoardVersions(db());
    await pledge(laterId, SECOND_GOALS[1].slug, 'declined');
    const after = await readBoardVersions(db());
    expect(after.version).toBe(before.version + 1);
    expect(own(after, 'later-2034')).toBe(after.version);
    expect(own(after, 'eerder-2030')).toBe(own(before, 'eerder-2030'));
    expect(after.sharedChangedAt).toBe(before.sharedChangedAt);
  });

  it('a change every campaign shows moves the shared version', async () => {
    const before = await readBoardVersions(db());
    await db().update(campaigns).set({ isCurrent: false }).where(eq(campaigns.id, laterId));
    const after = await readBoardVersions(db());
    expect(after.sharedChangedAt).toBe(after.version);
    expect(after.version).toBeGreaterThan(before.version);
  });

  it('a correction in a campaign past pledging is shared (other campaigns show its record)', async () => {
    await setCampaignState(db(), 'later-2034', 'close', { actor: SYSTEM_ACTOR });
    const before = await readBoardVersions(db());
    await db().update(pledges).set({ statement: 'Gecorrigeerd.' }).where(eq(pledges.campaignId, laterId));
    const after = await readBoardVersions(db());
    expect(after.sharedChangedAt).toBe(after.version);
    expect(after.version).toBe(before.version + 1);
  });

  it('a statement of many rows counts once; one that changes nothing moves nothing', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      campaignId: earlierId,
      partyId,
      personKey: `k${i}`,
      initials: 'A.',
      lastName: `Naam${i}`,
      position: i + 1,
    }));
    const before = await readBoardVersions(db());
    await db().insert(candidates).values(rows);
    const after = await readBoardVersions(db());
    expect(after.version).toBe(before.version + 1);
    expect(own(after, 'eerder-2030')).toBe(after.version);
    await db().update(candidates).set({ place: 'Nergens' }).where(eq(candidates.id, -1));
    expect((await readBoardVersions(db())).version).toBe(after.version);
  });

  it.runIf(engine === 'postgres')('a correction committed as its campaign closes counts as shared (it waits for the close)', async () => {
    const raceId = await addTestCampaign(db(), { slug: 'race-2038' });
    await addTestParties(db(), [party], raceId);
    await pledge(raceId, SECOND_GOALS[0].slug, 'committed');
    const url = (test.target as { url: string }).url;
    const closing = postgres(url, { max: 1, onnotice: () => {} });
    const correcting = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const a = await closing.reserve();
      const b = await correcting.reserve();
      await a`begin`;
      await a`update campaigns set state = 'closed' where id = ${raceId}`;
      await b`begin`;
      const correction = b`update pledges set statement = 'Gecorrigeerd.' where campaign_id = ${raceId}`.execute();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await a`commit`;
      await correction;
      await b`commit`;
      a.release();
      b.release();
      const after = await readBoardVersions(db());
      // The correction came last and is shared: other campaigns' party pages show this one's record.
      expect(after.sharedChangedAt).toBe(after.version);
    } finally {
      await closing.end();
      await correcting.end();
    }
  });
});
