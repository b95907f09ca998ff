import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, campaignParties, campaigns, parties, pledgeEvents, pledges } from '../../src/db/schema.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { savePledge, savePledges, type PledgeDraft, type SavePledgeCommand, type SavePledgeResult } from '../../src/domain/pledges.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createTestDatabase, ENGINES, rowsOf, type TestDatabase } from '../helpers/engines.ts';
import { addTestParties, TEST_ACTOR, TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS, TEST_PARTIES } from '../fixtures/board.ts';

const committed = { stance: 'committed', statement: 'Wij nemen dit over.', evidenceUrl: 'https://example.org/a/p', evidencePage: 3 } as const;

describe.each(ENGINES)('saving pledges on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;

  function command(overrides: Partial<SavePledgeCommand> = {}): SavePledgeCommand {
    return {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: 'eerste-doel',
      goalSlugs: TEST_GOAL_SLUGS,
      baseVersion: 0,
      input: committed,
      actor: TEST_ACTOR,
      ...overrides,
    };
  }

  async function rowCounts() {
    const [p] = await db().select({ n: count() }).from(pledges);
    const [e] = await db().select({ n: count() }).from(pledgeEvents);
    return { pledges: p!.n, events: e!.n };
  }

  beforeAll(async () => {
    test = await createTestDatabase(engine);
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    // Events are append-only by trigger; a fresh set of parties per test keeps tests apart.
    await db().execute(sql`alter table pledge_events disable trigger user`);
    await db().delete(pledgeEvents);
    await db().execute(sql`alter table pledge_events enable trigger user`);
    await db().delete(pledges);
    await db().delete(campaignParties);
    await db().delete(parties);
    await addTestParties(db(), TEST_PARTIES);
    // The campaign takes pledges (no deadline, no override) unless a test says otherwise.
    await db().update(campaigns).set({ state: 'open', pledgeDeadline: null, pledgingOverride: null }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
  });

  it('writes the first pledge as version 1 with its history event', async () => {
    const result = await savePledge(db(), command());
    expect(result.status).toBe('saved');
    if (result.status !== 'saved') return;
    expect(result.pledge).toMatchObject({ version: 1, stance: 'committed', updatedByName: TEST_ACTOR.name });
    expect(result.event).toMatchObject({
      version: 1,
      stanceBefore: null,
      stanceAfter: 'committed',
      statementAfter: committed.statement,
      evidenceUrlAfter: committed.evidenceUrl,
      evidencePageAfter: 3,
      actorName: TEST_ACTOR.name,
      actorRole: 'system',
    });
    expect(await rowCounts()).toEqual({ pledges: 1, events: 1 });
  });

  it('writes the pledge and its event together or not at all: a failing event leaves the pledge as it was', async () => {
    await savePledge(db(), command());
    const before = await db().select().from(pledges);
    // Make the history write fail (as a full disk or a lost connection would) for this text only.
    await db().execute(sql`alter table pledge_events add constraint test_refuse_boom check (statement_after is distinct from 'boom')`);
    try {
      await expect(savePledge(db(), command({ baseVersion: 1, input: { ...committed, statement: 'boom' } }))).rejects.toThrow();
      expect(await db().select().from(pledges)).toEqual(before);
      expect(await rowCounts()).toEqual({ pledges: 1, events: 1 });
      // A first pledge on another goal fails the same way: no pledge without its event.
      await expect(savePledge(db(), command({ goalSlug: 'tweede-doel', input: { ...committed, statement: 'boom' } }))).rejects.toThrow();
      expect(await rowCounts()).toEqual({ pledges: 1, events: 1 });
    } finally {
      await db().execute(sql`alter table pledge_events drop constraint test_refuse_boom`);
    }
  });

  it('records a change from what to what, and bumps the version', async () => {
    await savePledge(db(), command({ now: new Date('2026-05-01T10:00:00Z') }));
    const result = await savePledge(
      db(),
      command({ baseVersion: 1, input: { stance: 'partial', statement: 'Deels.', evidenceUrl: '' }, now: new Date('2026-05-02T10:00:00Z') }),
    );
    expect(result.status).toBe('saved');
    if (result.status !== 'saved') return;
    expect(result.pledge).toMatchObject({ version: 2, stance: 'partial', evidenceUrl: null, evidencePage: null });
    expect(result.pledge.updatedAt).toEqual(new Date('2026-05-02T10:00:00Z'));
    expect(result.event).toMatchObject({
      version: 2,
      stanceBefore: 'committed',
      stanceAfter: 'partial',
      statementBefore: committed.statement,
      statementAfter: 'Deels.',
      evidenceUrlBefore: committed.evidenceUrl,
      evidenceUrlAfter: null,
      evidencePageBefore: 3,
      evidencePageAfter: null,
    });
    const history = await db().select().from(pledgeEvents).orderBy(pledgeEvents.id);
    expect(history.map((e) => e.stanceAfter)).toEqual(['committed', 'partial']);
  });

  it('refuses a save that started from an older version and writes nothing', async () => {
    await savePledge(db(), command());
    await savePledge(db(), command({ baseVersion: 1, input: { ...committed, stance: 'declined' } }));
    const stale = await savePledge(db(), command({ baseVersion: 1, input: { ...committed, stance: 'partial' } }));
    expect(stale.status).toBe('conflict');
    if (stale.status === 'conflict') expect(stale.current).toMatchObject({ version: 2, stance: 'declined' });
    expect(await rowCounts()).toEqual({ pledges: 1, events: 2 });
  });

  it('lets only one of two simultaneous first saves through; the other is told what the first saved', async () => {
    const results = await Promise.all([
      savePledge(db(), command({ input: { ...committed, statement: 'Eerste.' } })),
      savePledge(db(), command({ input: { ...committed, statement: 'Tweede.' } })),
    ]);
    const saved = results.find((r) => r.status === 'saved');
    const conflict = results.find((r) => r.status === 'conflict');
    expect(saved && conflict, JSON.stringify(results.map((r) => r.status))).toBeTruthy();
    if (saved?.status !== 'saved' || conflict?.status !== 'conflict') return;
    expect(conflict.current).toEqual(saved.pledge);
    expect(await rowCounts()).toEqual({ pledges: 1, events: 1 });
  });

  it('refuses a first save when the pledge was saved since the form was opened, showing that version', async () => {
    const other = await savePledge(db(), command({ input: { ...committed, statement: 'Van een collega.' } }));
    const late = await savePledge(db(), command({ input: { ...committed, statement: 'Van mij.' } }));
    expect(late.status).toBe('conflict');
    if (late.status === 'conflict' && other.status === 'saved') expect(late.current).toEqual(other.pledge);
    expect(await rowCounts()).toEqual({ pledges: 1, events: 1 });
  });

  it.runIf(engine === 'postgres')('refuses a first save that raced another one still in its transaction', async () => {
    // Another instance has inserted the pledge but not committed: this save must wait for it
    // at the insert, and then report a conflict with what the other one saved.
    const other = await openDatabase(test.target);
    try {
      let racing: Promise<SavePledgeResult> | undefined;
      await other.db.transaction(async (tx) => {
        const [party] = await tx.select().from(parties).where(eq(parties.slug, 'testpartij-a'));
        await tx.insert(pledges).values({
          campaignId: TEST_CAMPAIGN_ID,
          partyId: party!.id,
          goalSlug: 'eerste-doel',
          stance: 'declined',
          statement: 'Van de andere instantie.',
          version: 1,
          updatedByName: 'Ander',
          updatedByRole: 'system',
        });
        racing = savePledge(db(), command());
        // Commit only once the racing save waits on our row's lock (at most 5 seconds).
        for (let i = 0; i < 100; i++) {
          const waiting = await db().execute(sql`select count(*)::int as n from pg_locks where not granted`);
          if (rowsOf<{ n: number }>(waiting)[0]!.n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const waiting = await db().execute(sql`select count(*)::int as n from pg_locks where not granted`);
        expect(rowsOf<{ n: number }>(waiting)[0]!.n).toBeGreaterThan(0);
      });
      const result = await racing!;
      expect(result.status).toBe('conflict');
      if (result.status === 'conflict') expect(result.current).toMatchObject({ statement: 'Van de andere instantie.', version: 1 });
      expect(await rowCounts()).toEqual({ pledges: 1, events: 0 });
    } finally {
      await other.close();
    }
  });

  it('lets only one of two simultaneous updates from the same version through', async () => {
    await savePledge(db(), command());
    const results = await Promise.all([
      savePledge(db(), command({ baseVersion: 1, input: { ...committed, stance: 'partial' } })),
      savePledge(db(), command({ baseVersion: 1, input: { ...committed, stance: 'declined' } })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['conflict', 'saved']);
    const [row] = await db().select().from(pledges);
    expect(row!.version).toBe(2);
    expect(await rowCounts()).toEqual({ pledges: 1, events: 2 });
  });

  it('does not record a save that changes nothing', async () => {
    await savePledge(db(), command());
    const again = await savePledge(db(), command({ baseVersion: 1 }));
    expect(again.status).toBe('unchanged');
    expect(await rowCounts()).toEqual({ pledges: 1, events: 1 });
  });

  it.each([
    ['an unknown goal', { goalSlug: 'verzonnen-doel' }, 'unknown-goal'],
    ['an unknown party', { partySlug: 'bestaat-niet' }, 'unknown-party'],
    ['a statement that is too long', { input: { ...committed, statement: 'x'.repeat(1001) } }, 'invalid'],
    ['a link that is not an address', { input: { ...committed, evidenceUrl: 'programma pagina 3' } }, 'invalid'],
    ['a version that does not exist', { baseVersion: 4 }, 'invalid'],
  ] as const)('refuses %s and writes nothing', async (_, overrides, status) => {
    const result = await savePledge(db(), command(overrides));
    expect(result.status).toBe(status);
    expect(await rowCounts()).toEqual({ pledges: 0, events: 0 });
  });

  it('refuses a pledge for a retired party', async () => {
    const [party] = await db().select().from(parties).where(eq(parties.slug, 'testpartij-a'));
    await db().update(campaignParties).set({ retiredAt: new Date() }).where(eq(campaignParties.partyId, party!.id));
    expect((await savePledge(db(), command())).status).toBe('unknown-party');
  });

  it('keeps the history append-only, even against direct SQL', async () => {
    await savePledge(db(), command());
    await expect(db().update(pledgeEvents).set({ statementAfter: 'herschreven' })).rejects.toThrow();
    await expect(db().delete(pledgeEvents)).rejects.toThrow();
    await expect(db().execute(sql`truncate pledge_events cascade`)).rejects.toThrow();
    const [event] = await db().select().from(pledgeEvents);
    expect(event!.statementAfter).toBe(committed.statement);
  });

  it('enforces the statement length and https links in the database too', async () => {
    const [party] = await db().select().from(parties).limit(1);
    const base = {
      campaignId: TEST_CAMPAIGN_ID,
      partyId: party!.id,
      goalSlug: 'eerste-doel',
      stance: 'committed' as const,
      updatedByName: 'x',
      updatedByRole: 'rep' as const,
    };
    await expect(
      db()
        .insert(pledges)
        .values({ ...base, statement: 'x'.repeat(1001) }),
    ).rejects.toThrow();
    await expect(
      db()
        .insert(pledges)
        .values({ ...base, evidenceUrl: 'javascript:alert(1)' }),
    ).rejects.toThrow();
  });

  it('imports the initial party list once per database, ever', async () => {
    await db().delete(campaignParties);
    await db().delete(parties);
    const { appSettings } = await import('../../src/db/schema.ts');
    await db().delete(appSettings);
    expect(await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES)).toBe(3);
    expect(await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES)).toBe(0);
    await db().delete(campaignParties);
    await db().delete(parties);
    expect(await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES)).toBe(0);
  });

  describe('one form for all goals', () => {
    const FOUR_GOALS = [...TEST_GOAL_SLUGS, 'vierde-doel'];
    const drafts = (...inputs: (Partial<PledgeDraft> & { input: PledgeDraft['input'] })[]): PledgeDraft[] =>
      inputs.map((d, i) => ({ goalSlug: FOUR_GOALS[i]!, baseVersion: 0, ...d }));
    const saveAll = (list: PledgeDraft[], overrides: Partial<Parameters<typeof savePledges>[1]> = {}) =>
      savePledges(db(), { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-a', goalSlugs: FOUR_GOALS, drafts: list, actor: TEST_ACTOR, ...overrides });
    const four = () =>
      drafts(
        { input: committed },
        { input: { stance: 'partial', statement: 'Deels.', evidenceUrl: '', evidencePage: null } },
        { input: { stance: 'declined', statement: '', evidenceUrl: 'http://example.org/nee', evidencePage: null } },
        { input: { stance: 'committed', statement: 'Ook dit.', evidenceUrl: '', evidencePage: 7 } },
      );

    it('saves all four goals in one go, each with its history event', async () => {
      const result = await saveAll(four());
      expect(result.status).toBe('done');
      if (result.status !== 'done') return;
      expect(result.outcomes.map((o) => [o.goalSlug, o.status])).toEqual(FOUR_GOALS.map((g) => [g, 'saved']));
      const rows = await db().select().from(pledges).orderBy(pledges.goalSlug);
      expect(rows.map((r) => [r.goalSlug, r.stance, r.version])).toEqual([
        ['derde-doel', 'declined', 1],
        ['eerste-doel', 'committed', 1],
        ['tweede-doel', 'partial', 1],
        ['vierde-doel', 'committed', 1],
      ]);
      expect(rows.find((r) => r.goalSlug === 'derde-doel')!.evidenceUrl).toBe('https://example.org/nee');
      expect(await rowCounts()).toEqual({ pledges: 4, events: 4 });
    });

    it('reports every problem of every goal at once, and writes nothing', async () => {
      const result = await saveAll(
        drafts(
          { input: committed },
          { input: { stance: '', statement: 'Geen standpunt gekozen.', evidenceUrl: '', evidencePage: null } },
          { input: { stance: 'declined', statement: 'x'.repeat(1249), evidenceUrl: 'geen link', evidencePage: 0 } },
          { input: { stance: 'committed', statement: '', evidenceUrl: '', evidencePage: null } },
        ),
      );
      expect(result).toEqual({
        status: 'invalid',
        issues: {
          'tweede-doel': { stance: 'stance.invalid' },
          'derde-doel': { statement: 'statement.tooLong', evidenceUrl: 'evidenceUrl.invalid', evidencePage: 'evidencePage.invalid' },
        },
      });
      expect(await rowCounts()).toEqual({ pledges: 0, events: 0 });
    });

    it('skips a goal left empty that the party never answered', async () => {
      const empty = { stance: '', statement: '  ', evidenceUrl: '', evidencePage: null };
      const result = await saveAll(drafts({ input: committed }, { input: empty }, { input: {} }, { input: empty }));
      expect(result.status === 'done' && result.outcomes.map((o) => o.goalSlug)).toEqual(['eerste-doel']);
      expect(await rowCounts()).toEqual({ pledges: 1, events: 1 });
    });

    it('writes only the goals that changed: no empty history events', async () => {
      await saveAll(four());
      const again = four().map((d) => ({ ...d, baseVersion: 1 }));
      again[1] = { ...again[1]!, input: { stance: 'committed', statement: 'Nu helemaal.', evidenceUrl: '', evidencePage: null } };
      const result = await saveAll(again);
      expect(result.status === 'done' && result.outcomes.map((o) => o.status)).toEqual(['unchanged', 'saved', 'unchanged', 'unchanged']);
      expect(await rowCounts()).toEqual({ pledges: 4, events: 5 });
    });

    it('writes nothing when one goal conflicts, and says which', async () => {
      await saveAll(four());
      // A colleague changes goal 2 after this form was loaded.
      await savePledge(db(), command({ goalSlug: 'tweede-doel', baseVersion: 1, input: { ...committed, statement: 'Van een collega.' } }));
      const mine = four().map((d) => ({ ...d, baseVersion: 1, input: { ...committed, statement: `Mijn nieuwe tekst bij ${d.goalSlug}.` } }));
      const result = await saveAll(mine);
      expect(result.status).toBe('conflict');
      if (result.status !== 'conflict') return;
      expect(result.conflicts.map((c) => [c.goalSlug, c.current.statement, c.current.version])).toEqual([['tweede-doel', 'Van een collega.', 2]]);
      expect(await rowCounts()).toEqual({ pledges: 4, events: 5 });
      const rows = await db().select().from(pledges);
      expect(rows.filter((r) => r.statement.startsWith('Mijn nieuwe tekst'))).toEqual([]);
    });

    it('is no conflict when a colleague changed a goal this form left as it was', async () => {
      await saveAll(four());
      await savePledge(db(), command({ goalSlug: 'tweede-doel', baseVersion: 1, input: { ...committed, statement: 'Van een collega.' } }));
      const mine = four().map((d) => ({ ...d, baseVersion: 1 }));
      mine[0] = { ...mine[0]!, input: { ...committed, statement: 'Alleen doel 1 verandert.' } };
      const result = await saveAll(mine);
      expect(result.status === 'done' && result.outcomes.map((o) => o.status)).toEqual(['saved', 'unchanged', 'unchanged', 'unchanged']);
      const [second] = await db().select().from(pledges).where(eq(pledges.goalSlug, 'tweede-doel'));
      expect(second!.statement).toBe('Van een collega.');
    });

    it('writes none of the goals when one the form thinks is new was saved meanwhile', async () => {
      await savePledge(db(), command({ goalSlug: 'derde-doel', input: { ...committed, statement: 'Eerder.' } }));
      const result = await saveAll(four());
      expect(result.status).toBe('conflict');
      if (result.status === 'conflict') expect(result.conflicts.map((c) => c.goalSlug)).toEqual(['derde-doel']);
      expect(await rowCounts()).toEqual({ pledges: 1, events: 1 });
    });

    it("refuses goals that are not the campaign's, or one goal twice", async () => {
      expect((await saveAll([{ goalSlug: 'verzonnen', baseVersion: 0, input: committed }])).status).toBe('unknown-goal');
      expect((await saveAll([...drafts({ input: committed }), ...drafts({ input: committed })])).status).toBe('unknown-goal');
      expect(await rowCounts()).toEqual({ pledges: 0, events: 0 });
    });

    it('refuses a representative of another party, and a closed window, writing nothing', async () => {
      const [other] = await db().select().from(parties).where(eq(parties.slug, 'testpartij-b'));
      const rep = { ...TEST_ACTOR, role: 'rep' as const, partyId: other!.id };
      expect((await saveAll(four(), { actor: rep })).status).toBe('forbidden');
      // The campaign's deadline (campaigns.pledge_deadline) has passed: the save reads it itself.
      await db()
        .update(campaigns)
        .set({ pledgeDeadline: new Date('2020-01-01T00:00:00Z') })
        .where(eq(campaigns.id, TEST_CAMPAIGN_ID));
      expect((await saveAll(four())).status).toBe('closed');
      expect(await rowCounts()).toEqual({ pledges: 0, events: 0 });
    });

    it("records an admin's save as a correction, one audit line per goal", async () => {
      const admin = { userId: null, name: 'Beheerder Test', role: 'admin' as const, partyId: null, label: 'beheer@campagne.example' };
      await saveAll(four().slice(0, 2), { actor: admin, correctionReason: 'Verkeerd overgenomen.' });
      const lines = await db().select().from(auditLog).where(eq(auditLog.action, 'pledge.corrected'));
      expect(lines.map((l) => l.subject).sort()).toEqual(['testpartij-a/eerste-doel', 'testpartij-a/tweede-doel']);
    });
  });
});
