/**
 * A signed-in person changes their password: the current one must be right (and is
 * rate-limited like a sign-in), the new one must pass the rules, and every other session of
 * the account ends, so a stolen session does not outlive the change.
 */
import type { Db } from '../db/client.ts';
import { recordAudit } from '../domain/audit.ts';
import { hashPassword, verifyPassword } from '../credentials/passwords.ts';
import { invalidateUserSessions, type Session } from '../credentials/sessions.ts';
import type { FieldIssues } from '../domain/field-issues.ts';
import { passwordProblem } from '../domain/password-rules.ts';
import { setPasswordHash, type User } from '../domain/users.ts';
import { claimAttempt, settleAttempt } from './rate-limit.ts';

export type ChangePasswordResult = 'changed' | 'blocked' | { issues: FieldIssues };

export async function changePassword(
  db: Db,
  {
    user,
    session,
    current,
    next,
    ip,
    now = new Date(),
    siteWords,
    deviceToken,
  }: {
    user: User;
    session: Session;
    current: string;
    next: string;
    ip: string;
    now?: Date;
    siteWords?: readonly string[];
    /** The device cookie: the owner's browser keeps its own budget (rate-limit.ts). */
    deviceToken?: string;
  },
): Promise<ChangePasswordResult> {
  const key = { kind: 'password' as const, email: user.email, ip };
  const claim = await claimAttempt(db, key, { deviceToken, now });
  if (claim.refused) return 'blocked';
  const correct = await verifyPassword(user.passwordHash, current);
  await settleAttempt(db, claim, correct, now);
  if (!correct) return { issues: { currentPassword: 'password.wrongCurrent' } };
  const problem = passwordProblem(next, { email: user.email, name: user.displayName, siteWords });
  if (problem) return { issues: { newPassword: problem } };
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash, now);
    await invalidateUserSessions(tx, user.id, session.id);
    await recordAudit(tx, { action: 'password.changed', actor: { userId: user.id, label: user.email }, subject: user.email, ip, now });
  });
  return 'changed';
}
