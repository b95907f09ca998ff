/**
 * Scheduled reminders: the campaign picks moments before the pledge deadline ("14, 7 and 2
 * days before", Beheer → Herinneringen), and at each moment every party that has not answered
 * all goals (answers.ts: its own representative's pledges) gets one reminder ROUND: one outbox row (kind 'reminder', party_id set) per
 * enabled representative of that party, all written in one transaction, so they share one
 * created_at (the public record counts a party's rounds by distinct created_at).
 *
 * Who is reminded: the party's enabled representatives, in the language they chose on their
 * account page. Not the addresses of open invitations: an invitation mail carries a one-time
 * link of which only the hash is stored, so a reminder could not carry it, and a second link
 * is "send the invitation again" (an admin's step, Beheer → Uitnodigingen). A party without a
 * representative gets no round; the run's audit entry names it so the admins can act.
 *
 * Once across instances: every instance runs runDueReminders every minute (and admins may run
 * `npm run cli -- send-reminders`); a moment is claimed by inserting its reminder_runs row,
 * unique per (days before, deadline), in the transaction that writes the round. The loser of a
 * race inserts nothing and sends nothing. A moved deadline makes new moments, but a moment
 * is skipped when any reminder run (for any deadline) ran at or after it: say "14 days before"
 * of a deadline moved earlier, whose round went out for the old deadline. That covers a
 * deadline moved in Beheer and one moved in campaign.yaml alike, and never repeats a round
 * nor sends one late. When several
 * moments are due at once (the server was down), only the latest goes out; the older ones are
 * recorded as passed over, so a party never gets two reminders in one minute. A reminder
 * planned after its moment had already passed never goes out (planning must not mail at once). Nothing goes out
 * at or after the deadline, without a deadline, or while pledging is closed.
 */
import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox, reminderRuns, reminderSchedule, users } from '../db/schema.ts';
import { goalsAnsweredOf, loadAnswers } from './answers.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import type { Locale } from './campaign.ts';
import { reminderMail } from './mail-texts.ts';
import { enqueueMail, type PageMailContext } from './outbox.ts';
import { loadPledgingState } from './pledging-window.ts';
import { listActiveParties } from './parties.ts';

/** The campaign's time zone: "7 days before" counts calendar days there (DST included). */
const TIME_ZONE = 'Europe/Amsterdam';
const MAX_DAYS_BEFORE = 365;
const DAY = 24 * 60 * 60 * 1000;

const offsetFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Milliseconds the campaign's wall clock is ahead of UTC at a moment. */
function zoneOffset(at: Date): number {
  const part = (type: string) => Number(offsetFormat.formatToParts(at).find((p) => p.type === type)!.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The moment of "N days before the deadline": the same wall-clock time N calendar days
 * earlier in Amsterdam (a 17:00 deadline has its reminders at 17:00, summer time or not).
 */
export function reminderMoment(deadline: Date, daysBefore: number): Date {
  const wall = deadline.getTime() + zoneOffset(deadline) - daysBefore * DAY;
  // The offset at the answer may differ from the deadline's (a DST change in between): ask twice.
  const guess = wall - zoneOffset(new Date(wall - zoneOffset(deadline)));
  return new Date(wall - zoneOffset(new Date(guess)));
}

export type ParsedDays = { ok: true; days: number } | { ok: false; message: 'reminder.days' };

/** A form's "days before": whole digits, 1–365 (a number past a year is a typo, not a plan). */
export function parseDaysBefore(raw: unknown): ParsedDays {
  if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw.trim())) return { ok: false, message: 'reminder.days' };
  const days = Number(raw.trim());
  return days >= 1 && days <= MAX_DAYS_BEFORE ? { ok: true, days } : { ok: false, message: 'reminder.days' };
}

export interface ScheduledReminder {
  id: number;
  daysBefore: number;
  /** For the current deadline: when it goes out (null without a deadline). */
  moment: Date | null;
  /** The run for the current deadline, if it was made. */
  run: { ranAt: Date; rounds: number } | null;
  /** Planned after its moment for this deadline had passed: it will not go out. */
  plannedLate: boolean;
  /** A reminder run ran at or after its moment (the deadline was moved): it will not go out. */
  passedWhenMoved: boolean;
}

/**
 * The schedule, soonest-before-the-deadline last (14, 7, 2), with each entry's run for this
 * deadline.
 */
