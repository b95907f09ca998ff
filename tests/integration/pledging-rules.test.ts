import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, parties } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/domain/actors.ts';
import { listPartyHistory } from '../../src/domain/history.ts';
import { moderateStatement } from '../../src/domain/moderation.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { loadDeadline, loadPledgingState, setDeadline, setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { savePledge, type SavePledgeCommand } from '../../src/domain/pledges.ts';
import { loadPartyRow, loadScoreboard } from '../../src/domain/scoreboard.ts';
import { toScoreboardJsonV1 } from '../../src/domain/scoreboard-json.ts';
import { readCampaign } from '../../src/content-files.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { TEST_GOALS, TEST_GOAL_SLUGS, TEST_PARTIES } from '../fixtures/board.ts';

const HOUR = 60 * 60 * 1000;

describe.each(ENGINES)('pledging rules on %s', (engine) => {
  let test: TestDatabase;
  let repOfA: Actor;
  let admin: Actor;
  let partyA: number;
  const db = () => test.database.db;

  function save(overrides: Partial<SavePledgeCommand>) {
    return savePledge(db(), {
      partySlug: 'testpartij-a',
      goalSlug: 'eerste-doel',
      goalSlugs: TEST_GOAL_SLUGS,
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.' },
      actor: repOfA,
      deadline: null,
      ...overrides,
    });
  }

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_PARTIES);
    const [a] = await db().select().from(parties).where(eq(parties.slug, 'testpartij-a'));
    partyA = a!.id;
    const rep = await createAccount(db(), { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Rita Rep' });
    const adm = await createAccount(db(), { email: 'beheer@campagne.example', name: 'Bert Bakker' });
    repOfA = { userId: rep.user.id, name: 'Rita Rep', role: 'rep', partyId: partyA, label: rep.email };
    admin = { userId: adm.user.id, name: 'Bert Bakker', role: 'admin', partyId: null, label: adm.email };
  });
  afterAll(() => test.drop());
  beforeEach(() => setPledgingOverride(db(), null, SYSTEM_ACTOR));

  it('a representative may not speak for another party', async () => {
    expect((await save({ partySlug: 'testpartij-b' })).status).toBe('forbidden');
  });

  it('after the deadline pledges are read-only, until an admin reopens pledging', async () => {
    const deadline = new Date(Date.now() - HOUR);
    expect((await save({ deadline, goalSlug: 'tweede-doel' })).status).toBe('closed');
    expect((await save({ deadline, goalSlug: 'tweede-doel', actor: admin, correctionReason: 'Verkeerde link.' })).status).toBe('closed');
    await setPledgingOverride(db(), 'open', admin);
    expect((await save({ deadline, goalSlug: 'tweede-doel' })).status).toBe('saved');
  });

  it('before the deadline an admin can still close pledging', async () => {
    const deadline = new Date(Date.now() + HOUR);
    await setPledgingOverride(db(), 'closed', admin);
    expect((await save({ deadline, goalSlug: 'derde-doel' })).status).toBe('closed');
    await setPledgingOverride(db(), null, admin);
    expect((await save({ deadline, goalSlug: 'derde-doel' })).status).toBe('saved');
    const actions = (await db().select().from(auditLog)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['pledging.opened', 'pledging.closed', 'pledging.follows-deadline']));
  });

  it('a deadline set in Beheer replaces the campaign file’s, for saves too; cleared, the file’s counts again', async () => {
    const fileDeadline = new Date(Date.now() + HOUR);
    // Half an hour from now; seen from 45 minutes on, it has passed while the file's has not.
    const later = new Date(Date.now() + 30 * 60 * 1000);
    expect(await setDeadline(db(), later, fileDeadline, admin)).toBe('done');
    expect(await loadDeadline(db(), fileDeadline)).toEqual({ deadline: later, setByAdmin: true });
    expect((await loadPledgingState(db(), fileDeadline, new Date(Date.now() + 45 * 60 * 1000))).open).toBe(false);
    expect((await loadPledgingState(db(), null, new Date(Date.now() + 45 * 60 * 1000))).reason).toBe('deadline-passed');
    expect(await setDeadline(db(), later, fileDeadline, admin)).toBe('unchanged');
    expect(await setDeadline(db(), null, fileDeadline, admin)).toBe('done');
    expect(await setDeadline(db(), null, fileDeadline, admin)).toBe('unchanged');
    expect(await loadDeadline(db(), fileDeadline)).toEqual({ deadline: fileDeadline, setByAdmin: false });
    const entries = await db().select().from(auditLog).where(eq(auditLog.action, 'pledging.deadline-set'));
    expect(entries.at(-1)?.details).toEqual({ from: fileDeadline.toISOString(), to: later.toISOString() });
    const cleared = await db().select().from(auditLog).where(eq(auditLog.action, 'pledging.deadline-cleared'));
    expect(cleared).toHaveLength(1);
    expect(cleared[0]?.details).toEqual({ from: later.toISOString(), to: fileDeadline.toISOString() });
  });

  it('a save after a deadline set in Beheer has passed is refused, whatever the file says', async () => {
    const past = new Date(Date.now() - HOUR);
    // Written as setDeadline writes it: a past one cannot be typed in Beheer, but time passes.
    expect(await setDeadline(db(), past, null, admin)).toBe('done');
    expect((await save({ deadline: null, goalSlug: 'tweede-doel' })).status).toBe('closed');
    expect(await setDeadline(db(), null, null, admin)).toBe('done');
    expect((await save({ deadline: null, goalSlug: 'tweede-doel' })).status).not.toBe('closed');
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
    const history = await listPartyHistory(db(), partyA);
    expect(history[0]).toMatchObject({ kind: 'change', actorRole: 'admin', actorName: 'Bert Bakker', stanceBefore: 'committed', stanceAfter: 'partial' });
    expect((await db().select().from(auditLog)).some((e) => e.action === 'pledge.corrected' && e.subject === 'testpartij-a/eerste-doel')).toBe(true);
  });

  it('moderation hides a statement with a public reason; the stance and the admin history keep the words', async () => {
    expect(await moderateStatement(db(), { partySlug: 'testpartij-a', goalSlug: 'eerste-doel', hide: true, reason: 'x', actor: admin })).toEqual({
      issues: { reason: 'moderation.reason' },
    });
    expect(
      await moderateStatement(db(), { partySlug: 'testpartij-a', goalSlug: 'eerste-doel', hide: true, reason: 'Bevat een persoonsnaam', actor: admin }),
    ).toBe('done');
    expect(await moderateStatement(db(), { partySlug: 'testpartij-a', goalSlug: 'eerste-doel', hide: true, reason: 'Nog eens', actor: admin })).toBe(
      'unchanged',
    );

    const row = (await loadPartyRow(db(), TEST_GOALS, 'testpartij-a'))!;
    expect(row.cells[0]).toMatchObject({ stance: 'partial', hiddenReason: 'Bevat een persoonsnaam' });
    const goals = TEST_GOALS.map((g) => ({ ...g, title: g.slug, shortTitle: g.slug, measures: [], manifestoText: '', locale: 'nl' as const }));
    const campaign = await readCampaign();
    const json = toScoreboardJsonV1(await loadScoreboard(db(), goals), campaign, await loadPledgingState(db(), campaign.pledgeDeadline), 'nl');
    expect(json.parties.find((p) => p.slug === 'testpartij-a')!.pledges['eerste-doel']).toMatchObject({
      stance: 'partial',
      statement: null,
      statementHiddenReason: 'Bevat een persoonsnaam',
    });

    const publicHistory = await listPartyHistory(db(), partyA);
    const adminHistory = await listPartyHistory(db(), partyA, { forAdmin: true });
    const publicChange = publicHistory.find((i) => i.kind === 'change' && i.statementAfterHidden);
    expect(publicChange).toMatchObject({ statementAfter: null, statementAfterHidden: 'Bevat een persoonsnaam' });
    expect(adminHistory.find((i) => i.kind === 'change' && i.statementAfterHidden)).toMatchObject({ statementAfter: 'Gecorrigeerd.' });
    expect(publicHistory.some((i) => i.kind === 'moderation' && i.hidden && i.reason === 'Bevat een persoonsnaam')).toBe(true);
    expect(JSON.stringify(publicHistory)).not.toContain('Gecorrigeerd.');
  });

  it("a party's next version is its own words again, shown", async () => {
    const row = (await loadPartyRow(db(), TEST_GOALS, 'testpartij-a'))!;
    const next = await save({ baseVersion: row.cells[0]!.pledge!.version, input: { stance: 'committed', statement: 'Nieuwe tekst.' } });
    expect(next.status).toBe('saved');
    expect((await loadPartyRow(db(), TEST_GOALS, 'testpartij-a'))!.cells[0]!.hiddenReason).toBeNull();
  });
});
