/**
 * An archived campaign is read-only for everyone (issue 14), in the database itself
 * (drizzle/0020), so no path writes to it: not a form, not the command line, not a script.
 * The campaign row stays writable: an admin can take it out of the archive again.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isArchivedCampaignWrite } from '../../src/db/errors.ts';
import { campaignParties, campaigns, candidates, candidateSignatures, pledges, reminderSchedule, statementModerations, users } from '../../src/db/schema.ts';
import { CLI_ACTOR, SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { addReminder } from '../../src/domain/reminders.ts';
import { createInvites } from '../../src/domain/invites.ts';
import { setDeadline, setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { moderateStatement } from '../../src/domain/moderation.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { setPartyRetired } from '../../src/domain/parties.ts';
import { addTestParties, TEST_PARTIES, testMailContext, testRep } from '../fixtures/board.ts';
import { addTestCampaign } from '../fixtures/campaigns.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

describe.each(ENGINES)('an archived campaign on %s', (engine) => {
  let test: TestDatabase;
  let campaignId: number;
  let partyId: number;
  let pledgeId: number;
  let candidateId: number;
  let userId: number;
  const db = () => test.database.db;
  const archive = (state: 'archived' | 'open') => db().update(campaigns).set({ state }).where(eq(campaigns.id, campaignId));

  async function refused(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return false;
    } catch (error) {
      if (isArchivedCampaignWrite(error)) return true;
      throw error;
    }
  }

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    campaignId = await addTestCampaign(db(), { slug: 'archief-test' });
    const ids = await addTestParties(db(), TEST_PARTIES.slice(0, 1), campaignId);
    partyId = ids.get('testpartij-a')!;
    const saved = await savePledge(db(), {
      campaignId,
      partySlug: 'testpartij-a',
      goalSlug: 'veilige-apps',
      goalSlugs: ['veilige-apps', 'hulp-op-school'],
      baseVersion: 0,
      input: { stance: 'committed', statement: 'Ja.', evidenceUrl: 'https://example.org/p.pdf', evidencePage: 1 },
      actor: testRep(partyId),
    });
    if (saved.status !== 'saved') throw new Error(saved.status);
    pledgeId = saved.pledge.id;
    const [candidate] = await db()
      .insert(candidates)
      .values({ campaignId, partyId, personKey: 'k', initials: 'A.', lastName: 'Archief', position: 1 })
      .returning({ id: candidates.id });
    candidateId = candidate!.id;
    const [user] = await db()
      .insert(users)
      .values({ email: 'kandidaat@example.org', displayName: 'A. Archief', role: 'candidate', candidateId, passwordHash: 'x' })
      .returning({ id: users.id });
    userId = user!.id;
    await archive('archived');
  });
  afterAll(() => test?.drop());

  it('refuses every write to its pledges, parties, candidates, signatures, moderation and reminders', async () => {
    expect(await refused(() => db().update(pledges).set({ statement: 'Toch anders.' }).where(eq(pledges.id, pledgeId)))).toBe(true);
    expect(await refused(() => db().delete(campaignParties).where(eq(campaignParties.campaignId, campaignId)))).toBe(true);
    expect(await refused(() => db().update(candidates).set({ place: 'Elders' }).where(eq(candidates.id, candidateId)))).toBe(true);
    expect(await refused(() => db().insert(candidateSignatures).values({ candidateId, goalSlug: 'veilige-apps', committed: true, byUserId: userId }))).toBe(
      true,
    );
    expect(await refused(() => db().insert(statementModerations).values({ pledgeId, version: 1, hidden: true, reason: 'x', byName: 'Beheer' }))).toBe(true);
    expect(await refused(() => db().insert(reminderSchedule).values({ campaignId, daysBefore: 3 }))).toBe(true);
    // Through the domain, as a form or the command line would: refused, nothing written.
    expect(await refused(() => addReminder(db(), campaignId, '5', { actor: CLI_ACTOR }))).toBe(true);
    expect(await refused(() => setPartyRetired(db(), campaignId, 'testpartij-a', true, { actor: CLI_ACTOR }))).toBe(true);
    expect(
      await refused(() =>
        moderateStatement(db(), {
          campaignId,
          partySlug: 'testpartij-a',
          goalSlug: 'veilige-apps',
          hide: true,
          reason: 'Een reden.',
          actor: { ...SYSTEM_ACTOR, role: 'admin' },
        }),
      ),
    ).toBe(true);
    // Nor its deadline, its pledging switch or its texts; nor an invitation in its name.
    expect(await refused(() => setDeadline(db(), campaignId, new Date('2031-01-01T12:00:00Z'), CLI_ACTOR))).toBe(true);
    expect(await refused(() => setPledgingOverride(db(), campaignId, 'open', CLI_ACTOR))).toBe(true);
    expect(await refused(() => db().update(campaigns).set({ slug: 'ander-adres' }).where(eq(campaigns.id, campaignId)))).toBe(true);
    expect(
      await refused(() =>
        createInvites(
          db(),
          { campaignId, partySlug: 'testpartij-a', emails: [{ line: 1, text: 'nieuw@partij-a.example' }] },
          { actor: CLI_ACTOR, mail: testMailContext() },
        ),
      ),
    ).toBe(true);
    const [pledge] = await db().select().from(pledges).where(eq(pledges.id, pledgeId));
    expect(pledge!.statement).toBe('Ja.');
    expect(await db().select().from(reminderSchedule).where(eq(reminderSchedule.campaignId, campaignId))).toEqual([]);
  });

  it('a party save is refused as closed, before anything is written', async () => {
    const result = await savePledge(db(), {
      campaignId,
      partySlug: 'testpartij-a',
      goalSlug: 'hulp-op-school',
      goalSlugs: ['veilige-apps', 'hulp-op-school'],
      baseVersion: 0,
      input: { stance: 'declined', statement: 'Nee.', evidenceUrl: 'https://example.org/p.pdf', evidencePage: 2 },
      actor: testRep(partyId),
    });
    expect(result.status).toBe('closed');
  });

  it('takes writes again once an admin takes it out of the archive', async () => {
    await archive('open');
    try {
      await db().update(candidates).set({ place: 'Elders' }).where(eq(candidates.id, candidateId));
      const [candidate] = await db().select().from(candidates).where(eq(candidates.id, candidateId));
      expect(candidate!.place).toBe('Elders');
    } finally {
      await archive('archived');
    }
  });
});
