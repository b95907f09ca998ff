/**
 * Sign-in limits, kept in the database so they hold across instances. Within 15 minutes an
 * address gets 5 wrong passwords; the 6th attempt is refused without checking the password.
 * The address counts whether or not an account has it, so the limit reveals nothing. One IP
 * address gets 30 failures over all addresses. TOTP codes have the same limits.
 */
import { and, count, eq, gt, lt, max, sql } from 'drizzle-orm';
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
async function isAttemptBlocked(db: Db, key: AttemptKey, now = new Date()): Promise<boolean> {
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

/**
 * Takes one attempt for this key, or returns null when the step must be refused. The attempt
 * is counted as a failure until `settleAttempt` says it succeeded. Attempts for one address
 * (and one IP) queue on a transaction lock here, so that a burst of parallel guesses, even
 * across instances, cannot all pass the check before any of them is counted.
 */
export async function claimAttempt(db: Db, key: AttemptKey, now = new Date()): Promise<number | null> {
  return db.transaction(async (tx) => {
    // Always the address first, then the IP: one order, so two claims never wait on each other.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${key.kind}:email:${key.email}`}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${key.kind}:ip:${key.ip}`}, 0))`);
    if (await isAttemptBlocked(tx, key, now)) return null;
    const [claimed] = await tx.insert(loginAttempts).values({ ...key, succeeded: false, at: now }).returning({ id: loginAttempts.id });
    return claimed!.id;
  });
}

/** Records how a claimed attempt ended: only a success changes what was counted. */
export async function settleAttempt(db: Db, attemptId: number, succeeded: boolean): Promise<void> {
  if (succeeded) await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}

/** Attempts older than the window only take up space. */
export async function pruneAttempts(db: Db, now = new Date()): Promise<void> {
  await db.delete(loginAttempts).where(lt(loginAttempts.at, new Date(now.getTime() - 2 * ATTEMPT_WINDOW_MS)));
}
