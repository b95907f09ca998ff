/**
 * Sign-in limits, kept in the database so they hold across instances. Within 15 minutes an
 * address gets 5 wrong passwords; the 6th attempt is refused without checking the password.
 * The address counts whether or not an account has it, so the limit reveals nothing. One IP
 * address gets 30 failures over all addresses. TOTP codes have the same limits.
 */
import { and, count, eq, gt, lt, max } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginAttempts } from '../db/schema.ts';

export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;

type Kind = (typeof loginAttempts.$inferInsert)['kind'];

export interface AttemptKey {
  kind: Kind;
  email: string;
  ip: string;
}

/** True when this sign-in step must be refused without looking at the password or code. */
export async function isAttemptBlocked(db: Db, key: AttemptKey, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS);
  // Failures before the address's last success do not count against it.
  const [lastSuccess] = await db
    .select({ at: max(loginAttempts.at) })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.kind, key.kind), eq(loginAttempts.email, key.email), eq(loginAttempts.succeeded, true), gt(loginAttempts.at, since)));
  const accountSince = lastSuccess?.at && lastSuccess.at > since ? lastSuccess.at : since;
  const [forAccount] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.kind, key.kind), eq(loginAttempts.email, key.email), eq(loginAttempts.succeeded, false), gt(loginAttempts.at, accountSince)));
  if (forAccount!.n >= MAX_FAILURES_PER_ACCOUNT) return true;
  const [forIp] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.kind, key.kind), eq(loginAttempts.ip, key.ip), eq(loginAttempts.succeeded, false), gt(loginAttempts.at, since)));
  return forIp!.n >= MAX_FAILURES_PER_IP;
}

export async function recordAttempt(db: Db, key: AttemptKey, succeeded: boolean, now = new Date()): Promise<void> {
  await db.insert(loginAttempts).values({ ...key, succeeded, at: now });
}

/** Attempts older than the window only take up space. */
export async function pruneAttempts(db: Db, now = new Date()): Promise<void> {
  await db.delete(loginAttempts).where(lt(loginAttempts.at, new Date(now.getTime() - 2 * ATTEMPT_WINDOW_MS)));
}
