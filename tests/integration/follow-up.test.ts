/**
 * Follow-up after the election (issue 15) on both engines: the rules of a rating (the
 * campaign's state, a reason for broken, an https citation, append-only, archived refuses), the
 * party's reply to a rating (its own representative only), and parliamentary items linked to
 * goals (a re-import adds an import, fractions mapped once; their history: parliament-history.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isArchivedCampaignWrite } from '../../src/db/errors.ts';
import { auditLog, campaigns, followUpRatings, parliamentItemImports, parliamentItems, partyReplies } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/domain/actors.ts';
import { loadFollowUp, rateFollowUp, type RatingInput } from '../../src/domain/follow-up.ts';
import { campaignsWithFollowUp } from '../../src/domain/follow-up-board.ts';
import { linkZaak, loadItems, setFractionMapping } from '../../src/domain/parliament/items.ts';
import { parseZaakResponse } from '../../src/domain/parliament/zaak.ts';
import { addReply } from '../../src/domain/replies.ts';
import { addTestParties, testRep } from '../fixtures/board.ts';
import { addTestCampaign } from '../fixtures/campaigns.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const ADMIN: Actor = { userId: null, name: 'Beheer Test', role: 'admin', partyId: null, label: 'beheer@example.org' };
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tk');
const zaak = (file: string) => parseZaakResponse(JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')));

/** Fictional parties whose names are the fixtures' fictional fractions (VB only as an abbreviation). */
const PARTIES = [
  { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null },
  { slug: 'groen-dorp', name: 'Groen-Dorp', abbreviation: 'GD', seats: 24, website: null },
  { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VB', seats: 17, website: null },
  { slug: 'polder', name: 'De Polderpartij', abbreviation: 'DPP', seats: 6, website: null },
];

const rating = (extra: Partial<RatingInput> = {}): RatingInput => ({
  partySlug: 'kustpartij',
  goalSlug: 'veilige-apps',
  status: 'in-progress',
  citationUrl: 'https://example.org/kamerbrief',
  explanation: 'Het kabinet werkt aan een wetsvoorstel.',
  ...extra,
});

describe.each(ENGINES)('follow-up ratings on %s', (engine) => {
  let test: TestDatabase;
  let campaignId: number;
  let partyIds: Map<string, number>;
  const db = () => test.database.db;
  const setState = (state: 'open' | 'closed' | 'follow-up' | 'archived') => db().update(campaigns).set({ state }).where(eq(campaigns.id, campaignId));

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    campaignId = await addTestCampaign(db(), { slug: 'opvolging-test', state: 'closed' });
    partyIds = await addTestParties(db(), PARTIES, campaignId);
  });
  afterAll(() => test?.drop());

  it('is refused before the campaign is in follow-up, and for anyone but an admin', async () => {
    expect(await rateFollowUp(db(), campaignId, rating(), { actor: ADMIN })).toEqual({ status: 'wrong-state' });
    await setState('follow-up');
    expect(await rateFollowUp(db(), campaignId, rating(), { actor: testRep(1) })).toEqual({ status: 'forbidden' });
    expect(await rateFollowUp(db(), campaignId, rating(), { actor: SYSTEM_ACTOR })).toEqual({ status: 'forbidden' });
    expect(await db().select().from(followUpRatings)).toEqual([]);
  });

  it('names each bad field: broken needs a reason, only broken has one, the citation is https, the explanation 1..500', async () => {
    const issues = async (input: Partial<RatingInput>) => {
      const result = await rateFollowUp(db(), campaignId, rating(input), { actor: ADMIN });
      return result.status === 'invalid' ? result.issues : result.status;
    };
    expect(await issues({ status: 'broken' })).toEqual({ brokenReason: 'followUp.error.brokenReason' });
    expect(await issues({ status: 'kept', brokenReason: 'no-majority' })).toEqual({ brokenReason: 'followUp.error.brokenReasonOnlyBroken' });
    expect(await issues({ citationUrl: 'ftp://example.org/x' })).toEqual({ citationUrl: 'followUp.error.citation' });
    expect(await issues({ citationUrl: '' })).toEqual({ citationUrl: 'followUp.error.citation' });
    expect(await issues({ explanation: ' ' })).toEqual({ explanation: 'followUp.error.explanation' });
    expect(await issues({ explanation: 'x'.repeat(501) })).toEqual({ explanation: 'followUp.error.explanation' });
    expect(await issues({ status: 'vergeten' })).toEqual({ status: 'followUp.error.status' });
    expect(await issues({ partySlug: 'bestaat-niet' })).toBe('unknown-party');
    expect(await issues({ goalSlug: 'bestaat-niet' })).toBe('unknown-goal');
    expect(await db().select().from(followUpRatings)).toEqual([]);
  });

  it('keeps every rating: the latest is current, the history newest first, a frozen view the one of then', async () => {
    const first = await rateFollowUp(db(), campaignId, rating(), { actor: ADMIN, now: new Date('2031-01-10T10:00:00Z') });
    expect(first.status).toBe('done');
    const second = await rateFollowUp(
      db(),
      campaignId,
      rating({ status: 'broken', brokenReason: 'no-majority', citationUrl: 'http://example.org/stemming', explanation: 'Motie verworpen.' }),
      { actor: ADMIN, now: new Date('2031-03-10T10:00:00Z') },
    );
    expect(second.status).toBe('done');
    const now = await loadFollowUp(db(), campaignId);
    const cell = now.cellOf('kustpartij', 'veilige-apps');
    expect(cell.current).toMatchObject({ status: 'broken', brokenReason: 'no-majority', citationUrl: 'https://example.org/stemming', byName: 'Beheer Test' });
    expect(cell.history.map((r) => r.status)).toEqual(['broken', 'in-progress']);
    expect(now.cellOf('groen-dorp', 'veilige-apps')).toEqual({ current: null, history: [] });
    const then = await loadFollowUp(db(), campaignId, new Date('2031-02-01T00:00:00Z'));
    expect(then.cellOf('kustpartij', 'veilige-apps').current?.status).toBe('in-progress');
    const audit = await db().select().from(auditLog).where(eq(auditLog.action, 'follow-up.rated'));
    expect(audit.map((a) => a.subject)).toEqual(['kustpartij/veilige-apps', 'kustpartij/veilige-apps']);
  });

  it("lets only a representative of the rating's party reply, and shows its latest reply with the rating", async () => {
    const current = (await loadFollowUp(db(), campaignId)).cellOf('kustpartij', 'veilige-apps').current!;
    const reply = (actor: Actor, text: string, now?: Date) => addReply(db(), campaignId, { subject: 'follow-up', subjectId: current.id, text }, { actor, now });
    expect(await reply(testRep(partyIds.get('groen-dorp')!), 'Niet van ons.')).toEqual({ status: 'forbidden' });
    expect(await reply(ADMIN, 'Namens de partij.')).toEqual({ status: 'forbidden' });
    // A check's id space is not a rating's: the subject says which table.
    expect(
      await addReply(db(), campaignId, { subject: 'follow-up', subjectId: 99999, text: 'Hallo' }, { actor: testRep(partyIds.get('kustpartij')!) }),
    ).toEqual({
      status: 'unknown-subject',
    });
    expect(await db().select().from(partyReplies)).toEqual([]);

    const kust = testRep(partyIds.get('kustpartij')!);
    expect((await reply(kust, 'De motie kwam te vroeg.', new Date('2031-03-20T10:00:00Z'))).status).toBe('done');
    expect((await reply(kust, 'Wij dienen een nieuwe motie in.', new Date('2031-03-21T10:00:00Z'))).status).toBe('done');
    const now = (await loadFollowUp(db(), campaignId)).cellOf('kustpartij', 'veilige-apps');
    expect(now.current?.reply).toMatchObject({ text: 'Wij dienen een nieuwe motie in.', partyId: partyIds.get('kustpartij'), subject: 'follow-up' });
    // The earlier rating has no reply of its own; a frozen view shows the reply that stood then.
    expect(now.history[1]!.reply).toBeNull();
    const then = await loadFollowUp(db(), campaignId, new Date('2031-03-20T12:00:00Z'));
    expect(then.cellOf('kustpartij', 'veilige-apps').current?.reply?.text).toBe('De motie kwam te vroeg.');
    expect((await loadFollowUp(db(), campaignId, new Date('2031-03-15T00:00:00Z'))).cellOf('kustpartij', 'veilige-apps').current?.reply).toBeNull();
  });

  it('is append-only: the database refuses to change or remove a rating', async () => {
    await expect(db().update(followUpRatings).set({ explanation: 'Anders.' })).rejects.toThrow();
    await expect(db().delete(followUpRatings)).rejects.toThrow();
    expect((await db().select().from(followUpRatings)).length).toBe(2);
  });

  it('links a Zaak to a goal, updates it on a new import, and maps fractions once', async () => {
    const linked = await linkZaak(db(), campaignId, { goalSlug: 'veilige-apps', effect: 'advances', item: zaak('motion.json') }, { actor: ADMIN });
    expect(linked).toMatchObject({ status: 'done', created: true });
    if (linked.status !== 'done') throw new Error(linked.status);
    // VB is an abbreviation; "Polderunie" matches no party until mapped.
    expect(linked.match.matched.map((m) => m.partySlug).sort()).toEqual(['groen-dorp', 'kustpartij', 'vrije-burgers']);
    expect(linked.match.unmatched).toEqual([{ fraction: 'Polderunie', reason: 'none', parties: [] }]);

    const again = await linkZaak(db(), campaignId, { goalSlug: 'veilige-apps', effect: 'undermines', item: zaak('motion.json') }, { actor: ADMIN });
    expect(again).toMatchObject({ status: 'done', created: false, id: linked.id });
    expect(await db().select().from(parliamentItems)).toHaveLength(1);
    const effects = async () => (await db().select().from(parliamentItemImports).orderBy(parliamentItemImports.id)).map((r) => r.effect);
    expect(await effects()).toEqual(['advances', 'undermines']);
    // A refresh of its votes without an effect keeps the item's own.
    expect(await linkZaak(db(), campaignId, { goalSlug: 'veilige-apps', item: zaak('motion.json') }, { actor: ADMIN })).toMatchObject({
      created: false,
      effect: 'undermines',
    });
    expect(await effects()).toEqual(['advances', 'undermines', 'undermines']);
    // The same Zaak on another goal is a link of its own.
    expect(await linkZaak(db(), campaignId, { goalSlug: 'hulp-op-school', effect: 'advances', item: zaak('motion.json') }, { actor: ADMIN })).toMatchObject({
      created: true,
    });

    expect(await setFractionMapping(db(), campaignId, { fraction: 'Polderunie', partySlug: 'polder' }, { actor: ADMIN })).toEqual({ status: 'done' });
    const items = await loadItems(db(), campaignId);
    const [onApps] = items.items.filter((i) => i.goalSlug === 'veilige-apps');
    expect(onApps!.unmatched).toEqual([]);
    expect(onApps!.partyVotes.map((v) => [v.partySlug, v.vote])).toEqual([
      ['kustpartij', 'for'],
      ['groen-dorp', 'for'],
      ['vrije-burgers', 'against'],
      ['polder', 'did-not-vote'],
    ]);
    // undermines: against is in line; polder did not take part: not counted (no vote either way).
    expect(items.summaryOf('vrije-burgers', 'veilige-apps')).toEqual({ inLine: 1, counted: 1 });
    expect(items.summaryOf('kustpartij', 'veilige-apps')).toEqual({ inLine: 0, counted: 1 });
    expect(items.summaryOf('polder', 'veilige-apps')).toEqual({ inLine: 0, counted: 0 });
    expect(items.summaryOf('kustpartij', 'hulp-op-school')).toEqual({ inLine: 1, counted: 1 });
    expect(
      items
        .byNumber('2031Z01234')
        .map((i) => i.goalSlug)
        .sort(),
    ).toEqual(['hulp-op-school', 'veilige-apps']);

    // Mapped to none: known, and no party of the campaign.
    expect(await setFractionMapping(db(), campaignId, { fraction: 'Polderunie', partySlug: null }, { actor: ADMIN })).toEqual({ status: 'done' });
    const after = (await loadItems(db(), campaignId)).items[0]!;
    expect(after.ignored).toEqual(['Polderunie']);
    expect(after.partyVotes.map((v) => v.partySlug)).not.toContain('polder');
  });

  it('refuses links and mappings from a representative, to an unknown goal or party', async () => {
    const item = zaak('motion.json');
    expect(await linkZaak(db(), campaignId, { goalSlug: 'veilige-apps', effect: 'advances', item }, { actor: testRep(1) })).toEqual({ status: 'forbidden' });
    expect(await linkZaak(db(), campaignId, { goalSlug: 'bestaat-niet', effect: 'advances', item }, { actor: ADMIN })).toEqual({ status: 'unknown-goal' });
    expect(await linkZaak(db(), campaignId, { goalSlug: 'veilige-apps', effect: 'sideways', item }, { actor: ADMIN })).toEqual({ status: 'bad-effect' });
    expect(await setFractionMapping(db(), campaignId, { fraction: 'X', partySlug: 'bestaat-niet' }, { actor: ADMIN })).toEqual({ status: 'unknown-party' });
    expect(await setFractionMapping(db(), campaignId, { fraction: 'X', partySlug: null }, { actor: testRep(1) })).toEqual({ status: 'forbidden' });
  });

  it('once archived, refuses ratings, links and mappings', async () => {
    await setState('archived');
    expect(await rateFollowUp(db(), campaignId, rating(), { actor: ADMIN })).toEqual({ status: 'archived' });
    expect(await linkZaak(db(), campaignId, { goalSlug: 'veilige-apps', effect: 'advances', item: zaak('motion.json') }, { actor: ADMIN })).toEqual({
      status: 'archived',
    });
    expect(await setFractionMapping(db(), campaignId, { fraction: 'VB', partySlug: null }, { actor: ADMIN })).toEqual({ status: 'archived' });
    const current = (await loadFollowUp(db(), campaignId)).cellOf('kustpartij', 'veilige-apps').current!;
    expect(
      await addReply(db(), campaignId, { subject: 'follow-up', subjectId: current.id, text: 'Nog iets.' }, { actor: testRep(partyIds.get('kustpartij')!) }),
    ).toEqual({ status: 'archived' });
    // And the database itself, whatever path a write takes.
    const error = await db()
      .insert(followUpRatings)
      .values({ campaignId, partyId: 1, goalSlug: 'veilige-apps', status: 'kept', citationUrl: 'https://example.org', explanation: 'x', byName: 'x' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isArchivedCampaignWrite(error)).toBe(true);
  });

  it('knows which campaigns show a follow-up: in follow-up, or archived with ratings or items; no other', async () => {
    const never = await addTestCampaign(db(), { slug: 'nooit-opgevolgd', state: 'closed' });
    await db().update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, never));
    // This campaign is archived now, with its ratings and items; the other never had any.
    expect(
      await campaignsWithFollowUp(db(), [
        { id: campaignId, state: 'archived' },
        { id: never, state: 'archived' },
      ]),
    ).toEqual(new Set([campaignId]));
    expect(await campaignsWithFollowUp(db(), [{ id: never, state: 'follow-up' }])).toEqual(new Set([never]));
    for (const state of ['open', 'closed'] as const) expect(await campaignsWithFollowUp(db(), [{ id: campaignId, state }])).toEqual(new Set());
    expect(await campaignsWithFollowUp(db(), [])).toEqual(new Set());
  });
});
