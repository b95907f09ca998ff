/**
 * The published record of parliamentary items (review of issue 15, drizzle/0024) on both
 * engines: a re-import adds an import and a mapping change adds a mapping, so a frozen view
 * shows the votes, effect and mapping of its moment; an unlink takes an item off the current
 * views only (audited, with a reason, admins and the command line only, never in an archived
 * campaign), and a later import links it again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isArchivedCampaignWrite } from '../../src/db/errors.ts';
import { auditLog, campaigns, fractionMappings, parliamentItemImports, parliamentItems, parliamentItemUnlinks } from '../../src/db/schema.ts';
import { CLI_ACTOR, type Actor } from '../../src/domain/actors.ts';
import { loadFollowUpBoard } from '../../src/domain/follow-up-board.ts';
import { linkZaak, listItemHistory, loadItems, setFractionMapping, unlinkItem } from '../../src/domain/parliament/items.ts';
import { parseZaakResponse, type ZaakItem } from '../../src/domain/parliament/zaak.ts';
import { addTestParties, testRep } from '../fixtures/board.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const ADMIN: Actor = { userId: null, name: 'Beheer Test', role: 'admin', partyId: null, label: 'beheer@example.org' };
const motion = (): ZaakItem => parseZaakResponse(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/tk/motion.json'), 'utf8')));
/** The same motion as the Kamer recorded it after a correction: Kustpartij voted against. */
const corrected = (): ZaakItem => {
  const item = motion();
  return { ...item, votes: item.votes.map((v) => (v.fraction === 'Kustpartij' ? { ...v, vote: 'against' as const } : v)) };
};
const PARTIES = [
  { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null },
  { slug: 'groen-dorp', name: 'Groen-Dorp', abbreviation: 'GD', seats: 24, website: null },
  { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VB', seats: 17, website: null },
  { slug: 'polder', name: 'De Polderpartij', abbreviation: 'DPP', seats: 6, website: null },
];
const GOAL = 'veilige-apps';
const NUMBER = '2031Z01234';

describe.each(ENGINES)('parliamentary items as published, on %s', (engine) => {
  let test: TestDatabase;
  let campaignId: number;
  const db = () => test.database.db;
  // Moments after the parties joined the campaign (now), a minute apart.
  const base = Date.now() + 60_000;
  const t = (minutes: number) => new Date(base + minutes * 60_000);
  const votesOf = async (at: Date | null) =>
    Object.fromEntries(
      (await loadItems(db(), campaignId, at)).items.filter((i) => i.goalSlug === GOAL).flatMap((i) => i.partyVotes.map((v) => [v.partySlug, v.vote])),
    );

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    campaignId = await addTestCampaign(db(), { slug: 'kamerstukken-test', state: 'follow-up' });
    await addTestParties(db(), PARTIES, campaignId);
  });
  afterAll(() => test?.drop());

  it('keeps every import: a view before a re-import shows the old votes and effect', async () => {
    expect(await linkZaak(db(), campaignId, { goalSlug: GOAL, effect: 'advances', item: motion() }, { actor: ADMIN, now: t(1) })).toMatchObject({
      status: 'done',
      created: true,
    });
    expect(await linkZaak(db(), campaignId, { goalSlug: GOAL, effect: 'undermines', item: corrected() }, { actor: ADMIN, now: t(3) })).toMatchObject({
      status: 'done',
      created: false,
      effect: 'undermines',
    });

    const before = await loadItems(db(), campaignId, t(2));
    expect(before.items.map((i) => [i.number, i.effect, i.importedAt.toISOString()])).toEqual([[NUMBER, 'advances', t(1).toISOString()]]);
    expect((await votesOf(t(2)))['kustpartij']).toBe('for');
    expect(before.summaryOf('kustpartij', GOAL)).toEqual({ inLine: 1, counted: 1 });

    const now = await loadItems(db(), campaignId);
    expect(now.items.map((i) => [i.number, i.effect])).toEqual([[NUMBER, 'undermines']]);
    expect((await votesOf(null))['kustpartij']).toBe('against');
    expect(now.summaryOf('kustpartij', GOAL)).toEqual({ inLine: 1, counted: 1 });
    expect(await loadItems(db(), campaignId, t(0))).toMatchObject({ items: [] });

    // One link, two imports: nothing was rewritten.
    expect(await db().select().from(parliamentItems)).toHaveLength(1);
    expect((await db().select().from(parliamentItemImports).orderBy(parliamentItemImports.id)).map((r) => r.effect)).toEqual(['advances', 'undermines']);
  });

  it('keeps every mapping: a view before a mapping change shows the old mapping', async () => {
    expect(await setFractionMapping(db(), campaignId, { fraction: 'Polderunie', partySlug: 'polder' }, { actor: ADMIN, now: t(4) })).toEqual({
      status: 'done',
    });
    expect(await setFractionMapping(db(), campaignId, { fraction: 'Polderunie', partySlug: null }, { actor: ADMIN, now: t(6) })).toEqual({ status: 'done' });

    const unmapped = (await loadItems(db(), campaignId, t(3))).items[0]!;
    expect(unmapped.unmatched.map((u) => u.fraction)).toEqual(['Polderunie']);
    const mapped = (await loadItems(db(), campaignId, t(5))).items[0]!;
    expect(mapped.unmatched).toEqual([]);
    expect(mapped.partyVotes.find((v) => v.fraction === 'Polderunie')?.partySlug).toBe('polder');
    const none = (await loadItems(db(), campaignId)).items[0]!;
    expect(none.ignored).toEqual(['Polderunie']);
    expect(none.partyVotes.map((v) => v.partySlug)).not.toContain('polder');
    expect(await db().select().from(fractionMappings)).toHaveLength(2);
    // A mapping changes the votes shown, so it moves the view's "last updated" (then, and now).
    const goals = SECOND_GOALS.map((g) => ({ slug: g.slug, number: g.number }));
    const boardAt = async (at: Date | null) => (await loadFollowUpBoard(db(), { id: campaignId, state: 'follow-up' }, goals, at)).updatedAt;
    expect(await boardAt(t(5))).toEqual(t(4));
    expect(await boardAt(null)).toEqual(t(6));
  });

  it('unlinks an item with a reason: gone from current views, still in frozen views before it, audited', async () => {
    expect(await unlinkItem(db(), campaignId, { goalSlug: GOAL, number: NUMBER, reason: 'Verkeerd doel gekozen.' }, { actor: ADMIN, now: t(7) })).toMatchObject(
      {
        status: 'done',
      },
    );
    expect((await loadItems(db(), campaignId)).items).toEqual([]);
    expect((await loadItems(db(), campaignId)).byNumber(NUMBER)).toEqual([]);
    expect((await loadItems(db(), campaignId, t(6))).items.map((i) => [i.number, i.effect])).toEqual([[NUMBER, 'undermines']]);
    expect((await loadItems(db(), campaignId, t(2))).items.map((i) => [i.number, i.effect])).toEqual([[NUMBER, 'advances']]);

    const goals = SECOND_GOALS.map((g) => ({ slug: g.slug, number: g.number }));
    const board = await loadFollowUpBoard(db(), { id: campaignId, state: 'follow-up' }, goals);
    expect(board.items.items).toEqual([]);
    expect(board.items.unlinkedAt).toEqual(t(7));
    expect(board.updatedAt).toEqual(t(7));
    expect(board.rows.find((r) => r.party.slug === 'kustpartij')!.cells[0]!.votes).toEqual({ inLine: 0, counted: 0 });

    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, 'parliament.item-unlinked'));
    expect(audit).toMatchObject({ subject: NUMBER, actorLabel: 'beheer@example.org', details: { goal: GOAL, reason: 'Verkeerd doel gekozen.' } });
    expect(await db().select().from(parliamentItemUnlinks)).toHaveLength(1);
    // Not linked now: a second unlink has nothing to take off.
    expect(await unlinkItem(db(), campaignId, { goalSlug: GOAL, number: NUMBER, reason: 'Nogmaals.' }, { actor: ADMIN, now: t(8) })).toEqual({
      status: 'not-linked',
    });
  });

  it('links an unlinked item again on a new import, keeping its last effect unless told', async () => {
    expect(await linkZaak(db(), campaignId, { goalSlug: GOAL, item: motion() }, { actor: CLI_ACTOR, now: t(9) })).toMatchObject({
      status: 'done',
      created: true,
      effect: 'undermines',
    });
    expect((await loadItems(db(), campaignId)).items.map((i) => i.number)).toEqual([NUMBER]);
    expect((await loadItems(db(), campaignId, t(8))).items).toEqual([]);
    expect(await db().select().from(parliamentItems)).toHaveLength(1);
    // Unlinked and linked again within the same millisecond: still in that order.
    const same = t(10);
    expect(await unlinkItem(db(), campaignId, { goalSlug: GOAL, number: NUMBER, reason: 'Snel.' }, { actor: CLI_ACTOR, now: same })).toMatchObject({
      status: 'done',
    });
    expect(await linkZaak(db(), campaignId, { goalSlug: GOAL, item: motion() }, { actor: CLI_ACTOR, now: same })).toMatchObject({ created: true });
    expect((await loadItems(db(), campaignId)).items.map((i) => i.number)).toEqual([NUMBER]);
  });

  it('lists every import and unlink newest first, with effect flips and reasons, as of a moment', async () => {
    const decision = motion().decision?.text ?? null;
    expect(decision).not.toBeNull();
    const entries = (at: Date | null) => listItemHistory(db(), campaignId, at);
    const imported = (at: Date, effect: string, effectChanged: boolean) => ({
      kind: 'import',
      number: NUMBER,
      goalSlug: GOAL,
      at,
      effect,
      effectChanged,
      decision,
    });
    const unlinked = (at: Date, reason: string) => ({ kind: 'unlink', number: NUMBER, goalSlug: GOAL, at, reason });
    expect(await entries(null)).toEqual([
      imported(new Date(t(10).getTime() + 1), 'undermines', false),
      unlinked(t(10), 'Snel.'),
      imported(t(9), 'undermines', false),
      unlinked(t(7), 'Verkeerd doel gekozen.'),
      // The re-import that flipped the effect says so.
      imported(t(3), 'undermines', true),
      imported(t(1), 'advances', false),
    ]);
    // Frozen: only what was published by then.
    expect(await entries(t(8))).toEqual([unlinked(t(7), 'Verkeerd doel gekozen.'), imported(t(3), 'undermines', true), imported(t(1), 'advances', false)]);
    expect(await entries(t(2))).toEqual([imported(t(1), 'advances', false)]);
    expect(await entries(t(0))).toEqual([]);
    // The follow-up view carries the same history.
    const goals = SECOND_GOALS.map((g) => ({ slug: g.slug, number: g.number }));
    expect((await loadFollowUpBoard(db(), { id: campaignId, state: 'follow-up' }, goals, t(8))).itemHistory).toEqual(await entries(t(8)));
  });

  it('refuses an unlink from a representative, without a reason or with a control character in it, or of an item not linked', async () => {
    const unlink = (reason: string, actor: Actor, number = NUMBER, goalSlug = GOAL) => unlinkItem(db(), campaignId, { goalSlug, number, reason }, { actor });
    expect(await unlink('Fout.', testRep(1))).toEqual({ status: 'forbidden' });
    expect(await unlink('   ', ADMIN)).toEqual({ status: 'bad-reason' });
    expect(await unlink('x'.repeat(301), ADMIN)).toEqual({ status: 'bad-reason' });
    // The command line passes its --reason straight on: a control character is refused here too (a NUL would make Postgres fail).
    expect(await unlink('Fout\u0000doel.', CLI_ACTOR)).toEqual({ status: 'bad-reason' });
    expect(await unlink('Fout\u0007doel.', CLI_ACTOR)).toEqual({ status: 'bad-reason' });
    expect(await unlink('Fout.', ADMIN, '2031Z09999')).toEqual({ status: 'not-linked' });
    expect(await unlink('Fout.', ADMIN, NUMBER, 'hulp-op-school')).toEqual({ status: 'not-linked' });
    expect((await loadItems(db(), campaignId)).items).toHaveLength(1);
  });

  it('is append-only: the database refuses to change or remove links, imports, unlinks and mappings', async () => {
    for (const table of [parliamentItems, parliamentItemImports, parliamentItemUnlinks, fractionMappings]) {
      await expect(db().delete(table)).rejects.toThrow();
    }
    await expect(db().update(parliamentItemImports).set({ effect: 'advances' })).rejects.toThrow();
    await expect(db().update(parliamentItemUnlinks).set({ reason: 'Anders.' })).rejects.toThrow();
    await expect(db().update(fractionMappings).set({ partyId: null })).rejects.toThrow();
    await expect(db().update(parliamentItems).set({ goalSlug: 'hulp-op-school' })).rejects.toThrow();
  });

  it('once archived, refuses an unlink, and the database refuses one written directly', async () => {
    await db().update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, campaignId));
    expect(await unlinkItem(db(), campaignId, { goalSlug: GOAL, number: NUMBER, reason: 'Fout.' }, { actor: ADMIN })).toEqual({ status: 'archived' });
    const [link] = await db().select().from(parliamentItems);
    const error = await db()
      .insert(parliamentItemUnlinks)
      .values({ campaignId, itemId: link!.id, reason: 'Fout.' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isArchivedCampaignWrite(error)).toBe(true);
    expect((await loadItems(db(), campaignId)).items).toHaveLength(1);
  });
});
