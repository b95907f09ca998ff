import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, campaigns, parties } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/domain/actors.ts';
import { loadCampaigns } from '../../src/domain/campaigns.ts';
import { listPartyHistory } from '../../src/domain/history.ts';
import { moderateStatement } from '../../src/domain/moderation.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { loadDeadline, loadPledgingState, setDeadline, setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { savePledge, type SavePledgeCommand } from '../../src/domain/pledges.ts';
import { loadPartyRow, loadScoreboard } from '../../src/domain/scoreboard.ts';
import { toScoreboardJsonV1 } from '../../src/domain/scoreboard-json.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { TEST_CAMPAIGN_ID, TEST_GOALS, TEST_GOAL_SLUGS, TEST_PARTIES } from '../fixtures/board.ts';

const HOUR = 60 * 60 * 1000;

describe.each(ENGINES)('pledging rules on %s', (engine) => {
  let test: TestDatabase;
  let repOfA: Actor;
  let admin: Actor;
  let partyA: number;
  const db = () => test.database.db;

  function save(overrides: Partial<SavePledgeCommand>) {
    return savePledge(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: 'eerste-doel',
      goalSlugs: TEST_GOAL_SLUGS,
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.' },
      actor: repOfA,
      ...overrides,
    });
  }

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    const [a] = await db().select().from(parties).where(eq(parties.slug, 'testpartij-a'));
    partyA = a!.id;
    const rep = await createAccount(db(), { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Rita Rep' });
    const adm = await createAccount(db(), { email: 'beheer@campagne.example', name: 'Bert Bakker' });
    repOfA = { userId: rep.user.id, name: 'Rita Rep', role: 'rep', partyId: partyA, label: rep.email };
    admin = { userId: adm.user.id, name: 'Bert Bakker', role: 'admin', partyId: null, label: adm.email };
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
    // Each test sets the deadline it needs; none is left from the one before (no audit line).
    await db().update(campaigns).set({ pledgeDeadline: null }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
  });

  it('a representative may not speak for another party', async () => {
    expect((await save({ partySlug: 'testpartij-b' })).status).toBe('forbidden');
  });

  it('after the deadline pledges are read-only, until an admin reopens pledging', async () => {
    // Written as setDeadline writes it: a past one cannot be typed in Beheer, but time passes.
    expect(await setDeadline(db(), TEST_CAMPAIGN_ID, new Date(Date.now() - HOUR), admin)).toBe('done');
    expect((await save({ goalSlug: 'tweede-doel' })).status).toBe('closed');
    expect((await save({ goalSlug: 'tweede-doel', actor: admin, correctionReason: 'Verkeerde link.' })).status).toBe('closed');
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, 'open', admin);
    expect((await save({ goalSlug: 'tweede-doel' })).status).toBe('saved');
  });

  it('before the deadline an admin can still close pledging', async () => {
    expect(await setDeadline(db(), TEST_CAMPAIGN_ID, new Date(Date.now() + HOUR), admin)).toBe('done');
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, 'closed', admin);
    expect((await save({ goalSlug: 'derde-doel' })).status).toBe('closed');
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, null, admin);
    expect((await save({ goalSlug: 'derde-doel' })).status).toBe('saved');
    const actions = (await db().select().from(auditLog)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['pledging.opened', 'pledging.closed', 'pledging.follows-deadline']));
  });

  it('the deadline set in Beheer is the campaign’s, for saves too; removed, pledging stays open', async () => {
    // Half an hour from now; seen from 45 minutes on, it has passed.
    const later = new Date(Date.now() + 30 * 60 * 1000);
    const soon = new Date(Date.now() + 15 * 60 * 1000);
    const afterIt = new Date(Date.now() + 45 * 60 * 1000);
    expect(await setDeadline(db(), TEST_CAMPAIGN_ID, later, admin)).toBe('done');
    expect(await loadDeadline(db(), TEST_CAMPAIGN_ID)).toEqual(later);
    expect(await loadPledgingState(db(), TEST_CAMPAIGN_ID, soon)).toEqual({ open: true, reason: 'before-deadline', deadline: later });
    expect(await loadPledgingState(db(), TEST_CAMPAIGN_ID, afterIt)).toEqual({ open: false, reason: 'deadline-passed', deadline: later });
    expect(await setDeadline(db(), TEST_CAMPAIGN_ID, later, admin)).toBe('unchanged');
    expect(await setDeadline(db(), TEST_CAMPAIGN_ID, null, admin)).toBe('done');
    expect(await setDeadline(db(), TEST_CAMPAIGN_ID, null, admin)).toBe('unchanged');
    expect(await loadDeadline(db(), TEST_CAMPAIGN_ID)).toBeNull();
    expect(await loadPledgingState(db(), TEST_CAMPAIGN_ID, afterIt)).toEqual({ open: true, reason: 'no-deadline', deadline: null });
    const entries = await db().select().from(auditLog).where(eq(auditLog.action, 'pledging.deadline-set'));
    expect(entries.at(-1)?.details).toEqual({ campaignId: TEST_CAMPAIGN_ID, from: null, to: later.toISOString() });
    const cleared = await db().select().from(auditLog).where(eq(auditLog.action, 'pledging.deadline-cleared'));
    expect(cleared).toHaveLength(1);
    expect(cleared[0]?.details).toEqual({ campaignId: TEST_CAMPAIGN_ID, from: later.toISOString(), to: null });
  });

  it('a save after the campaign’s deadline has passed is refused; with the deadline removed it is taken again', async () => {
    expect(await setDeadline(db(), TEST_CAMPAIGN_ID, new Date(Date.now() - HOUR), admin)).toBe('done');
    expect((await save({ goalSlug: 'tweede-doel' })).status).toBe('closed');
    expect(await setDeadline(db(), TEST_CAMPAIGN_ID, null, admin)).toBe('done');
    expect((await save({ goalSlug: 'tweede-doel' })).status).not.toBe('closed');
  });

  it('a campaign that is not open takes no pledges, whatever the deadline or an admin’s reopening says', async () => {
    try {
      await db().update(campaigns).set({ state: 'closed' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
      await setPledgingOverride(db(), TEST_CAMPAIGN_ID, 'open', admin);
      expect((await loadPledgingState(db(), TEST_CAMPAIGN_ID)).reason).toBe('campaign-not-open');
      expect((await save({ goalSlug: 'derde-doel', baseVersion: 1 })).status).toBe('closed');
      expect((await save({ goalSlug: 'derde-doel', baseVersion: 1, actor: admin, correctionReason: 'Verkeerde link.' })).status).toBe('closed');
    } finally {
      await db().update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    }
    expect((await save({ goalSlug: 'derde-doel', baseVersion: 1, input: { stance: 'declined', statement: 'Toch niet.' } })).status).toBe('saved');
  });

  it("an admin's change is a visible correction, on the audit record", async () => {
    const first = await save({});
    if (first.status !== 'saved') throw new Error(first.status);
    const corrected = await save({
      actor: admin,
      baseVersion: first.pledge.version,
      input: { stance: 'partial', statement: 'Gecorrigeerd.' },
      correctionReason: 'Verkeerd overgenomen.',
    });
    expect(corrected).toMatchObject({ status: 'saved', pledge: { updatedByRole: 'admin', updatedByName: 'Bert Bakker' } });
    const history = await listPartyHistory(db(), TEST_CAMPAIGN_ID, partyA);
    expect(history[0]).toMatchObject({ kind: 'change', actorRole: 'admin', actorName: 'Bert Bakker', stanceBefore: 'committed', stanceAfter: 'partial' });
    expect((await db().select().from(auditLog)).some((e) => e.action === 'pledge.corrected' && e.subject === 'testpartij-a/eerste-doel')).toBe(true);
  });

  it('moderation hides a statement with a public reason; the stance and the admin history keep the words', async () => {
    expect(
      await moderateStatement(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-a',
        goalSlug: 'eerste-doel',
        hide: true,
        reason: 'x',
        actor: admin,
      }),
    ).toEqual({
      issues: { reason: 'moderation.reason' },
    });
    expect(
      await moderateStatement(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-a',
        goalSlug: 'eerste-doel',
        hide: true,
        reason: 'Bevat een persoonsnaam',
        actor: admin,
      }),
    ).toBe('done');
    expect(
      await moderateStatement(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-a',
        goalSlug: 'eerste-doel',
        hide: true,
        reason: 'Nog eens',
        actor: admin,
      }),
    ).toBe('unchanged');

    const row = (await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'testpartij-a'))!;
    expect(row.cells[0]).toMatchObject({ stance: 'partial', hiddenReason: 'Bevat een persoonsnaam' });
    const goals = TEST_GOALS.map((g) => ({ ...g, title: g.slug, shortTitle: g.slug, measures: [], manifestoText: '', summary: '', locale: 'nl' as const }));
    const { campaign } = (await loadCampaigns(db())).find((c) => c.campaign.id === TEST_CAMPAIGN_ID)!;
    const json = toScoreboardJsonV1(await loadScoreboard(db(), TEST_CAMPAIGN_ID, goals), campaign, await loadPledgingState(db(), TEST_CAMPAIGN_ID), 'nl');
    expect(json.parties.find((p) => p.slug === 'testpartij-a')!.pledges['eerste-doel']).toMatchObject({
      stance: 'partial',
      statement: null,
      statementHiddenReason: 'Bevat een persoonsnaam',
    });

    const publicHistory = await listPartyHistory(db(), TEST_CAMPAIGN_ID, partyA);
    const adminHistory = await listPartyHistory(db(), TEST_CAMPAIGN_ID, partyA, { forAdmin: true });
    const publicChange = publicHistory.find((i) => i.kind === 'change' && i.statementAfterHidden);
    expect(publicChange).toMatchObject({ statementAfter: null, statementAfterHidden: 'Bevat een persoonsnaam' });
    expect(adminHistory.find((i) => i.kind === 'change' && i.statementAfterHidden)).toMatchObject({ statementAfter: 'Gecorrigeerd.' });
    expect(publicHistory.some((i) => i.kind === 'moderation' && i.hidden && i.reason === 'Bevat een persoonsnaam')).toBe(true);
    expect(JSON.stringify(publicHistory)).not.toContain('Gecorrigeerd.');
  });

  it("a party's next version is its own words again, shown", async () => {
    const row = (await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'testpartij-a'))!;
    const next = await save({ baseVersion: row.cells[0]!.pledge!.version, input: { stance: 'committed', statement: 'Nieuwe tekst.' } });
    expect(next.status).toBe('saved');
    expect((await loadPartyRow(db(), TEST_CAMPAIGN_ID, TEST_GOALS, 'testpartij-a'))!.cells[0]!.hiddenReason).toBeNull();
  });
});
