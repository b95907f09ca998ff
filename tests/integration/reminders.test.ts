/**
 * Scheduled reminders on every engine, with a clock the test moves (`now`): nothing before a
 * moment, one round per party with goals open at it (none for a party that answered all, none
 * without a representative), once however often and however many runners run it, a late run
 * sends only the latest moment, a moved deadline makes new moments, and nothing at or after
 * the deadline, without one, or while pledging is closed.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { auditLog, campaigns, outbox, reminderRuns, reminderSchedule } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { loadDeadline, setDeadline, setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { addReminder, listReminderSchedule, reminderMoment, removeReminder, runDueReminders } from '../../src/domain/reminders.ts';
import { setMailPreferences, setUserDisabled } from '../../src/domain/users.ts';
import { TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS, TEST_PARTIES, testRep, testMailContext } from '../fixtures/board.ts';
import { createAccount } from '../helpers/accounts.ts';
import { ENGINES, createTestDatabase, type TestDatabase } from '../helpers/engines.ts';

const MAIL = testMailContext();
/** 17:00 in Amsterdam (winter time). */
const DEADLINE = new Date('2026-12-15T16:00:00Z');
const MINUTE = 60_000;
const PLANNED = new Date('2026-10-01T10:00:00Z');
const campaign = (deadline: Date | null = DEADLINE) => ({
  campaignId: TEST_CAMPAIGN_ID,
  campaignSlug: 'testcampagne',
  deadline,
  goalSlugs: TEST_GOAL_SLUGS,
  actor: SYSTEM_ACTOR,
});
const after = (moment: Date, ms = MINUTE) => new Date(moment.getTime() + ms);

