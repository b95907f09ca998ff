/**
 * Sessions as in the Lucia guide (lucia-auth.com/sessions): a random token in the cookie, its
 * SHA-256 as the session id, a sliding expiry, and deletion on logout, password change or
 * when an admin disables the account.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { generateToken, hashToken } from './tokens.ts';

const DAY = 24 * 60 * 60 * 1000;
/** A session lives 30 days from its last use… */
export const SESSION_LIFETIME_MS = 30 * DAY;
/** …extended (and the cookie re-sent) once it is used with less than 15 days left. */
export const SESSION_RENEW_WITHIN_MS = 15 * DAY;

export const SESSION_COOKIE = 'pb_session';

export type Session = typeof sessions.$inferSelect;
export type User = typeof users.$inferSelect;

export interface SessionValidation {
  session: Session;
  user: User;
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
    .values({ id: hashToken(token), userId, expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS), twoFactorVerified, createdAt: now })
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
  if (row.session.expiresAt.getTime() - now.getTime() < SESSION_RENEW_WITHIN_MS) {
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, sessionId));
    return { session: { ...row.session, expiresAt }, user: row.user, renewed: true };
  }
  return { ...row, renewed: false };
}

export async function markSessionTwoFactorVerified(db: Db, sessionId: string): Promise<void> {
  await db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, sessionId));
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, or every one but `keepSessionId` (the one changing its password). */
export async function invalidateUserSessions(db: Db, userId: number, keepSessionId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId));
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
