/**
 * The party's right of reply after review (issue 15) on both engines: every reply is an event of
 * the party's public history; the campaign hides a reply with a public reason (append-only,
 * audited, never rewritten) and shows it again; a check, a rating, a reply and a moderation move
 * the board's "last updated"; a representative posts a limited number of replies an hour.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaigns, parties, partyReplies, replyModerations } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { readBoardVersions } from '../../src/domain/board-version.ts';
import { checkData, loadChecks, recordCheck } from '../../src/domain/checks.ts';
import { loadFollowUp, rateFollowUp } from '../../src/domain/follow-up.ts';
import { listPartyHistory } from '../../src/domain/history.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { addReply, listReplyEvents, loadReplies, moderateReply, REPLIES_PER_HOUR } from '../../src/domain/replies.ts';
import { loadScoreboard, loadStanceBoard } from '../../src/domain/scoreboard.ts';
import { addTestParties, TEST_CAMPAIGN_ID as FIRST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';
import { addTestCampaign, SECOND_GOALS } from '../fixtures/campaigns.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const T0 = new Date('2026-01-01T10:00:00Z');
const T1 = new Date('2026-02-01T10:00:00Z');
const T2 = new Date('2026-02-02T10:00:00Z');
const T3 = new Date('2026-02-03T10:00:00Z');
const T4 = new Date('2026-02-04T10:00:00Z');
const T5 = new Date('2026-02-05T10:00:00Z');
const T6 = new Date('2026-02-06T10:00:00Z');

describe.each(ENGINES)('replies of parties on %s', (engine) => {
  let test: TestDatabase;
  let repA: Actor;
  let repA2: Actor;
  let repB: Actor;
  let admin: Actor;
  let checkId: number;
  let TEST_CAMPAIGN_ID: number;
  const GOALS = SECOND_GOALS.map((g) => ({ ...g }));
  const db = () => test.database.db;
  const reply = (text: string, now: Date, actor = repA, subjectId = checkId) =>
    addReply(db(), TEST_CAMPAIGN_ID, { subject: 'check', subjectId, text }, { actor, now });
  const boardTime = async (at: Date | null = null) => (await loadScoreboard(db(), TEST_CAMPAIGN_ID, GOALS, at)).updatedAt?.toISOString();
  const stanceTime = async () => (await loadStanceBoard(db(), TEST_CAMPAIGN_ID, GOALS)).updatedAt?.toISOString();

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    // The accounts are invited through the first campaign; the replies are in a campaign of their own.
    await addTestParties(db(), TEST_PARTIES, FIRST_CAMPAIGN_ID);
    TEST_CAMPAIGN_ID = await addTestCampaign(db(), { slug: 'reacties-test', state: 'open' });
    await addTestParties(
      db(),
      TEST_PARTIES.map((p) => ({ ...p, createdAt: T0 })),
      TEST_CAMPAIGN_ID,
    );
    const all = await db().select().from(parties);
    const idOf = (slug: string) => all.find((p) => p.slug === slug)!.id;
    const a = await createAccount(db(), { email: 'rep@partij-a.example', party: 'testpartij-a', name: 'Rita Rep' });
    const a2 = await createAccount(db(), { email: 'tweede@partij-a.example', party: 'testpartij-a', name: 'Anna Rep' });
    const b = await createAccount(db(), { email: 'rep@partij-b.example', party: 'testpartij-b', name: 'Bas Rep' });
    const adm = await createAccount(db(), { email: 'beheer@campagne.example', name: 'Bert Bakker' });
    repA = { userId: a.user.id, name: 'Rita Rep', role: 'rep', partyId: idOf('testpartij-a'), label: a.email };
    repA2 = { userId: a2.user.id, name: 'Anna Rep', role: 'rep', partyId: idOf('testpartij-a'), label: a2.email };
    repB = { userId: b.user.id, name: 'Bas Rep', role: 'rep', partyId: idOf('testpartij-b'), label: b.email };
    admin = { userId: adm.user.id, name: 'Bert Bakker', role: 'admin', partyId: null, label: adm.email };
    const saved = await savePledge(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: 'veilige-apps',
      goalSlugs: GOALS.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'partial', statement: 'Deels, zie ons programma.' },
      actor: repA,
      now: T1,
    });
    expect(saved.status).toBe('saved');
  });
  afterAll(() => test?.drop());

  it('a check moves the board’s "last updated"; a frozen view before it does not move', async () => {
    expect(await boardTime()).toBe(T1.toISOString());
    const checked = await recordCheck(
      db(),
      TEST_CAMPAIGN_ID,
      { partySlug: 'testpartij-a', goalSlug: 'veilige-apps', verdict: 'disputed', reason: 'Het programma zegt het niet.' },
      { actor: admin, now: T2 },
    );
    expect(checked).toMatchObject({ status: 'done' });
    checkId = [...(await loadChecks(db(), TEST_CAMPAIGN_ID)).values()][0]!.id;
    expect(await boardTime()).toBe(T2.toISOString());
    expect(await stanceTime()).toBe(T2.toISOString());
    expect(await boardTime(new Date(T2.getTime() - 1000))).toBe(T1.toISOString());
    expect(await boardTime(T2)).toBe(T2.toISOString());
  });

  it('every reply is an event: in the history and the open data, newest first; frozen views list those made by then', async () => {
    expect((await reply('Zie pagina 13.', T3)).status).toBe('done');
    expect(await boardTime()).toBe(T3.toISOString());
    expect(await stanceTime()).toBe(T3.toISOString());
    expect((await reply('Zie pagina 14.', T4)).status).toBe('done');
    const events = await listReplyEvents(db(), TEST_CAMPAIGN_ID);
    expect(events.map((e) => [e.text, e.subject, e.subjectId, e.partySlug, e.goalSlug, e.byName])).toEqual([
      ['Zie pagina 14.', 'check', checkId, 'testpartij-a', 'veilige-apps', 'Rita Rep'],
      ['Zie pagina 13.', 'check', checkId, 'testpartij-a', 'veilige-apps', 'Rita Rep'],
    ]);
    // Paged: a page of one, then the next after it.
    const [first] = await listReplyEvents(db(), TEST_CAMPAIGN_ID, { limit: 1 });
    expect((await listReplyEvents(db(), TEST_CAMPAIGN_ID, { before: first!.id })).map((e) => e.text)).toEqual(['Zie pagina 13.']);
    expect(await listReplyEvents(db(), TEST_CAMPAIGN_ID, { goalSlug: 'hulp-op-school' })).toEqual([]);
    expect(await listReplyEvents(db(), TEST_CAMPAIGN_ID, { partyId: repB.partyId! })).toEqual([]);

    const history = await listPartyHistory(db(), TEST_CAMPAIGN_ID, repA.partyId!);
    expect(history.filter((h) => h.kind === 'reply').map((h) => ('text' in h ? h.text : null))).toEqual(['Zie pagina 14.', 'Zie pagina 13.']);
    expect(history.map((h) => h.kind)).toEqual(['reply', 'reply', 'check', 'change']);
    const then = await listPartyHistory(db(), TEST_CAMPAIGN_ID, repA.partyId!, { at: T3 });
    expect(then.map((h) => h.kind)).toEqual(['reply', 'check', 'change']);
  });

  it('the campaign hides a reply with a public reason, everywhere it is shown; the words stay; shown again', async () => {
    const latest = (await loadReplies(db(), TEST_CAMPAIGN_ID, 'check')).get(checkId)!;
    const hide = (actor: Actor, reason = 'Bevat persoonsgegevens.', id: number | string = latest.id, now = T5) =>
      moderateReply(db(), TEST_CAMPAIGN_ID, { replyId: id, hide: true, reason }, { actor, now });
    // Admins only; a reason of 3 to 300 characters; a reply of this campaign.
    expect(await hide(repA)).toEqual({ status: 'forbidden' });
    expect(await hide(admin, 'x')).toEqual({ status: 'invalid', issues: { reason: 'moderation.reason' } });
    expect(await hide(admin, 'Reden', 99999)).toEqual({ status: 'unknown-reply' });
    expect(await hide(admin, 'Reden', 'abc')).toEqual({ status: 'unknown-reply' });
    expect(await db().select().from(replyModerations)).toEqual([]);

    expect(await hide(admin)).toEqual({ status: 'done', hidden: true });
    expect(await hide(admin)).toEqual({ status: 'unchanged' });
    expect(await boardTime()).toBe(T5.toISOString());
    // Beside the check (and in scoreboard.json through checkData): the reason, not the words.
    const check = [...(await loadChecks(db(), TEST_CAMPAIGN_ID)).values()][0]!;
    expect(check.reply).toMatchObject({ id: latest.id, text: null, hiddenReason: 'Bevat persoonsgegevens.' });
    expect(checkData(check).reply).toEqual({ text: null, at: T4.toISOString(), hiddenReason: 'Bevat persoonsgegevens.' });
    // A frozen view from before the moderation hides it too: hidden words never come back.
    expect((await loadReplies(db(), TEST_CAMPAIGN_ID, 'check', T4)).get(checkId)).toMatchObject({ text: null, hiddenReason: 'Bevat persoonsgegevens.' });
    // The open data and the public history: the reason; the earlier reply untouched.
    const events = await listReplyEvents(db(), TEST_CAMPAIGN_ID);
    expect(events.map((e) => [e.text, e.hiddenReason])).toEqual([
      [null, 'Bevat persoonsgegevens.'],
      ['Zie pagina 13.', null],
    ]);
    expect(events[0]!.moderatedAt?.toISOString()).toBe(T5.toISOString());
    const history = await listPartyHistory(db(), TEST_CAMPAIGN_ID, repA.partyId!);
    expect(history[0]).toMatchObject({ kind: 'reply-moderation', hidden: true, reason: 'Bevat persoonsgegevens.', byName: 'Bert Bakker' });
    expect(history[1]).toMatchObject({ kind: 'reply', text: null, hiddenReason: 'Bevat persoonsgegevens.' });
    // Admins read the words in Beheer; the row itself was never rewritten.
    expect((await listReplyEvents(db(), TEST_CAMPAIGN_ID, { forAdmin: true }))[0]).toMatchObject({
      text: 'Zie pagina 14.',
      hiddenReason: 'Bevat persoonsgegevens.',
    });
    expect((await db().select().from(partyReplies).where(eq(partyReplies.id, latest.id)))[0]!.text).toBe('Zie pagina 14.');
    // Audited.
    const audit = await db().select().from(auditLog).where(eq(auditLog.action, 'reply.hidden'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: `check/${checkId}`, details: { reply: latest.id, reason: 'Bevat persoonsgegevens.' } });

    // Shown again: one more row, the words are back.
    expect(
      await moderateReply(db(), TEST_CAMPAIGN_ID, { replyId: latest.id, hide: false, reason: 'Persoonsgegevens verwijderd.' }, { actor: admin, now: T6 }),
    ).toEqual({
      status: 'done',
      hidden: false,
    });
    expect((await loadReplies(db(), TEST_CAMPAIGN_ID, 'check')).get(checkId)).toMatchObject({ text: 'Zie pagina 14.', hiddenReason: null });
    expect(await db().select().from(replyModerations)).toHaveLength(2);
    expect(await boardTime()).toBe(T6.toISOString());
  });

  it('a moderation moves the campaign’s board version and cannot be changed or removed', async () => {
    const before = (await readBoardVersions(db())).version;
    const id = (await listReplyEvents(db(), TEST_CAMPAIGN_ID))[1]!.id;
    expect((await moderateReply(db(), TEST_CAMPAIGN_ID, { replyId: id, hide: true, reason: 'Beledigend.' }, { actor: admin, now: T6 })).status).toBe('done');
    const after = await readBoardVersions(db());
    expect(after.version).toBeGreaterThan(before);
    expect(after.campaigns.get('reacties-test')).toBe(after.version);
    await expect(db().update(replyModerations).set({ reason: 'Anders.' })).rejects.toThrow();
    await expect(db().delete(replyModerations)).rejects.toThrow();
  });

  it(`a representative posts at most ${REPLIES_PER_HOUR} replies an hour: then 'limited', nothing written`, async () => {
    const base = new Date('2026-03-01T12:00:00Z');
    const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);
    for (let i = 0; i < REPLIES_PER_HOUR; i++) expect((await reply(`Reactie ${i}.`, at(i))).status).toBe('done');
    const count = (await db().select().from(partyReplies)).length;
    expect(await reply('Nog een.', at(30))).toEqual({ status: 'limited' });
    expect((await db().select().from(partyReplies)).length).toBe(count);
    // Another representative of the same party has a budget of its own.
    expect((await reply('Van Anna.', at(30), repA2)).status).toBe('done');
    // An hour after the first, one more is let through.
    expect((await reply('Later.', at(60))).status).toBe('done');
    expect(await reply('Te snel.', at(60))).toEqual({ status: 'limited' });
  });

  it('a follow-up rating and a reply to it move the board’s "last updated"; an archived campaign refuses moderation', async () => {
    await db().update(campaigns).set({ state: 'follow-up' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    const late = new Date('2026-04-01T10:00:00Z');
    const rated = await rateFollowUp(
      db(),
      TEST_CAMPAIGN_ID,
      {
        partySlug: 'testpartij-a',
        goalSlug: 'veilige-apps',
        status: 'in-progress',
        citationUrl: 'https://example.org/brief',
        explanation: 'Wordt aan gewerkt.',
      },
      { actor: admin, now: late },
    );
    expect(rated.status).toBe('done');
    expect(await boardTime()).toBe(late.toISOString());
    expect(await stanceTime()).toBe(late.toISOString());
    const later = new Date('2026-04-02T10:00:00Z');
    const ratingId = (await loadFollowUp(db(), TEST_CAMPAIGN_ID)).ratings[0]!.id;
    expect(
      (await addReply(db(), TEST_CAMPAIGN_ID, { subject: 'follow-up', subjectId: ratingId, text: 'Wij dienen een motie in.' }, { actor: repA, now: later }))
        .status,
    ).toBe('done');
    expect(await boardTime()).toBe(later.toISOString());
    const events = await listReplyEvents(db(), TEST_CAMPAIGN_ID, { goalSlug: 'veilige-apps', limit: 1 });
    expect(events[0]).toMatchObject({ subject: 'follow-up', subjectId: ratingId, goalSlug: 'veilige-apps', text: 'Wij dienen een motie in.' });

    await db().update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    try {
      expect(await moderateReply(db(), TEST_CAMPAIGN_ID, { replyId: events[0]!.id, hide: true, reason: 'Reden.' }, { actor: admin })).toEqual({
        status: 'archived',
      });
      // And the database itself, whatever path a write takes.
      await expect(
        db().insert(replyModerations).values({ campaignId: TEST_CAMPAIGN_ID, replyId: events[0]!.id, hidden: true, reason: 'Reden.', byName: 'Beheer' }),
      ).rejects.toThrow();
    } finally {
      await db().update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    }
  });
});
