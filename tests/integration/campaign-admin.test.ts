/**
 * A campaign made in Beheer takes its goals and parties from an earlier one (issue 14): goals
 * with their numbers, slugs and texts; the parties that take part (not retired ones) with 0
 * seats; nothing at all when the form has a problem. Fictional campaigns and parties only.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { auditLog, campaignGoals, campaignParties, campaigns } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { addGoal, createCampaign, deleteGoal, listPartyCampaigns, setCampaignState, updateGoal, type FormInput } from '../../src/domain/campaign-admin.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { ENGINES, createTestDatabase, type TestDatabase } from '../helpers/engines.ts';
import { addTestParties, TEST_PARTIES } from '../fixtures/board.ts';
import { addTestCampaign, newCampaignForm as form, SECOND_GOALS } from '../fixtures/campaigns.ts';

const SOURCE = 'bron-2030';

describe.each(ENGINES)('campaigns made in Beheer, on %s', (engine) => {
  let test: TestDatabase;
  let db: Db;
  let sourceId: number;
  let partyIds: Map<string, number>;
  const options = { actor: SYSTEM_ACTOR };

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    db = test.database.db;
    sourceId = await addTestCampaign(db, { slug: SOURCE });
    partyIds = await addTestParties(db, TEST_PARTIES.slice(0, 3), sourceId);
    // Party C left the source campaign's board: it does not come along.
    await db
      .update(campaignParties)
      .set({ retiredAt: new Date() })
      .where(and(eq(campaignParties.campaignId, sourceId), eq(campaignParties.partyId, partyIds.get(TEST_PARTIES[2]!.slug)!)));
  });
  afterAll(() => test?.drop());

  const campaignBySlug = async (slug: string) => (await db.select().from(campaigns).where(eq(campaigns.slug, slug)))[0];

  it('copies the goals (numbers, slugs, texts) and the taking-part parties with 0 seats, as a draft', async () => {
    const result = await createCampaign(db, form(SOURCE, 'kopie-2034'), options);
    expect(result).toEqual({ status: 'done', slug: 'kopie-2034' });
    const row = (await campaignBySlug('kopie-2034'))!;
    expect(row.state).toBe('draft');
    expect(row.isCurrent).toBe(false);
    expect(row.electionDate?.toISOString()).toBe('2034-03-15T00:00:00.000Z');
    // Left empty, the call on the choice of words is the source campaign's.
    expect((row.profile as { terminology: unknown }).terminology).toEqual({ nl: 'Zeg CSAM.', en: 'Say CSAM.' });
    const goals = await db.select().from(campaignGoals).where(eq(campaignGoals.campaignId, row.id)).orderBy(asc(campaignGoals.number));
    const source = await db.select().from(campaignGoals).where(eq(campaignGoals.campaignId, sourceId)).orderBy(asc(campaignGoals.number));
    expect(goals.map((g) => [g.number, g.slug])).toEqual(SECOND_GOALS.map((g) => [g.number, g.slug]));
    expect(goals.map((g) => g.texts)).toEqual(source.map((g) => g.texts));
    const taking = await db.select().from(campaignParties).where(eq(campaignParties.campaignId, row.id));
    expect(taking.map((p) => p.partyId).sort()).toEqual([partyIds.get(TEST_PARTIES[0]!.slug), partyIds.get(TEST_PARTIES[1]!.slug)].sort());
    expect(taking.every((p) => p.seats === 0 && p.retiredAt === null)).toBe(true);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'campaign.created'), eq(auditLog.subject, 'kopie-2034')));
    expect(audit?.details).toEqual({ goalsFrom: SOURCE, goals: 2, partiesFrom: SOURCE, parties: 2 });
  });

  it('sets a deadline only with a date (the time field comes filled in)', async () => {
    expect((await createCampaign(db, form(SOURCE, 'tijd-zonder-datum', { deadlineTime: '23:59' }), options)).status).toBe('done');
    expect((await campaignBySlug('tijd-zonder-datum'))!.pledgeDeadline).toBeNull();
    // Within the deadline's reach (a year or so ahead), in summer time (UTC+2).
    const year = new Date().getUTCFullYear() + 1;
    const election = { electionDate: `${year}-06-01` };
    expect((await createCampaign(db, form(SOURCE, 'met-deadline', { ...election, deadlineDate: `${year}-05-01`, deadlineTime: '' }), options)).status).toBe(
      'done',
    );
    expect((await campaignBySlug('met-deadline'))!.pledgeDeadline?.toISOString()).toBe(`${year}-05-01T21:59:00.000Z`);
    expect(await createCampaign(db, form(SOURCE, 'na-de-verkiezing', { ...election, deadlineDate: `${year}-06-05`, deadlineTime: '12:00' }), options)).toEqual({
      status: 'invalid',
      issues: { deadlineDate: 'deadline.afterElection' },
    });
  });

  it('copies nothing when asked for none', async () => {
    expect(
      (
        await createCampaign(
          db,
          form(SOURCE, 'leeg-2034', { copyGoalsFrom: undefined, partiesFrom: undefined, terminologyNl: 'Eigen.', terminologyEn: 'Own.' }),
          options,
        )
      ).status,
    ).toBe('done');
    const row = (await campaignBySlug('leeg-2034'))!;
    expect(await db.select().from(campaignGoals).where(eq(campaignGoals.campaignId, row.id))).toEqual([]);
    expect(await db.select().from(campaignParties).where(eq(campaignParties.campaignId, row.id))).toEqual([]);
    // Nothing to ask parties: it cannot be published yet.
    expect(await setCampaignState(db, 'leeg-2034', 'publish', options)).toBe('no-goals');
    expect((await campaignBySlug('leeg-2034'))!.state).toBe('draft');
  });

  it('writes nothing on a bad form, and names every field at once', async () => {
    const before = (await db.select().from(campaigns)).length;
    const result = await createCampaign(
      db,
      {
        ...form(SOURCE, 'nieuw'),
        nameNl: undefined,
        organiserWebsite: 'http://example.org',
        taglineEn: 'a\u0000b',
        electionDate: '2034-02-30',
        copyGoalsFrom: 'bestaat-niet',
      },
      options,
    );
    expect(result).toEqual({
      status: 'invalid',
      issues: {
        slug: 'campaign.slugReserved',
        nameNl: 'form.required',
        taglineEn: 'text.forbiddenCharacter',
        organiserWebsite: 'campaign.httpsOnly',
        electionDate: 'campaign.dateInvalid',
        copyGoalsFrom: 'campaign.unknownSource',
        // No campaign to take the call on the choice of words from (none is current here).
        terminologyNl: 'form.required',
        terminologyEn: 'form.required',
      },
    });
    expect((await createCampaign(db, form(SOURCE, SOURCE), options)).status).toBe('invalid');
    expect((await createCampaign(db, form(SOURCE, 'Met Spatie'), options)).status).toBe('invalid');
    expect((await db.select().from(campaigns)).length).toBe(before);
  });

  it('a draft renames and deletes goals; once published their slugs stay and none is deleted', async () => {
    const row = (await campaignBySlug('kopie-2034'))!;
    const texts: FormInput = {};
    for (const [suffix, lang] of [
      ['Nl', 'nl'],
      ['En', 'en'],
    ] as const) {
      texts[`title${suffix}`] = `Titel ${lang}`;
      texts[`shortTitle${suffix}`] = `Kort ${lang}`;
      texts[`summary${suffix}`] = `Samenvatting ${lang}`;
      texts[`measures${suffix}`] = 'Eén\n\n  Twee  \n';
      texts[`manifestoText${suffix}`] = `Modeltekst ${lang}`;
    }
    expect(await updateGoal(db, row.id, 'veilige-apps', { ...texts, newSlug: 'apps' }, options)).toEqual({ status: 'done' });
    const [goal] = await db
      .select()
      .from(campaignGoals)
      .where(and(eq(campaignGoals.campaignId, row.id), eq(campaignGoals.slug, 'apps')));
    expect((goal!.texts as { en: { measures: string[] } }).en.measures).toEqual(['Eén', 'Twee']);
    expect(await addGoal(db, row.id, { ...texts, slug: 'derde', number: '3' }, options)).toEqual({ status: 'done' });
    expect(await addGoal(db, row.id, { ...texts, slug: 'derde', number: '3' }, options)).toEqual({
      status: 'invalid',
      issues: { slug: 'campaign.goalSlugTaken', number: 'campaign.goalNumberTaken' },
    });
    expect(await deleteGoal(db, row.id, 'derde', options)).toEqual({ status: 'done' });
    expect(await setCampaignState(db, 'kopie-2034', 'publish', options)).toBe('done');
    expect(await updateGoal(db, row.id, 'apps', { ...texts, newSlug: 'weer-anders' }, options)).toEqual({ status: 'published' });
    expect(await deleteGoal(db, row.id, 'apps', options)).toEqual({ status: 'published' });
    expect(await setCampaignState(db, 'kopie-2034', 'publish', options)).toBe('wrong-state');
  });

  it('lists a party’s other published campaigns with its committed goals there', async () => {
    const partyId = partyIds.get(TEST_PARTIES[0]!.slug)!;
    const saved = await savePledge(db, {
      campaignId: sourceId,
      partySlug: TEST_PARTIES[0]!.slug,
      goalSlug: SECOND_GOALS[0].slug,
      goalSlugs: SECOND_GOALS.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.' },
      actor: SYSTEM_ACTOR,
    });
    expect(saved.status).toBe('saved');
    // Its record: campaigns past pledging. Open ones are not (yet) history: kopie-2034 is open,
    // and the draft (leeg-2034 has no parties anyway) is not public.
    expect((await listPartyCampaigns(db, partyId, -1)).map((c) => c.slug)).toEqual([]);
    expect(await setCampaignState(db, SOURCE, 'close', { actor: SYSTEM_ACTOR })).toBe('done');
    const list = await listPartyCampaigns(db, partyId, -1);
    expect(list.map((c) => c.slug)).toEqual([SOURCE]);
    expect(list.find((c) => c.slug === SOURCE)).toMatchObject({ goals: 2, committed: 1 });
    expect(await listPartyCampaigns(db, partyId, sourceId)).toEqual([]);
  });
});
