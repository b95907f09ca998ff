/**
 * Campaigns as data (issue 14): each campaign's pages and files live at its own address, the
 * addresses without a campaign show the current one, and a campaign's own address keeps
 * showing it, unchanged, when another becomes current. Fictional campaigns and parties only.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { campaigns, pledges } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { makeCurrent } from '../../src/domain/campaigns.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { readGoals } from '../../src/content-files.ts';
import { ENGINES } from '../helpers/engines.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties, TEST_CAMPAIGN_ID, TEST_PARTIES, testRep } from '../fixtures/board.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';

const firstGoals = await readGoals('nl');
const FIRST = 'tweede-kamer-2025';
const SECOND = 'gemeenteraad-test-2030';

describe.each(ENGINES)('campaigns on %s', (engine) => {
  let site: TestSite;
  let secondId: number;
  let partyAId: number;
  const get = (path: string) => fetch(new URL(path, site.url));
  const text = async (path: string) => (await get(path)).text();

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    const ids = await addTestParties(db, TEST_PARTIES);
    partyAId = ids.get('testpartij-a')!;
    secondId = await addTestCampaign(db, { slug: SECOND });
    // Only party A takes part in the second campaign.
    await addTestParties(db, TEST_PARTIES.slice(0, 1), secondId);
    const save = (campaignId: number, goalSlugs: readonly string[], goal: string, stance: 'committed' | 'declined', statement: string) =>
      savePledge(db, {
        campaignId,
        partySlug: 'testpartij-a',
        goalSlug: goal,
        goalSlugs,
        baseVersion: 0,
        input: { stance, statement, evidenceUrl: 'https://example.org/p.pdf', evidencePage: 1 },
        actor: testRep(ids.get('testpartij-a')!),
      });
    const firstSlugs = firstGoals.map((g) => g.slug);
    const secondSlugs = SECOND_GOALS.map((g) => g.slug);
    expect((await save(TEST_CAMPAIGN_ID, firstSlugs, firstSlugs[0]!, 'committed', 'Landelijk: ja.')).status).toBe('saved');
    expect((await save(secondId, secondSlugs, secondSlugs[0]!, 'declined', 'Gemeentelijk: nee.')).status).toBe('saved');
    await addTestCampaign(db, { slug: 'concept-2031', state: 'draft', name: 'Conceptcampagne' });
    await site.app.boardVersion.refresh();
  });
  afterAll(() => site?.close());

  it('shows the current campaign without a campaign in the address, with a canonical link to its own address', async () => {
    const home = await text('/');
    expect(home).toContain(`<link rel="canonical" href="${site.origin}/campagnes/${FIRST}">`);
    expect(home).toContain('Testpartij B');
    const party = await text('/partijen/testpartij-a');
    expect(party).toContain(`<link rel="canonical" href="${site.origin}/campagnes/${FIRST}/partijen/testpartij-a">`);
    expect(party).toContain('Landelijk: ja.');
    expect(party).not.toContain('Gemeentelijk: nee.');
  });

  it("serves each campaign's pages at its own address, with its own goals, parties and pledges", async () => {
    const board = await get(`/campagnes/${SECOND}`);
    expect(board.status).toBe(200);
    const html = await board.text();
    expect(html).toContain('Testcampagne Gemeenteraad');
    expect(html).toContain('Veilige apps');
    expect(html).not.toContain('Testpartij B');
    // Links on a campaign's page stay in that campaign.
    expect(html).toContain(`href="/campagnes/${SECOND}/partijen/testpartij-a"`);
    const party = await text(`/campagnes/${SECOND}/partijen/testpartij-a`);
    expect(party).toContain('Gemeentelijk: nee.');
    expect(party).not.toContain('Landelijk: ja.');
    expect((await get(`/en/campaigns/${SECOND}/parties/testpartij-a`)).status).toBe(200);
    // A party that does not take part in this campaign has no page in it.
    expect((await get(`/campagnes/${SECOND}/partijen/testpartij-b`)).status).toBe(404);
  });

  it('answers 404 for a campaign there is none of, a draft, and junk in the slug', async () => {
    for (const path of ['/campagnes/bestaat-niet', '/campagnes/concept-2031', '/campagnes/%00', '/campagnes/A/partijen/x', '/en/campaigns/nope/parties/x']) {
      expect((await get(path)).status, path).toBe(404);
    }
    // Sign-in and Beheer do not live under a campaign.
    expect((await get(`/campagnes/${FIRST}/inloggen`)).status).toBe(404);
    const api = await get('/api/v1/campaigns/bestaat-niet/scoreboard.json');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'no campaign with that slug' });
  });

  it("gives each campaign's open data under /api/v1/campaigns/<slug>/, and the current one's at the old addresses", async () => {
    const current = await (await get('/api/v1/scoreboard.json')).json();
    const own = await (await get(`/api/v1/campaigns/${FIRST}/scoreboard.json`)).json();
    expect(own).toEqual(current);
    const second = await (await get(`/api/v1/campaigns/${SECOND}/scoreboard.json`)).json();
    expect(second.goals.map((g: { slug: string }) => g.slug)).toEqual(SECOND_GOALS.map((g) => g.slug));
    expect(second.parties.map((p: { slug: string }) => p.slug)).toEqual(['testpartij-a']);
    expect(second.parties[0].pledges['veilige-apps'].stance).toBe('declined');
    const csv = await text(`/api/v1/campaigns/${SECOND}/pledges.csv`);
    expect(csv).toContain('Gemeentelijk: nee.');
    expect(csv).not.toContain('Landelijk: ja.');
    const events = await (await get(`/api/v1/campaigns/${SECOND}/events.json`)).json();
    expect(events.events.map((e: { statement: { after: string } }) => e.statement.after)).toEqual(['Gemeentelijk: nee.']);
  });

  it('lists the published campaigns in campaigns.json, as its schema says', async () => {
    const response = await get('/api/v1/campaigns.json');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.campaigns.map((c: { slug: string; current: boolean }) => [c.slug, c.current])).toEqual([
      [SECOND, false],
      [FIRST, true],
    ]);
    expect(body.campaigns[0].links.scoreboard).toBe(`${site.origin}/api/v1/campaigns/${SECOND}/scoreboard.json`);
    const document = await (await get('/api/v1/openapi.json')).json();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: document.components });
    const validate = ajv.compile({ $ref: 'openapi#/components/schemas/Campaigns' });
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(document.paths[`/api/v1/campaigns/{campaign}/scoreboard.json`]).toBeDefined();
    expect((await get('/api/v1/campaigns.json?lang=de')).status).toBe(400);
    expect((await get('/api/v1/campaigns.json?lang=nl&lang=en')).status).toBe(400);
  });

  it("keeps a campaign's own address unchanged when another campaign becomes current", async () => {
    const paths = [
      `/campagnes/${FIRST}`,
      `/campagnes/${FIRST}/partijen/testpartij-a`,
      `/api/v1/campaigns/${FIRST}/scoreboard.json`,
      `/campagnes/${FIRST}/embed/scoreboard`,
    ];
    const before = await Promise.all(paths.map((path) => text(path)));
    expect(await makeCurrent(site.db, secondId, { actor: SYSTEM_ACTOR })).toBe('done');
    await site.app.boardVersion.refresh();
    try {
      const after = await Promise.all(paths.map((path) => text(path)));
      for (const [i, path] of paths.entries()) expect(after[i], path).toBe(before[i]);
      // The addresses without a campaign now show the second one.
      expect(await text('/')).toContain('Veilige apps');
      const json = await (await get('/api/v1/scoreboard.json')).json();
      expect(json.parties.map((p: { slug: string }) => p.slug)).toEqual(['testpartij-a']);
      const listed = await (await get('/api/v1/campaigns.json')).json();
      expect(listed.campaigns.find((c: { slug: string }) => c.slug === SECOND).current).toBe(true);
    } finally {
      expect(await makeCurrent(site.db, TEST_CAMPAIGN_ID, { actor: SYSTEM_ACTOR })).toBe('done');
      await site.app.boardVersion.refresh();
    }
  });

  it('a draft cannot become current, and an archived campaign takes no pledge from anyone', async () => {
    const [draft] = await site.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, 'concept-2031'));
    expect(await makeCurrent(site.db, draft!.id, { actor: SYSTEM_ACTOR })).toBe('draft');
    await site.db.update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, secondId));
    try {
      const result = await savePledge(site.db, {
        campaignId: secondId,
        partySlug: 'testpartij-a',
        goalSlug: 'hulp-op-school',
        goalSlugs: SECOND_GOALS.map((g) => g.slug),
        baseVersion: 0,
        input: { stance: 'committed', statement: 'Te laat.', evidenceUrl: 'https://example.org/p.pdf', evidencePage: 2 },
        actor: { ...SYSTEM_ACTOR, role: 'admin' },
        correctionReason: 'Een correctie.',
      });
      expect(result.status).toBe('closed');
    } finally {
      await site.db.update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, secondId));
    }
  });

  it("keeps one campaign's cached pages when another changes, and drops them when its own does", async () => {
    const cacheOf = async (path: string) => (await get(path)).headers.get('x-pledgeboard-cache');
    const second = `/campagnes/${SECOND}/partijen/testpartij-a`;
    const first = `/campagnes/${FIRST}/partijen/testpartij-a`;
    // (The test before wrote to the database behind the site's back.)
    await site.app.boardVersion.refresh();
    for (const path of [second, first, '/']) {
      await get(path);
      expect(await cacheOf(path), path).toBe('hit');
    }
    const ids = new Map([
      [TEST_CAMPAIGN_ID, firstGoals.map((g) => g.slug)],
      [secondId, SECOND_GOALS.map((g) => g.slug)],
    ]);
    const write = async (campaignId: number, statement: string) => {
      const goalSlugs = ids.get(campaignId)!;
      const saved = await savePledge(site.db, {
        campaignId,
        partySlug: 'testpartij-a',
        goalSlug: goalSlugs[1]!,
        goalSlugs,
        baseVersion: 0,
        input: { stance: 'partial', statement, evidenceUrl: 'https://example.org/p.pdf', evidencePage: 3 },
        actor: testRep(partyAId),
      });
      expect(saved.status).toBe('saved');
      await site.app.boardVersion.refresh();
    };
    // A write to the current (first) campaign: its pages render again, the second's stay.
    await write(TEST_CAMPAIGN_ID, 'Landelijk: deels.');
    expect(await cacheOf(second)).toBe('hit');
    expect(await cacheOf(first)).toBe('miss');
    expect(await cacheOf('/')).toBe('miss');
    // And the other way round.
    await write(secondId, 'Gemeentelijk: deels.');
    expect(await cacheOf(first)).toBe('hit');
    expect(await cacheOf('/')).toBe('hit');
    const again = await get(second);
    expect(again.headers.get('x-pledgeboard-cache')).toBe('miss');
    expect(await again.text()).toContain('Gemeentelijk: deels.');
  });

  it("re-renders another campaign's cached party page when a campaign past pledging is corrected", async () => {
    // The first campaign's party page shows party A's record in the second once it is closed.
    await site.db.update(campaigns).set({ state: 'closed' }).where(eq(campaigns.id, secondId));
    await site.app.boardVersion.refresh();
    const page = `/campagnes/${FIRST}/partijen/testpartij-a`;
    const before = await text(page);
    expect(before).toContain(`0 van ${SECOND_GOALS.length} doelen toegezegd`);
    expect((await get(page)).headers.get('x-pledgeboard-cache')).toBe('hit');
    // A hand-written correction in the closed campaign, as a script would make it.
    await site.db
      .update(pledges)
      .set({ stance: 'committed' })
      .where(and(eq(pledges.campaignId, secondId), eq(pledges.goalSlug, SECOND_GOALS[0].slug)));
    await site.app.boardVersion.refresh();
    const after = await get(page);
    expect(after.headers.get('x-pledgeboard-cache')).toBe('miss');
    expect(await after.text()).toContain(`1 van ${SECOND_GOALS.length} doelen toegezegd`);
  });
});
