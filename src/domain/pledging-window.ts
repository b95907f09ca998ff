/**
 * Whether parties may change their pledges now. Only a campaign in the `open` state takes
 * pledges; there the deadline closes pledging, and an admin can close it early or reopen it
 * after the deadline. The admin's choice is stored on the campaign and wins over the deadline
 * until it is set back to "follow the deadline".
 *
 * The deadline is the campaign's (imported with it, or set in Beheer; a change moves the
 * board's version, so cached pages drop). An admin enters it in Dutch time; it must be a real
 * moment in the future (a past one would close pledging by the back door: closing has its own
 * button and confirm step), within two years, and before the end of election day when that
 * is known.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaigns } from '../db/schema.ts';
import type { Campaign, CampaignState } from './campaign.ts';
import type { Actor } from './actors.ts';
import type { FieldIssues } from './field-issues.ts';
import { recordAudit } from './audit.ts';

export type PledgingOverride = 'open' | 'closed' | null;

export interface PledgingState {
  open: boolean;
  /** Why: the deadline (or its absence) decides, or an admin's choice does. */
  reason: 'before-deadline' | 'no-deadline' | 'deadline-passed' | 'reopened-by-admin' | 'closed-by-admin' | 'campaign-not-open';
  deadline: Date | null;
}

const CAMPAIGN_TIME_ZONE = 'Europe/Amsterdam';

/** The state an override would give (null: what the deadline alone says) in a campaign's state. */
export function pledgingState(deadline: Date | null, override: PledgingOverride, now = new Date(), state: CampaignState = 'open'): PledgingState {
  if (state !== 'open') return { open: false, reason: 'campaign-not-open', deadline };
  if (override === 'open') return { open: true, reason: 'reopened-by-admin', deadline };
  if (override === 'closed') return { open: false, reason: 'closed-by-admin', deadline };
  if (!deadline) return { open: true, reason: 'no-deadline', deadline };
  return now < deadline ? { open: true, reason: 'before-deadline', deadline } : { open: false, reason: 'deadline-passed', deadline };
}

/** Whether a campaign (as loaded for a page) takes pledges now. */
export function pledgingStateOf(campaign: Pick<Campaign, 'pledgeDeadline' | 'pledgingOverride' | 'state'>, now = new Date()): PledgingState {
  return pledgingState(campaign.pledgeDeadline, campaign.pledgingOverride, now, campaign.state);
}

async function readWindow(db: Db, campaignId: number) {
  const [row] = await db
    .select({ pledgeDeadline: campaigns.pledgeDeadline, pledgingOverride: campaigns.pledgingOverride, state: campaigns.state })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId))
    .limit(1);
  if (!row) throw new Error(`no campaign ${campaignId}`);
  const override: PledgingOverride = row.pledgingOverride === 'open' || row.pledgingOverride === 'closed' ? row.pledgingOverride : null;
  return { ...row, pledgingOverride: override };
}

/** The deadline in force, read now (writes check it in their transaction). */
export async function loadDeadline(db: Db, campaignId: number): Promise<Date | null> {
  return (await readWindow(db, campaignId)).pledgeDeadline;
}

/** Whether the campaign takes pledges now, read from the database (for a write's transaction). */
export async function loadPledgingState(db: Db, campaignId: number, now = new Date()): Promise<PledgingState> {
  return pledgingStateOf(await readWindow(db, campaignId), now);
}

export async function setPledgingOverride(
  db: Db,
  campaignId: number,
  override: PledgingOverride,
  actor: Actor,
  { ip, now = new Date() }: { ip?: string | null; now?: Date } = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(campaigns).set({ pledgingOverride: override, updatedAt: now }).where(eq(campaigns.id, campaignId));
    const action = override === 'open' ? 'pledging.opened' : override === 'closed' ? 'pledging.closed' : 'pledging.follows-deadline';
    await recordAudit(tx, { action, actor, ip, now, details: { campaignId } });
  });
}

const DAY = 24 * 60 * 60 * 1000;
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of a moment in a time zone, as a day number (days since 1970-01-01). */
function dayNumber(moment: Date, timeZone: string): number {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const [year, month, day] = format.format(moment).split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / DAY;
}

/**
 * How many calendar days are left before the deadline, as people count them where the
 * campaign is (0: the deadline is today; null: no deadline, or it has passed).
 */
export function daysUntilDeadline(deadline: Date | null, now = new Date(), timeZone = 'Europe/Amsterdam'): number | null {
  if (!deadline || now >= deadline) return null;
  return dayNumber(deadline, timeZone) - dayNumber(now, timeZone);
}

const MINUTE = 60 * 1000;
const MAX_AHEAD_MS = 2 * 366 * DAY;
const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** A moment's wall-clock time in a time zone, as if that wall time were UTC (ms). */
function wallTime(moment: number, timeZone: string): number {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wallFormats.set(timeZone, format);
  }
  const part = (type: string) => Number(format.formatToParts(moment).find((p) => p.type === type)?.value);
  const wall = new Date(0);
  wall.setUTCFullYear(part('year'), part('month') - 1, part('day'));
  wall.setUTCHours(part('hour'), part('minute'), 0, 0);
  return wall.getTime();
}

