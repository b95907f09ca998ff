/**
 * The audit log: every security event (sign-ins, invitations, account and role changes,
 * moderation, opening or closing pledging). Append-only in the database.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog, parties, users } from '../db/schema.ts';
import type { Actor } from './actors.ts';

/** Every kind of event the log records. */
export type AuditAction =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.blocked'
  | 'login.second-factor.succeeded'
  | 'login.second-factor.failed'
  | 'logout'
  | 'account.created'
  | 'password.changed'
  | 'password.reset-link.created'
  | 'password.reset'
  | 'password.reset-requested'
  | 'password.reset-request.limited'
  | 'totp.enabled'
  | 'totp.replaced'
  | 'totp.cleared'
  | 'recovery-codes.created'
  | 'recovery-code.used'
  | 'invite.created'
  | 'invite.revoked'
  | 'invite.resent'
  | 'admin-setup.created'
  | 'account-link.revoked'
  | 'user.disabled'
  | 'user.enabled'
  | 'party.created'
  | 'party.updated'
  | 'party.retired'
  | 'party.reinstated'
  | 'pledge.corrected'
  | 'statement.hidden'
  | 'statement.shown'
  | 'pledging.opened'
  | 'pledging.closed'
  | 'pledging.follows-deadline'
  | 'pledging.deadline-set'
  | 'pledging.deadline-cleared'
  | 'campaign.made-current'
  | 'campaign.created'
  | 'campaign.updated'
  | 'campaign.published'
  | 'campaign.closed'
  | 'campaign.follow-up'
  | 'campaign.archived'
  | 'campaign.unarchived'
  | 'campaign.goal-added'
  | 'campaign.goal-updated'
  | 'campaign.goal-deleted'
  | 'candidates.imported'
  | 'candidate.invited'
  | 'candidate.signed'
  | 'candidate.elected'
  | 'candidate.unelected'
  // --- reminders ---
  | 'reminder.scheduled'
  | 'reminder.unscheduled'
  | 'reminder.run'
  | 'account.notifications-changed'
  // --- follow-up after the election ---
  | 'follow-up.rated'
  | 'parliament.item-linked'
  | 'parliament.item-unlinked'
  | 'parliament.fraction-mapped'
  // --- checks and replies (issue 15) ---
  | 'pledge.checked'
  | 'evidence.refetched'
  | 'reply.added'
  | 'reply.hidden'
  | 'reply.shown';

/** The same list at run time, for filters: `satisfies` keeps it in step with the type. */
export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'login.blocked',
  'login.second-factor.succeeded',
  'login.second-factor.failed',
  'logout',
  'account.created',
  'password.changed',
  'password.reset-link.created',
  'password.reset',
  'password.reset-requested',
  'password.reset-request.limited',
  'totp.enabled',
  'totp.replaced',
  'totp.cleared',
  'recovery-codes.created',
  'recovery-code.used',
  'invite.created',
  'invite.revoked',
  'invite.resent',
  'admin-setup.created',
  'account-link.revoked',
  'user.disabled',
  'user.enabled',
  'party.created',
  'party.updated',
  'party.retired',
  'party.reinstated',
  'pledge.corrected',
  'statement.hidden',
  'statement.shown',
  'pledging.opened',
  'pledging.closed',
  'pledging.follows-deadline',
  'pledging.deadline-set',
  'pledging.deadline-cleared',
  'campaign.made-current',
  'campaign.created',
  'campaign.updated',
  'campaign.published',
  'campaign.closed',
  'campaign.follow-up',
  'campaign.archived',
  'campaign.unarchived',
  'campaign.goal-added',
  'campaign.goal-updated',
  'campaign.goal-deleted',
  'candidates.imported',
  'candidate.invited',
  'candidate.signed',
  'candidate.elected',
  'candidate.unelected',
  // --- reminders ---
  'reminder.scheduled',
  'reminder.unscheduled',
  'reminder.run',
  'account.notifications-changed',
  // --- follow-up after the election ---
  'follow-up.rated',
  'parliament.item-linked',
  'parliament.item-unlinked',
  'parliament.fraction-mapped',
  // --- checks and replies (issue 15) ---
  'pledge.checked',
  'evidence.refetched',
  'reply.added',
  'reply.hidden',
  'reply.shown',
] as const satisfies readonly AuditAction[];