export async function listReminderSchedule(db: Db, campaignId: number, deadline: Date | null): Promise<ScheduledReminder[]> {
  const rows = await db.select().from(reminderSchedule).where(eq(reminderSchedule.campaignId, campaignId)).orderBy(desc(reminderSchedule.daysBefore));
  const runs = deadline
    ? await db
        .select()
        .from(reminderRuns)
        .where(and(eq(reminderRuns.campaignId, campaignId), eq(reminderRuns.deadline, deadline)))
    : [];
  const lastRanAt = await lastRunAt(db, campaignId);
  return rows.map((row) => {
    const run = runs.find((r) => r.daysBefore === row.daysBefore);
    const moment = deadline ? reminderMoment(deadline, row.daysBefore) : null;
    return {
      id: row.id,
      daysBefore: row.daysBefore,
      moment,
      run: run ? { ranAt: run.ranAt, rounds: run.rounds } : null,
      plannedLate: !run && moment !== null && row.createdAt > moment,
      passedWhenMoved: !run && moment !== null && lastRanAt !== null && lastRanAt >= moment,
    };
  });
}

interface WriteOptions {
  actor: Actor;
  ip?: string | null;
  now?: Date;
}

export type AddReminderResult = { status: 'added' } | { status: 'invalid'; message: 'reminder.days' } | { status: 'duplicate' };

export async function addReminder(db: Db, campaignId: number, rawDays: unknown, { actor, ip, now = new Date() }: WriteOptions): Promise<AddReminderResult> {
  const parsed = parseDaysBefore(rawDays);
  if (!parsed.ok) return { status: 'invalid', message: parsed.message };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reminderSchedule)
      .values({ campaignId, daysBefore: parsed.days, createdByUserId: actor.userId, createdAt: now })
      .onConflictDoNothing({ target: [reminderSchedule.campaignId, reminderSchedule.daysBefore] })
      .returning({ id: reminderSchedule.id });
    if (!row) return { status: 'duplicate' } as const;
    await recordAudit(tx, { action: 'reminder.scheduled', actor, subject: String(parsed.days), ip, now, details: { daysBefore: parsed.days } });
    return { status: 'added' } as const;
  });
}

export async function removeReminder(db: Db, campaignId: number, id: number, { actor, ip, now = new Date() }: WriteOptions): Promise<'removed' | 'unknown'> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(reminderSchedule)
      .where(and(eq(reminderSchedule.campaignId, campaignId), eq(reminderSchedule.id, id)))
      .returning({ daysBefore: reminderSchedule.daysBefore });
    if (!row) return 'unknown' as const;
    await recordAudit(tx, { action: 'reminder.unscheduled', actor, subject: String(row.daysBefore), ip, now, details: { daysBefore: row.daysBefore } });
    return 'removed' as const;
  });
}

export interface ReminderCampaign {
  /** The campaign whose parties are reminded (any that takes pledges). */
  campaignId: number;
  /** Its slug: the reminder links to the form under the campaign's own address. */
  campaignSlug?: string;
  /** The pledge deadline (read through the one accessor the caller has; see the report on issue 13). */
  deadline: Date | null;
  /** The campaign's goals: a party that answered every one (answers.ts) is not reminded. */
  goalSlugs: readonly string[];
}

export interface ReminderRunReport {
  daysBefore: number;
  dueAt: Date;
  /** Slugs of the parties that got a round. */
  reminded: string[];
  /** Parties with goals open but no enabled representative: no round. */
  noRecipients: string[];
  /** An older moment passed over because a later one was due too (the server was down). */
  passedOver: boolean;
}

/**
 * Sends every reminder whose moment has come and that no instance has sent yet. Safe to call
 * from every instance at once, as often as you like: see the header of this file.
 */
