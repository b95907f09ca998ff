/**
 * The audit log: every security event (sign-ins, invitations, account and role changes,
 * moderation, opening or closing pledging). Append-only in the database.
 */
import { desc, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';
import type { Actor } from './actors.ts';

/** Every kind of event the log records. */
type AuditAction =
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
  | 'totp.enabled'
  | 'totp.replaced'
  | 'totp.cleared'
  | 'invite.created'
  | 'invite.revoked'
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
  | 'pledging.follows-deadline';

export type AuditEntry = typeof auditLog.$inferSelect;

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

/** Newest first, a page at a time: pass the last id seen as `before`. */
export function listAudit(db: Db, { limit = 100, before }: { limit?: number; before?: number } = {}): Promise<AuditEntry[]> {
  return db
    .select()
    .from(auditLog)
    .where(before ? lt(auditLog.id, before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