type MissingAction = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
// Fails to compile when an action is added to the type but not to the list.
const everyActionListed: MissingAction extends never ? true : false = true;
void everyActionListed;

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export interface AuditInput {
  action: AuditAction;
  actor: Pick<Actor, 'userId' | 'label'>;
  subject?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
  now?: Date;
}

export async function recordAudit(db: Db, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    actorUserId: entry.actor.userId,
    actorLabel: entry.actor.label,
    subject: entry.subject ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
    at: entry.now ?? new Date(),
  });
}

/** A step a person takes on their own account (its notices, its second factor): they are both who and whom. */
export async function recordOwnAudit(db: Db, user: { id: number; email: string }, entry: Omit<AuditInput, 'actor' | 'subject'>): Promise<void> {
  await recordAudit(db, { ...entry, actor: { userId: user.id, label: user.email }, subject: user.email });
}

/**
 * One line of the log as the admin pages and the CSV export need it: who (with their current
 * name and role when it was an account), what, and what it was about, taken apart so the
 * i18n layer can word it (src/i18n/audit.ts). Nothing here is a sentence.
 */
export interface AuditLogEntry {
  id: number;
  at: Date;
  action: string;
  actor: { userId: number | null; label: string; name: string | null; role: 'admin' | 'rep' | 'candidate' | null };
  subject: string | null;
  /** The party the event is about, by its slug in the subject (or invitation's details). */
  party: { slug: string; name: string | null } | null;
  /** The goal of a pledge event ("party/goal" subjects). */
  goalSlug: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  action?: AuditAction;
  actorUserId?: number;
}

export interface AuditPage {
  entries: AuditLogEntry[];
  /** Where the next page (older) starts: pass as `before`; null on the last page. */
  olderThan: number | null;
  /** Where the previous page (newer) starts: pass as `after`; null on the first page. */
  newerThan: number | null;
}

const PARTY_ACTIONS = new Set(['party.created', 'party.updated', 'party.retired', 'party.reinstated']);
const PLEDGE_ACTIONS = new Set(['pledge.corrected', 'statement.hidden', 'statement.shown', 'pledge.checked', 'evidence.refetched']);

function filterOf({ action, actorUserId }: AuditFilter): SQL[] {
  return [...(action ? [eq(auditLog.action, action)] : []), ...(actorUserId !== undefined ? [eq(auditLog.actorUserId, actorUserId)] : [])];
}

const columns = {
  id: auditLog.id,
  at: auditLog.at,
  action: auditLog.action,
  actorUserId: auditLog.actorUserId,
  actorLabel: auditLog.actorLabel,
  actorName: users.displayName,
  actorRole: users.role,
  subject: auditLog.subject,
  ip: auditLog.ip,
  details: auditLog.details,
};

type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | (K extends 'actorName' | 'actorRole' ? null : never) };