describe.each(ENGINES)('scheduled reminders on %s', (engine) => {
  let test: TestDatabase;
  const db = () => test.database.db;
  const reminders = () => db().select().from(outbox).where(eq(outbox.kind, 'reminder')).orderBy(outbox.id);

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    // A: two representatives (one reads English) and a disabled one; B: one, answers every goal; C: none.
    const a1 = await createAccount(db(), { email: 'a1@partij-a.example', party: 'testpartij-a' });
    const a2 = await createAccount(db(), { email: 'a2@partij-a.example', party: 'testpartij-a' });
    const gone = await createAccount(db(), { email: 'weg@partij-a.example', party: 'testpartij-a' });
    const b1 = await createAccount(db(), { email: 'b1@partij-b.example', party: 'testpartij-b' });
    await setMailPreferences(db(), a2.user, { colleagueChanges: false, campaignChanges: false, locale: 'en' });
    await setUserDisabled(db(), gone.user.id, true, SYSTEM_ACTOR);
    void a1;
    // Saved as the party's representative: only that is an answer (answers.ts).
    await savePledge(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: TEST_GOAL_SLUGS[0]!,
      goalSlugs: TEST_GOAL_SLUGS,
      baseVersion: 0,
      input: { stance: 'committed', statement: '' },
      actor: testRep(a1.user.partyId!),
    });
    for (const goalSlug of TEST_GOAL_SLUGS) {
      await savePledge(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-b',
        goalSlug,
        goalSlugs: TEST_GOAL_SLUGS,
        baseVersion: 0,
        input: { stance: 'partial', statement: '' },
        actor: testRep(b1.user.partyId!),
      });
    }
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    await db().delete(outbox);
    await db().delete(reminderRuns);
    await db().delete(reminderSchedule);
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
    // The campaign's own deadline is set by the tests that read it (no audit line).
    await db().update(campaigns).set({ pledgeDeadline: null }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    // Planned well before the first moment.
    for (const days of ['14', '7', '2']) expect((await addReminder(db(), TEST_CAMPAIGN_ID, days, { actor: SYSTEM_ACTOR, now: PLANNED })).status).toBe('added');
  });

  it('sends nothing before the first moment', async () => {
    expect(await runDueReminders(db(), MAIL, after(reminderMoment(DEADLINE, 14), -MINUTE), campaign())).toEqual([]);
    expect(await reminders()).toEqual([]);
  });

  it('writes one round per party with goals open, to its enabled representatives, all at one created_at', async () => {
    const now = after(reminderMoment(DEADLINE, 14));
    const [report, ...more] = await runDueReminders(db(), MAIL, now, campaign());
    expect(more).toEqual([]);
    expect(report).toMatchObject({ daysBefore: 14, reminded: ['testpartij-a'], noRecipients: ['testpartij-c'], passedOver: false });
    const rows = await reminders();
    expect(rows.map((r) => r.toAddress).sort()).toEqual(['a1@partij-a.example', 'a2@partij-a.example']);
    expect(new Set(rows.map((r) => r.partyId)).size).toBe(1);
    expect(new Set(rows.map((r) => r.createdAt.getTime())).size).toBe(1);
    expect(rows.every((r) => r.status === 'held')).toBe(true);
    const english = rows.find((r) => r.toAddress === 'a2@partij-a.example')!;
    expect(english.locale).toBe('en');
    expect(english.subject).toContain('answered 1 of 3 goals');
    // The form under the campaign's own address: a reminder of a campaign not current links to it, not to the current one's.
    expect(english.textBody).toContain('https://board.example/campagnes/testcampagne/en/myParty');
    const dutch = rows.find((r) => r.toAddress === 'a1@partij-a.example')!;
    expect(dutch.subject).toContain('1 van 3 doelen');
    // The run's audit entry names the party nobody could be reminded at.
    const [entry] = await db().select().from(auditLog).where(eq(auditLog.action, 'reminder.run')).orderBy(desc(auditLog.id)).limit(1);
    expect(entry?.details).toMatchObject({ daysBefore: 14, reminded: ['testpartij-a'], noRecipients: ['testpartij-c'] });
  });

  it('sends a moment once, however often it is run', async () => {
    const now = after(reminderMoment(DEADLINE, 7));
    expect(await runDueReminders(db(), MAIL, now, campaign())).toHaveLength(2); // 14 passed over, 7 sent
    expect(await runDueReminders(db(), MAIL, now, campaign())).toEqual([]);
    expect(await runDueReminders(db(), MAIL, after(now, 3 * MINUTE), campaign())).toEqual([]);
    expect(await reminders()).toHaveLength(2);
  });

  it('sends only the latest moment after a long outage, and records the older ones as passed over', async () => {
    const reports = await runDueReminders(db(), MAIL, after(reminderMoment(DEADLINE, 2), 60 * MINUTE), campaign());
    expect(reports.map((r) => [r.daysBefore, r.passedOver])).toEqual([
      [14, true],
      [7, true],
      [2, false],
    ]);
    expect(new Set((await reminders()).map((r) => r.createdAt.getTime())).size).toBe(1);
    const listed = await listReminderSchedule(db(), TEST_CAMPAIGN_ID, DEADLINE);
    expect(listed.map((e) => [e.daysBefore, e.run?.rounds])).toEqual([
      [14, 0],
      [7, 0],
      [2, 1],
    ]);
  });

  it('sends nothing at or after the deadline, without a deadline, or while pledging is closed', async () => {
    expect(await runDueReminders(db(), MAIL, DEADLINE, campaign())).toEqual([]);
    expect(await runDueReminders(db(), MAIL, after(DEADLINE), campaign())).toEqual([]);
    expect(await runDueReminders(db(), MAIL, after(reminderMoment(DEADLINE, 14)), campaign(null))).toEqual([]);
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, 'closed', SYSTEM_ACTOR);
    expect(await runDueReminders(db(), MAIL, after(reminderMoment(DEADLINE, 14)), campaign())).toEqual([]);
    // Nor for a campaign that does not take pledges (not in state 'open'), reopened or not.
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, 'open', SYSTEM_ACTOR);
    try {
      await db().update(campaigns).set({ state: 'closed' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
      expect(await runDueReminders(db(), MAIL, after(reminderMoment(DEADLINE, 14)), campaign())).toEqual([]);
    } finally {
      await db().update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    }
    expect(await reminders()).toEqual([]);
    expect(await db().select().from(reminderRuns)).toEqual([]);
  });

  it('makes new moments when the deadline moves', async () => {
    const now = after(reminderMoment(DEADLINE, 14));
    expect(await runDueReminders(db(), MAIL, now, campaign())).toHaveLength(1);
    const later = new Date(DEADLINE.getTime() + 3 * 24 * 60 * MINUTE);
    // Three days later: "14 days before" is three days away again.
    expect(await runDueReminders(db(), MAIL, after(now, 60 * MINUTE), campaign(later))).toEqual([]);
    const [report] = await runDueReminders(db(), MAIL, after(reminderMoment(later, 14)), campaign(later));
    expect(report).toMatchObject({ daysBefore: 14, reminded: ['testpartij-a'] });
    expect(new Set((await reminders()).map((r) => r.createdAt.getTime())).size).toBe(2);
  });

  it('moving the deadline (earlier, or later then earlier, or back) never repeats a round nor sends one late', async () => {
    const DAY = 24 * 60 * MINUTE;
    // What the worker reads: the campaign's deadline in force (DEADLINE, as planned).
    const inForce = async () => campaign(await loadDeadline(db(), TEST_CAMPAIGN_ID));
    const move = (to: Date | null, now: Date) => setDeadline(db(), TEST_CAMPAIGN_ID, to, SYSTEM_ACTOR, { now });
    await move(DEADLINE, PLANNED);
    const rounds = async () => new Set((await reminders()).map((r) => r.createdAt.getTime())).size;

    // "14 days before" goes out for the campaign's deadline.
    const sent = after(reminderMoment(DEADLINE, 14));
    expect((await runDueReminders(db(), MAIL, sent, await inForce())).map((r) => r.daysBefore)).toEqual([14]);
    // An hour later the deadline moves a day later, then two days earlier than it was: the
    // new "14 days before" is already past. It does not go out again, now or later.
    await move(new Date(DEADLINE.getTime() + DAY), after(sent, 60 * MINUTE));
    const earlier = new Date(DEADLINE.getTime() - 2 * DAY);
    await move(earlier, after(sent, 62 * MINUTE));
    expect(await runDueReminders(db(), MAIL, after(sent, 63 * MINUTE), await inForce())).toEqual([]);
    expect(await runDueReminders(db(), MAIL, after(sent, 2 * DAY), await inForce())).toEqual([]);
    // Beheer → Herinneringen says so.
    const listed = await listReminderSchedule(db(), TEST_CAMPAIGN_ID, earlier);
    expect(listed.map((e) => [e.daysBefore, e.passedWhenMoved])).toEqual([
      [14, true],
      [7, false],
      [2, false],
    ]);
    // Moments still ahead when it moved go out as planned.
    const seven = await runDueReminders(db(), MAIL, after(reminderMoment(earlier, 7)), await inForce());
    expect(seven.map((r) => [r.daysBefore, r.passedOver])).toEqual([[7, false]]);
    // Set back to the first deadline after its own "7 days before" had passed. The rule
    // knows only runs, not when the deadline moved: no run ran after that moment (the last one
    // was "7 days before" the earlier deadline, two days before it), so it goes out now, once,
    // naming the deadline in force. (Only a record of when the deadline changed could tell this
    // from a late start of the server; the rule chose to need none.)
    const cleared = after(reminderMoment(DEADLINE, 7), 25 * 60 * MINUTE);
    await move(DEADLINE, cleared);
    const back = await runDueReminders(db(), MAIL, after(cleared), await inForce());
    expect(back.map((r) => [r.daysBefore, r.passedOver])).toEqual([[7, false]]);
    expect(await runDueReminders(db(), MAIL, after(cleared, 2 * MINUTE), await inForce())).toEqual([]);
    const two = await runDueReminders(db(), MAIL, after(reminderMoment(DEADLINE, 2)), await inForce());
    expect(two.map((r) => [r.daysBefore, r.passedOver])).toEqual([[2, false]]);
    expect(await rounds()).toBe(4);
  });

  it('a deadline moved without Beheer (the campaign row written directly) never repeats a round either', async () => {
    // The worker reads the campaign's row; it changes between runs and nothing records when.
    const inForce = async () => campaign(await loadDeadline(db(), TEST_CAMPAIGN_ID));
    const write = (to: Date) => db().update(campaigns).set({ pledgeDeadline: to }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    const auditedMoves = async () => (await db().select().from(auditLog).where(eq(auditLog.action, 'pledging.deadline-set'))).length;
    const movesBefore = await auditedMoves();
    await write(DEADLINE);
    const sent = after(reminderMoment(DEADLINE, 14));
    expect((await runDueReminders(db(), MAIL, sent, await inForce())).map((r) => r.daysBefore)).toEqual([14]);
    const earlier = new Date(DEADLINE.getTime() - 2 * 24 * 60 * MINUTE);
    await write(earlier);
    expect(await runDueReminders(db(), MAIL, after(sent, 60 * MINUTE), await inForce())).toEqual([]);
    expect(await runDueReminders(db(), MAIL, after(sent, 24 * 60 * MINUTE), await inForce())).toEqual([]);
    const seven = await runDueReminders(db(), MAIL, after(reminderMoment(earlier, 7)), await inForce());
    expect(seven.map((r) => [r.daysBefore, r.passedOver])).toEqual([[7, false]]);
    expect(new Set((await reminders()).map((r) => r.createdAt.getTime())).size).toBe(2);
    // The rule reads no audit log to know this: none was written for these moves.
    expect(await auditedMoves()).toBe(movesBefore);
  });

  it('stops a removed reminder; schedules each number of days once', async () => {
    const [fourteen] = (await listReminderSchedule(db(), TEST_CAMPAIGN_ID, DEADLINE)).filter((e) => e.daysBefore === 14);
    expect(await removeReminder(db(), TEST_CAMPAIGN_ID, fourteen!.id, { actor: SYSTEM_ACTOR })).toBe('removed');
    expect(await removeReminder(db(), TEST_CAMPAIGN_ID, fourteen!.id, { actor: SYSTEM_ACTOR })).toBe('unknown');
    expect(await runDueReminders(db(), MAIL, after(reminderMoment(DEADLINE, 14)), campaign())).toEqual([]);
    expect((await addReminder(db(), TEST_CAMPAIGN_ID, '7', { actor: SYSTEM_ACTOR })).status).toBe('duplicate');
    for (const bad of ['0', '-1', '366', '400', 'zeven', '7.5', '', '7\u0000', ' ']) {
      expect((await addReminder(db(), TEST_CAMPAIGN_ID, bad, { actor: SYSTEM_ACTOR })).status, bad).toBe('invalid');
    }
    expect((await db().select().from(reminderSchedule)).map((r) => r.daysBefore).sort((a, b) => a - b)).toEqual([2, 7]);
  });

  it('never sends a reminder planned after its moment had passed', async () => {
    const now = after(reminderMoment(DEADLINE, 5), 10 * MINUTE);
    expect((await addReminder(db(), TEST_CAMPAIGN_ID, '5', { actor: SYSTEM_ACTOR, now: after(reminderMoment(DEADLINE, 5)) })).status).toBe('added');
    const reports = await runDueReminders(db(), MAIL, now, campaign());
    // 14 and 7 were planned in time (7 goes out, 14 is passed over); 5 was planned too late.
    expect(reports.map((r) => [r.daysBefore, r.passedOver])).toEqual([
      [14, true],
      [7, false],
    ]);
    const five = (await listReminderSchedule(db(), TEST_CAMPAIGN_ID, DEADLINE)).find((e) => e.daysBefore === 5);
    expect(five).toMatchObject({ run: null, plannedLate: true });
  });

  it('sends a moment once when two runners (two connections) run it at the same time', async () => {
    const second: Database = engine === 'postgres' ? await openDatabase(test.target) : test.database;
    try {
      const now = after(reminderMoment(DEADLINE, 14));
      const results = await Promise.all([
        runDueReminders(db(), MAIL, now, campaign()),
        runDueReminders(second.db, MAIL, now, campaign()),
        runDueReminders(db(), MAIL, now, campaign()),
        runDueReminders(second.db, MAIL, now, campaign()),
      ]);
      expect(results.flat()).toHaveLength(1);
      expect(await reminders()).toHaveLength(2);
      expect(
        await db()
          .select()
          .from(reminderRuns)
          .where(and(eq(reminderRuns.daysBefore, 14), eq(reminderRuns.deadline, DEADLINE))),
      ).toHaveLength(1);
    } finally {
      if (second !== test.database) await second.close();
    }
  });
});