export async function runDueReminders(
  db: Db,
  mail: PageMailContext,
  now: Date,
  { campaignId, campaignSlug, deadline, goalSlugs, actor }: ReminderCampaign & { actor: Actor },
): Promise<ReminderRunReport[]> {
  if (!deadline || now >= deadline || goalSlugs.length === 0) return [];
  if (!(await loadPledgingState(db, campaignId, now)).open) return [];
  const schedule = await db
    .select({ daysBefore: reminderSchedule.daysBefore, createdAt: reminderSchedule.createdAt })
    .from(reminderSchedule)
    .where(eq(reminderSchedule.campaignId, campaignId))
    .orderBy(asc(reminderSchedule.daysBefore));
  // A reminder planned after its moment had passed is not sent: planning must never mail at once.
  // Nor one whose moment a reminder run (for any deadline) already ran at or after: the deadline
  // was moved (in Beheer or in campaign.yaml), that run's round was its round, and moving the
  // deadline must never mail at once either.
  const lastRanAt = await lastRunAt(db, campaignId);
  const due = schedule
    .map(({ daysBefore, createdAt }) => ({ daysBefore, createdAt, dueAt: reminderMoment(deadline, daysBefore) }))
    .filter(({ dueAt, createdAt }) => dueAt <= now && createdAt <= dueAt && (lastRanAt === null || lastRanAt < dueAt))
    .map(({ daysBefore, dueAt }) => ({ daysBefore, dueAt }));
  if (due.length === 0) return [];
  const done = new Set(
    (
      await db
        .select({ daysBefore: reminderRuns.daysBefore })
        .from(reminderRuns)
        .where(
          and(
            eq(reminderRuns.campaignId, campaignId),
            eq(reminderRuns.deadline, deadline),
            inArray(
              reminderRuns.daysBefore,
              due.map((d) => d.daysBefore),
            ),
          ),
        )
    ).map((r) => r.daysBefore),
  );
  const open = due.filter((d) => !done.has(d.daysBefore));
  if (open.length === 0) return [];
  // The latest moment (fewest days before) goes out; the older ones only get their claim.
  const [latest, ...passed] = open;
  const older = passed.reverse();
  const reports: ReminderRunReport[] = [];
  for (const moment of older) {
    const claimed = await db.transaction(async (tx) => {
      if (!(await claim(tx, campaignId, moment, deadline, now, 0))) return false;
      await recordAudit(tx, {
        action: 'reminder.run',
        actor,
        subject: String(moment.daysBefore),
        now,
        details: { daysBefore: moment.daysBefore, deadline: deadline.toISOString(), passedOver: true },
      });
      return true;
    });
    if (claimed) reports.push({ ...moment, reminded: [], noRecipients: [], passedOver: true });
  }
  const report = await db.transaction(async (tx) => {
    const runId = await claim(tx, campaignId, latest!, deadline, now, 0);
    if (runId === null) return null;
    const { reminded, noRecipients } = await writeRounds(tx, mail, { campaignId, campaignSlug, deadline, goalSlugs, runId });
    await tx.update(reminderRuns).set({ rounds: reminded.length }).where(eq(reminderRuns.id, runId));
    await recordAudit(tx, {
      action: 'reminder.run',
      actor,
      subject: String(latest!.daysBefore),
      now,
      details: { daysBefore: latest!.daysBefore, deadline: deadline.toISOString(), dueAt: latest!.dueAt.toISOString(), reminded, noRecipients },
    });
    return { ...latest!, reminded, noRecipients, passedOver: false };
  });
  if (report) reports.push(report);
  return reports;
}

/** Why a queued reminder is no longer wanted (mail-wanted.ts): see whyReminderUnwanted. */
export type ReminderUnwanted = 'no-deadline' | 'deadline-passed' | 'deadline-moved' | 'pledging-closed' | 'superseded' | 'party-answered';

/** The queued reminder being checked (an outbox row). */
export interface QueuedReminder {
  /** Its outbox row: its created_at (shared by every row of its round) is read there. */
  id: number;
  partyId: number;
  /** Its run, which says the deadline it was written for (null: written before runs were kept). */
  reminderRunId: number | null;
}

/**
 * A reminder waiting in the outbox (held where no mail is sent, or waiting to retry) is wanted
 * only while it is still the one to send now: there is a deadline, before it, the deadline it
 * names is the one in force, pledging is open, no newer round for its party was written since
 * (held rounds would otherwise all go out at once), and the party has goals open.
 */