/**
 * The moment a wall-clock time in a time zone names: null when the clock skips it (the hour
 * summer time starts); the earlier of two when it comes twice (the hour winter time starts).
 */
export function zonedMoment(year: number, month: number, day: number, hour: number, minute: number, timeZone = CAMPAIGN_TIME_ZONE): Date | null {
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, 0, 0);
  const target = wall.getTime();
  const candidates = new Set<number>();
  for (const probe of [target - DAY, target + DAY]) candidates.add(target - (wallTime(probe, timeZone) - probe));
  const fitting = [...candidates].filter((moment) => wallTime(moment, timeZone) === target).sort((a, b) => a - b);
  return fitting.length > 0 ? new Date(fitting[0]!) : null;
}

/** A moment as the date and time fields show it in Dutch time ("2027-03-01", "23:59"). */
export function localDateTimeFields(moment: Date, timeZone = CAMPAIGN_TIME_ZONE): { date: string; time: string } {
  const iso = new Date(wallTime(moment.getTime(), timeZone)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

export type DeadlineInputResult = { status: 'valid'; deadline: Date } | { status: 'invalid'; issues: FieldIssues };

/**
 * Reads a deadline typed in Dutch time: `date` as YYYY-MM-DD (what a date field sends), `time`
 * as HH:MM. Refused, with a message per field: a day the calendar does not have (31 April),
 * a year before 2000 (a typo such as 0027; anything that early is past anyway), a time the clock
 * skips, a moment not in the future, more than two years ahead, or after election day.
 */
export function parseDeadlineInput(
  { date, time }: { date: string; time: string },
  { now = new Date(), electionDate = null }: { now?: Date; electionDate?: Date | null } = {},
): DeadlineInputResult {
  const issues: FieldIssues = {};
  // Spaces around are forgiven; a line break or any other character is not.
  const d = /^ *(\d{4})-(\d{2})-(\d{2}) *$/.exec(date);
  const t = /^ *(\d{2}):(\d{2})(?::00)? *$/.exec(time);
  let day: { year: number; month: number; day: number } | null = null;
  if (d) {
    const [year, month, dayOfMonth] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const check = new Date(0);
    check.setUTCFullYear(year, month - 1, dayOfMonth);
    const real = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === dayOfMonth;
    if (real && year >= 2000) day = { year, month, day: dayOfMonth };
  }
  if (!day) issues.date = 'deadline.dateInvalid';
  const clock = t && Number(t[1]) < 24 && Number(t[2]) < 60 ? { hour: Number(t[1]), minute: Number(t[2]) } : null;
  if (!clock) issues.time = 'deadline.timeInvalid';
  if (!day || !clock) return { status: 'invalid', issues };
  const deadline = zonedMoment(day.year, day.month, day.day, clock.hour, clock.minute);
  if (!deadline) return { status: 'invalid', issues: { time: 'deadline.skippedTime' } };
  if (deadline.getTime() <= now.getTime()) return { status: 'invalid', issues: { date: 'deadline.past' } };
  if (deadline.getTime() > now.getTime() + MAX_AHEAD_MS) return { status: 'invalid', issues: { date: 'deadline.tooFar' } };
  if (electionDate) {
    // Election day ends at midnight, Dutch time (the date is a calendar day).
    const end = zonedMoment(electionDate.getUTCFullYear(), electionDate.getUTCMonth() + 1, electionDate.getUTCDate() + 1, 0, 0);
    if (end && deadline.getTime() > end.getTime()) return { status: 'invalid', issues: { date: 'deadline.afterElection' } };
  }
  return { status: 'valid', deadline: new Date(Math.floor(deadline.getTime() / MINUTE) * MINUTE) };
}

/**
 * Sets the campaign's deadline (a Date from parseDeadlineInput), or with null removes it
 * (pledging then stays open until an admin closes it). The audit log keeps the old and the new
 * deadline. 'unchanged' writes nothing.
 */
export async function setDeadline(
  db: Db,
  campaignId: number,
  deadline: Date | null,
  actor: Actor,
  { ip, now = new Date() }: { ip?: string | null; now?: Date } = {},
): Promise<'done' | 'unchanged'> {
  return db.transaction(async (tx) => {
    // One admin at a time: the audit's "from" must be what the other one left.
    const [before] = await tx.select({ deadline: campaigns.pledgeDeadline }).from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
    if (!before) throw new Error(`no campaign ${campaignId}`);
    if ((before.deadline?.getTime() ?? null) === (deadline?.getTime() ?? null)) return 'unchanged' as const;
    await tx.update(campaigns).set({ pledgeDeadline: deadline, updatedAt: now }).where(eq(campaigns.id, campaignId));
    await recordAudit(tx, {
      action: deadline === null ? 'pledging.deadline-cleared' : 'pledging.deadline-set',
      actor,
      ip,
      now,
      details: { campaignId, from: before.deadline?.toISOString() ?? null, to: deadline?.toISOString() ?? null },
    });
    return 'done' as const;
  });
}