async function describe(db: Db, rows: Row[]): Promise<AuditLogEntry[]> {
  const partyOf = (row: Row): { partySlug: string | null; goalSlug: string | null } => {
    if (PARTY_ACTIONS.has(row.action)) return { partySlug: row.subject, goalSlug: null };
    if (PLEDGE_ACTIONS.has(row.action) && row.subject?.includes('/')) {
      const [partySlug, goalSlug] = row.subject.split('/', 2) as [string, string];
      return { partySlug, goalSlug };
    }
    const fromDetails = (row.details as { party?: unknown } | null)?.party;
    return {
      partySlug: (row.action === 'invite.created' || row.action === 'invite.resent') && typeof fromDetails === 'string' ? fromDetails : null,
      goalSlug: null,
    };
  };
  const about = rows.map(partyOf);
  const slugs = [...new Set(about.flatMap(({ partySlug }) => (partySlug ? [partySlug] : [])))];
  const names = new Map(
    slugs.length === 0
      ? []
      : (await db.select({ slug: parties.slug, name: parties.name }).from(parties).where(inArray(parties.slug, slugs))).map((p) => [p.slug, p.name] as const),
  );
  return rows.map((row, i) => {
    const { partySlug, goalSlug } = about[i]!;
    return {
      id: row.id,
      at: row.at,
      action: row.action,
      actor: { userId: row.actorUserId, label: row.actorLabel, name: row.actorName, role: row.actorRole },
      subject: row.subject,
      party: partySlug ? { slug: partySlug, name: names.get(partySlug) ?? null } : null,
      goalSlug,
      ip: row.ip,
      details: row.details && typeof row.details === 'object' && !Array.isArray(row.details) ? (row.details as Record<string, unknown>) : {},
    };
  });
}

function select(db: Db) {
  return db.select(columns).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorUserId));
}

/**
 * Newest first, a page at a time (keyset on the id: pages stay put while new events arrive).
 * `before`: the page of events older than that id; `after`: the page of events just newer
 * than that id (the "previous" link); neither: the newest page.
 */
export async function listAuditPage(
  db: Db,
  filter: AuditFilter = {},
  { limit = 50, before, after }: { limit?: number; before?: number; after?: number } = {},
): Promise<AuditPage> {
  const where = filterOf(filter);
  let rows: Row[];
  if (after !== undefined && before === undefined) {
    rows = (await select(db)
      .where(and(...where, gt(auditLog.id, after)))
      .orderBy(asc(auditLog.id))
      .limit(limit)) as Row[];
    rows.reverse();
  } else {
    rows = (await select(db)
      .where(and(...where, ...(before !== undefined ? [lt(auditLog.id, before)] : [])))
      .orderBy(desc(auditLog.id))
      .limit(limit)) as Row[];
  }
  const newest = rows[0]?.id;
  const oldest = rows.at(-1)?.id;
  const exists = async (condition: SQL) =>
    (
      await db
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(and(...where, condition))
        .limit(1)
    ).length > 0;
  if (newest === undefined || oldest === undefined) {
    // An empty page (past either end): offer the way back to where events are.
    const edge = after ?? before;
    return {
      entries: [],
      olderThan: after !== undefined && (await exists(lt(auditLog.id, after + 1))) ? after + 1 : null,
      newerThan: before !== undefined && edge !== undefined && (await exists(gt(auditLog.id, edge - 1))) ? edge - 1 : null,
    };
  }
  const [older, newer] = await Promise.all([exists(lt(auditLog.id, oldest)), exists(gt(auditLog.id, newest))]);
  return { entries: await describe(db, rows), olderThan: older ? oldest : null, newerThan: newer ? newest : null };
}

/** Every event of a filter, newest first, for the CSV export (bounded: the log is for people). */
export async function listAuditForExport(db: Db, filter: AuditFilter = {}, { limit = 100_000 } = {}): Promise<AuditLogEntry[]> {
  const rows = (await select(db)
    .where(and(...filterOf(filter)))
    .orderBy(desc(auditLog.id))
    .limit(limit)) as Row[];
  return describe(db, rows);
}

/** The accounts that appear as actors in the log, for the "by whom" filter. */
export async function listAuditActors(db: Db): Promise<{ userId: number; name: string; role: 'admin' | 'rep' | 'candidate' }[]> {
  const rows = await db
    .selectDistinct({ userId: users.id, name: users.displayName, role: users.role })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorUserId))
    .where(isNotNull(auditLog.actorUserId));
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.userId - b.userId);
}