export async function whyReminderUnwanted(
  db: Db,
  reminder: QueuedReminder,
  { campaignId, deadline, goalSlugs }: ReminderCampaign,
  now: Date,
): Promise<ReminderUnwanted | null> {
  if (!deadline) return 'no-deadline';
  if (now >= deadline) return 'deadline-passed';
  if (reminder.reminderRunId !== null) {
    const [run] = await db.select({ deadline: reminderRuns.deadline }).from(reminderRuns).where(eq(reminderRuns.id, reminder.reminderRunId));
    if (run && run.deadline.getTime() !== deadline.getTime()) return 'deadline-moved';
  }
  if (!(await loadPledgingState(db, campaignId, now)).open) return 'pledging-closed';
  // Compared in the database: a JS Date would lose its created_at's microseconds.
  const own = db.select({ at: outbox.createdAt }).from(outbox).where(eq(outbox.id, reminder.id));
  const [newer] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.kind, 'reminder'), eq(outbox.campaignId, campaignId), eq(outbox.partyId, reminder.partyId), gt(outbox.createdAt, sql`(${own})`)))
    .limit(1);
  if (newer) return 'superseded';
  if (goalSlugs.length === 0) return null;
  const partyId = reminder.partyId;
  // Answered by the one rule of answers.ts, as when the round was written.
  const answered = await loadAnswers(db, campaignId, goalSlugs, { partyIds: [partyId] });
  return goalsAnsweredOf(answered, partyId) >= goalSlugs.length ? 'party-answered' : null;
}

/** When the campaign's latest reminder run ran (for any deadline); null when none ever did. */
async function lastRunAt(db: Db, campaignId: number): Promise<Date | null> {
  const [row] = await db
    .select({ at: reminderRuns.ranAt })
    .from(reminderRuns)
    .where(eq(reminderRuns.campaignId, campaignId))
    .orderBy(desc(reminderRuns.ranAt))
    .limit(1);
  return row?.at ?? null;
}

/** Inserts the run's row; null when another run (another instance) has it already. */
async function claim(
  tx: Db,
  campaignId: number,
  { daysBefore, dueAt }: { daysBefore: number; dueAt: Date },
  deadline: Date,
  now: Date,
  rounds: number,
): Promise<number | null> {
  const [row] = await tx
    .insert(reminderRuns)
    .values({ campaignId, daysBefore, deadline, dueAt, ranAt: now, rounds })
    .onConflictDoNothing({ target: [reminderRuns.campaignId, reminderRuns.daysBefore, reminderRuns.deadline] })
    .returning({ id: reminderRuns.id });
  return row?.id ?? null;
}

/** One round per party with goals open and someone to remind; in the caller's transaction (one created_at). */
async function writeRounds(
  tx: Db,
  mail: PageMailContext,
  { campaignId, campaignSlug, deadline, goalSlugs, runId }: ReminderCampaign & { deadline: Date; runId: number },
) {
  // Answered by the one rule of answers.ts: a goal only the campaign or the system filled in is still open.
  const answered = await loadAnswers(tx, campaignId, goalSlugs);
  const answeredOf = (partyId: number) => goalsAnsweredOf(answered, partyId);
  const open = (await listActiveParties(tx, campaignId)).sort((a, b) => (a.slug < b.slug ? -1 : 1)).filter((p) => answeredOf(p.id) < goalSlugs.length);
  const reps =
    open.length === 0
      ? []
      : await tx
          .select({ partyId: users.partyId, email: users.email, locale: users.mailLocale })
          .from(users)
          .where(
            and(
              eq(users.role, 'rep'),
              isNull(users.disabledAt),
              inArray(
                users.partyId,
                open.map((p) => p.id),
              ),
            ),
          )
          .orderBy(asc(users.id));
  const reminded: string[] = [];
  const noRecipients: string[] = [];
  for (const party of open) {
    const recipients = reps.filter((r) => r.partyId === party.id);
    if (recipients.length === 0) {
      noRecipients.push(party.slug);
      continue;
    }
    for (const rep of recipients) {
      const locale: Locale = rep.locale === 'en' ? 'en' : 'nl';
      const campaignName = mail.campaignName[locale];
      await enqueueMail(tx, {
        kind: 'reminder',
        to: rep.email,
        locale,
        fromName: campaignName,
        content: reminderMail(locale, {
          campaignName,
          partyName: party.name,
          deadline,
          answered: answeredOf(party.id),
          total: goalSlugs.length,
          link: mail.pageTo('myParty', locale, campaignSlug),
        }),
        partyId: party.id,
        campaignId,
        reminderRunId: runId,
        held: !mail.sending,
      });
    }
    reminded.push(party.slug);
  }
  return { reminded, noRecipients };
}
