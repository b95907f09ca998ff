/**
 * Sessions as in the Lucia guide (lucia-auth.com/sessions): a random token in the cookie, its
 * SHA-256 as the session id, a sliding expiry within an absolute lifetime, a new token once
 * the second factor completes, and deletion on logout, password change or when an admin
 * disables the account.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { generateToken, hashToken } from './tokens.ts';

const DAY = 24 * 60 * 60 * 1000;
/** A session lives 14 days from its last use… */
export const SESSION_LIFETIME_MS = 14 * DAY;
/** …extended (and the cookie re-sent) once it is used with less than 7 days left… */
const SESSION_RENEW_WITHIN_MS = 7 * DAY;
/** …but never past 30 days from its creation: a stolen token cannot be kept alive forever. */
export const SESSION_MAX_AGE_MS = 30 * DAY;

function expiryFrom(createdAt: Date, now: Date): Date {
  return new Date(Math.min(now.getTime() + SESSION_LIFETIME_MS, createdAt.getTime() + SESSION_MAX_AGE_MS));
}

export const SESSION_COOKIE = 'pb_session';

export type Session = typeof sessions.$inferSelect;

export interface SessionValidation {
  session: Session;
  /** The account's row (domain/users.ts calls it User). */
  user: typeof users.$inferSelect;
  /** The expiry moved: the cookie must be sent again with the new date. */
  renewed: boolean;
}

export async function createSession(
  db: Db,
  userId: number,
  { twoFactorVerified = false, now = new Date() }: { twoFactorVerified?: boolean; now?: Date } = {},
): Promise<{ token: string; session: Session }> {
  const token = generateToken();
  const [session] = await db
    .insert(sessions)
    .values({ id: hashToken(token), userId, expiresAt: expiryFrom(now, now), twoFactorVerified, createdAt: now })
    .returning();
  return { token, session: session! };
}

export async function validateSessionToken(db: Db, token: string, now = new Date()): Promise<SessionValidation | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const sessionId = hashToken(token);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sessionId))
    .limit(1);
  if (!row) return null;
  if (now >= row.session.expiresAt || row.user.disabledAt) {
    await db.delete(sessions).where(eq(sessions.id, sessionId));
    return null;
  }
  const expiresAt = expiryFrom(row.session.createdAt, now);
  if (row.session.expiresAt.getTime() - now.getTime() < SESSION_RENEW_WITHIN_MS && expiresAt > row.session.expiresAt) {
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, sessionId));
    return { session: { ...row.session, expiresAt }, user: row.user, renewed: true };
  }
  return { ...row, renewed: false };
}

/**
 * The second factor is done: the session gets a new token (and so a new id), and the token
 * from the password step stops working, so whoever saw it then cannot use the full session.
 * The creation time, and with it the absolute lifetime, stays. Null if the session is gone.
 */
export async function completeSecondFactor(db: Db, sessionId: string): Promise<{ token: string; session: Session } | null> {
  const token = generateToken();
  const [session] = await db
    .update(sessions)
    .set({ id: hashToken(token), twoFactorVerified: true })
    .where(eq(sessions.id, sessionId))
    .returning();
  return session ? { token, session } : null;
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, or every one but `keepSessionId` (the one changing its password). */
export async function invalidateUserSessions(db: Db, userId: number, keepSessionId?: string): Promise<void> {
  await db.delete(sessions).where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId));
}

export interface CookieOptions {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  expires: Date;
}

export function sessionCookieOptions(expiresAt: Date, secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt };
}
