/**
 * What the public sees of a pledge beyond its words: whether the campaign corrected the version
 * shown and why (derived from the save's actor and the reason saved with that version, on the
 * live board and a frozen one, and in the JSON), and when a party last changed anything.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaignParties, parties, pledgeEvents, pledges } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { listPartyHistory, partyLastUpdatedAt } from '../../src/domain/history.ts';
import { loadPledgingState } from '../../src/domain/pledging-window.ts';
import { savePledge, savePledges, type SavePledgeCommand } from '../../src/domain/pledges.ts';
import { loadPartyRow, loadScoreboard } from '../../src/domain/scoreboard.ts';
import { toScoreboardJsonV1 } from '../../src/domain/scoreboard-json.ts';
import { loadCampaigns } from '../../src/domain/campaigns.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { addTestParties, TEST_CAMPAIGN_ID, TEST_GOALS, TEST_GOAL_SLUGS, TEST_PARTIES } from '../fixtures/board.ts';

const T1 = new Date('2026-02-01T10:00:00Z');
const T2 = new Date('2026-03-01T10:00:00Z');
const T3 = new Date('2026-04-01T10:00:00Z');
const REASON = 'Verkeerd overgenomen uit het programma, pagina 12.';

describe.each(ENGINES)('corrections and last updates on %s', (engine) => {
  let test: TestDatabase;
  let rep: Actor;
  let admin: Actor;
  let partyA: number;
  let partyB: number;
  const db = () => test.database.db;
  const save = (overrides: Partial<SavePledgeCommand>) =>
    savePledge(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: 'eerste-doel',
      goalSlugs: TEST_GOAL_SLUGS,
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.' },
      actor: rep,
      ...overrides,
    });

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    // The parties existed before any pledge (a frozen view before T1 must show them).
    // (In the registry and on the campaign's board: a frozen view reads campaign_parties.created_at.)
    await addTestParties(db(), TEST_PARTIES);
    await db()
      .update(parties)
      .set({ createdAt: new Date('2026-01-01T00:00:00Z') });
    await db()
      .update(campaignParties)
      .set({ createdAt: new Date('2026-01-01T00:00:00Z') });
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
    expect(await partyLastUpdatedAt(db(), TEST_CAMPAIGN_ID, partyA)).toBeNull();
  });

  it("marks the campaign's correction where the stance is, until the party saves again", async () => {
    expect((await save({ now: T1 })).status).toBe('saved');
    let row = (await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'testpartij-a'))!;
    expect(row.cells[0]!.correctedByCampaign).toBeNull();

    expect((await save({ actor: admin, baseVersion: 1, input: { stance: 'partial', statement: 'Deels.' }, correctionReason: REASON, now: T2 })).status).toBe(
      'saved',
    );
    row = (await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'testpartij-a'))!;
    expect(row.cells[0]).toMatchObject({ stance: 'partial', correctedByCampaign: { at: T2, reason: REASON } });
    expect(row.cells[1]!.correctedByCampaign).toBeNull();
    // The live board (one query) and a frozen view (rebuilt from the history) agree.
    const live = await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS);
    expect(live.rows.find((r) => r.party.id === partyA)!.cells[0]!.correctedByCampaign).toEqual({ at: T2, reason: REASON });
    const frozenBefore = await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS, new Date(T2.getTime() - 1000));
    expect(frozenBefore.rows.find((r) => r.party.id === partyA)!.cells[0]!.correctedByCampaign).toBeNull();
    const frozenAfter = await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS, new Date(T2.getTime() + 1000));
    expect(frozenAfter.rows.find((r) => r.party.id === partyA)!.cells[0]!.correctedByCampaign).toEqual({ at: T2, reason: REASON });

    const goals = TEST_GOALS.map((g) => ({ ...g, title: g.slug, shortTitle: g.slug, measures: [], manifestoText: '', summary: '', locale: 'nl' as const }));
    const { campaign } = (await loadCampaigns(db())).find((c) => c.campaign.id === TEST_CAMPAIGN_ID)!;
    const json = toScoreboardJsonV1(await loadScoreboard(db(), TEST_CAMPAIGN_ID, goals), campaign, await loadPledgingState(db(), TEST_CAMPAIGN_ID), 'nl');
    const pledgesOfA = json.parties.find((p) => p.slug === 'testpartij-a')!.pledges;
    expect(pledgesOfA['eerste-doel']!.correctedByCampaign).toEqual({ at: T2.toISOString(), reason: REASON });
    expect(pledgesOfA['tweede-doel']!.correctedByCampaign).toBeNull();

    // The party's own save: the mark and its reason go (a reason sent along is not kept).
    expect((await save({ baseVersion: 2, input: { stance: 'committed', statement: 'Toch ja.' }, correctionReason: 'Van de partij', now: T3 })).status).toBe(
      'saved',
    );
    row = (await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'testpartij-a'))!;
    expect(row.cells[0]!.correctedByCampaign).toBeNull();
    expect(row.cells[0]!.pledge).toMatchObject({ updatedByRole: 'rep', correctionReason: null });
    const [partyEvent] = await db()
      .select()
      .from(pledgeEvents)
      .where(and(eq(pledgeEvents.partyId, partyA), eq(pledgeEvents.version, 3)));
    expect(partyEvent!.correctionReason).toBeNull();
  });

  it("a party's last update is its latest history event, a correction included; with `at`, as it was then", async () => {
    expect(await partyLastUpdatedAt(db(), TEST_CAMPAIGN_ID, partyA)).toEqual(T3);
    expect(await partyLastUpdatedAt(db(), TEST_CAMPAIGN_ID, partyA, new Date(T3.getTime() - 1000))).toEqual(T2);
    expect(await partyLastUpdatedAt(db(), TEST_CAMPAIGN_ID, partyA, new Date(T1.getTime() - 1000))).toBeNull();
    expect(await partyLastUpdatedAt(db(), TEST_CAMPAIGN_ID, partyB)).toBeNull();
  });

  it("stores the correction's reason with its version: history, audit entry, and the frozen view of each moment", async () => {
    const [event] = await db()
      .select()
      .from(pledgeEvents)
      .where(and(eq(pledgeEvents.partyId, partyA), eq(pledgeEvents.version, 2)));
    expect(event).toMatchObject({ actorRole: 'admin', correctionReason: REASON });
    const history = await listPartyHistory(db(), TEST_CAMPAIGN_ID, partyA);
    expect(history.find((i) => i.kind === 'change' && i.version === 2)).toMatchObject({ actorRole: 'admin', correctionReason: REASON });
    expect(history.find((i) => i.kind === 'change' && i.version === 1)).toMatchObject({ actorRole: 'rep', correctionReason: null });
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, 'pledge.corrected'));
    expect(audit).toMatchObject({ subject: 'testpartij-a/eerste-doel', details: { version: 2, reason: REASON } });
    // Between T2 and T3 the board showed the correction with its reason; after T3, the party's words.
    const between = await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS, new Date(T2.getTime() + 1000));
    expect(between.rows.find((r) => r.party.id === partyA)!.cells[0]!.correctedByCampaign).toEqual({ at: T2, reason: REASON });
    const after = await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS, new Date(T3.getTime() + 1000));
    expect(after.rows.find((r) => r.party.id === partyA)!.cells[0]!.correctedByCampaign).toBeNull();
  });

  it('two corrections in a row: each moment shows the reason of the version shown', async () => {
    const t4 = new Date('2026-05-01T10:00:00Z');
    const t5 = new Date('2026-06-01T10:00:00Z');
    const onGoal2 = { goalSlug: 'tweede-doel', actor: admin };
    expect((await save({ goalSlug: 'tweede-doel', now: t4 })).status).toBe('saved');
    expect(
      (await save({ ...onGoal2, baseVersion: 1, input: { stance: 'declined', statement: 'Nee.' }, correctionReason: 'Eerste reden', now: t4 })).status,
    ).toBe('saved');
    const second = {
      ...onGoal2,
      baseVersion: 2,
      input: { stance: 'partial', statement: 'Deels.' },
      correctionReason: '  Tweede reden\r\nmet een regel  ',
      now: t5,
    };
    expect((await save(second)).status).toBe('saved');
    const cellAt = async (at: Date | null) =>
      (await loadScoreboard(db(), TEST_CAMPAIGN_ID, TEST_GOALS, at)).rows.find((r) => r.party.id === partyA)!.cells[1]!.correctedByCampaign;
    expect(await cellAt(new Date(t5.getTime() - 1000))).toEqual({ at: t4, reason: 'Eerste reden' });
    // Trimmed, one newline convention (as every free text).
    expect(await cellAt(null)).toEqual({ at: t5, reason: 'Tweede reden\nmet een regel' });
    expect(await cellAt(new Date(t5.getTime() + 1000))).toEqual({ at: t5, reason: 'Tweede reden\nmet een regel' });
  });

  it("refuses an admin's correction without a usable reason, with the pledge's own problems, writing nothing", async () => {
    const counts = async () => ({ pledges: (await db().select().from(pledges)).length, events: (await db().select().from(pledgeEvents)).length });
    const before = await counts();
    const correct = (correctionReason: string | null | undefined, input: Record<string, unknown> = { stance: 'partial', statement: 'Deels.' }) =>
      save({ partySlug: 'testpartij-b', goalSlug: 'eerste-doel', actor: admin, input, correctionReason });
    expect(await correct(undefined)).toEqual({ status: 'invalid', issues: { correctionReason: 'pledge.correctionReason' } });
    expect(await correct(null)).toEqual({ status: 'invalid', issues: { correctionReason: 'pledge.correctionReason' } });
    expect(await correct(' \n\t ')).toEqual({ status: 'invalid', issues: { correctionReason: 'pledge.correctionReason' } });
    expect(await correct('x'.repeat(301))).toEqual({ status: 'invalid', issues: { correctionReason: 'pledge.correctionReasonTooLong' } });
    expect(await correct('Met een \u0000 erin')).toEqual({ status: 'invalid', issues: { correctionReason: 'text.forbiddenCharacter' } });
    // All problems at once: the stance and the reason.
    expect(await correct('', { stance: 'misschien', statement: '' })).toEqual({
      status: 'invalid',
      issues: { stance: 'stance.invalid', correctionReason: 'pledge.correctionReason' },
    });
    // The form for all goals holds an admin to the same rule.
    const all = await savePledges(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-b',
      goalSlugs: TEST_GOAL_SLUGS,
      drafts: [{ goalSlug: 'eerste-doel', baseVersion: 0, input: { stance: 'committed', statement: 'Ja.' } }],
      actor: admin,
    });
    expect(all).toEqual({ status: 'invalid', issues: { 'eerste-doel': { correctionReason: 'pledge.correctionReason' } } });
    expect(await counts()).toEqual(before);
    // 300 characters is enough.
    expect((await correct('x'.repeat(300))).status).toBe('saved');
  });

  it('the database refuses a reason on a save that is not the campaign’s', async () => {
    await expect(
      db()
        .update(pledges)
        .set({ correctionReason: 'Sluipweg' })
        .where(and(eq(pledges.partyId, partyA), eq(pledges.goalSlug, 'eerste-doel'))),
    ).rejects.toThrow();
  });
});
