/**
 * Whether parties may change their pledges now. The campaign's deadline closes pledging; an
 * admin can close it early or reopen it after the deadline. The admin's choice is stored in
 * app_settings and wins over the deadline until it is set back to "follow the deadline".
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { appSettings } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';

export type PledgingOverride = 'open' | 'closed' | null;

export interface PledgingState {
  open: boolean;
  /** Why: the deadline (or its absence) decides, or an admin's choice does. */
  reason: 'before-deadline' | 'no-deadline' | 'deadline-passed' | 'reopened-by-admin' | 'closed-by-admin';
  deadline: Date | null;
}

const KEY = 'pledging.override';

/** The state an override would give (null: what the deadline alone says). */
export function pledgingState(deadline: Date | null, override: PledgingOverride, now = new Date()): PledgingState {
  if (override === 'open') return { open: true, reason: 'reopened-by-admin', deadline };
  if (override === 'closed') return { open: false, reason: 'closed-by-admin', deadline };
  if (!deadline) return { open: true, reason: 'no-deadline', deadline };
  return now < deadline ? { open: true, reason: 'before-deadline', deadline } : { open: false, reason: 'deadline-passed', deadline };
}

async function getPledgingOverride(db: Db): Promise<PledgingOverride> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, KEY)).limit(1);
  const value = (row?.value as { state?: unknown } | undefined)?.state;
  return value === 'open' || value === 'closed' ? value : null;
}

export async function loadPledgingState(db: Db, deadline: Date | null, now = new Date()): Promise<PledgingState> {
  return pledgingState(deadline, await getPledgingOverride(db), now);
}

export async function setPledgingOverride(
  db: Db,
  override: PledgingOverride,
  actor: Actor,
  { ip, now = new Date() }: { ip?: string | null; now?: Date } = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    if (override === null) {
      await tx.delete(appSettings).where(eq(appSettings.key, KEY));
    } else {
      await tx
        .insert(appSettings)
        .values({ key: KEY, value: { state: override }, updatedAt: now })
        .onConflictDoUpdate({ target: appSettings.key, set: { value: { state: override }, updatedAt: now } });
    }
    const action = override === 'open' ? 'pledging.opened' : override === 'closed' ? 'pledging.closed' : 'pledging.follows-deadline';
    await recordAudit(tx, { action, actor, ip, now });
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
