/**
 * Password resets (valid 24 hours): an admin makes the link for an account, and redeeming it
 * sets a new password, ends every session of the account and, if the admin asked, removes its
 * authenticator key and recovery codes.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { hashPassword } from '../credentials/passwords.ts';
import { deleteRecoveryCodes } from '../credentials/recovery-codes.ts';
import { invalidateUserSessions } from '../credentials/sessions.ts';
import type { Db } from '../db/client.ts';
import { accountLinks, users } from '../db/schema.ts';
import { findLink, insertAccountLink, useUpLink, type LinkWriteOptions, type RedeemOptions, type RedeemResult } from './account-links.ts';
import { recordAudit } from './audit.ts';
import { passwordProblem } from './password-rules.ts';

/** With `clearSecondFactor`, redeeming the link also removes the account's authenticator key. */
export async function createPasswordResetLink(
  db: Db,
  userId: number,
  { actor, ip, now = new Date(), clearSecondFactor = false }: LinkWriteOptions & { clearSecondFactor?: boolean },
): Promise<{ status: 'created'; token: string } | { status: 'unknown-user' }> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).limit(1);
    if (!user) return { status: 'unknown-user' } as const;
    // A new reset link replaces any earlier one that was not used.
    await tx
      .update(accountLinks)
      .set({ revokedAt: now })
      .where(and(eq(accountLinks.userId, userId), eq(accountLinks.purpose, 'password-reset'), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)));
    const { token } = await insertAccountLink(
      tx,
      { purpose: 'password-reset', userId, createdByUserId: actor.userId, clearsSecondFactor: clearSecondFactor },
      now,
    );
    await recordAudit(tx, {
      action: 'password.reset-link.created',
      actor,
      subject: user.email,
      ip,
      now,
      details: clearSecondFactor ? { clearsSecondFactor: true } : {},
    });
    return { status: 'created', token } as const;
  });
}

/** Sets a new password from a reset link and ends every session of the account. */
export async function redeemPasswordReset(
  db: Db,
  token: string,
  password: string,
  { ip, now = new Date(), siteWords }: RedeemOptions = {},
): Promise<RedeemResult> {
  const found = await findLink(db, token, ['password-reset'], now);
  if (!found) return { status: 'link-unusable', reason: 'unknown' };
  if (found.status !== 'open') return { status: 'link-unusable', reason: found.status };
  const problem = passwordProblem(password ?? '', { email: found.userEmail, name: found.userName, siteWords });
  if (problem) return { status: 'invalid', issues: { password: problem } };
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const claimed = await useUpLink(tx, found.link.id, now);
    if (!claimed) return { status: 'link-unusable', reason: 'used' } as const;
    // The second factor goes now, not when the link was made: a key enrolled in between goes too.
    const secondFactor = claimed.clearsSecondFactor ? { totpKey: null, totpLastStep: null } : {};
    const [user] = await tx
      .update(users)
      .set({ passwordHash, ...secondFactor, updatedAt: now })
      .where(eq(users.id, claimed.userId!))
      .returning();
    await invalidateUserSessions(tx, user!.id);
    // The recovery codes stood in for the key: they go with it.
    if (claimed.clearsSecondFactor) await deleteRecoveryCodes(tx, user!.id);
    const self = { userId: user!.id, label: user!.email };
    await recordAudit(tx, { action: 'password.reset', actor: self, subject: user!.email, ip, now });
    if (claimed.clearsSecondFactor) {
      await recordAudit(tx, { action: 'totp.cleared', actor: self, subject: user!.email, ip, now, details: { byResetLinkOf: claimed.createdByUserId } });
    }
    return { status: 'done', user: user! } as const;
  });
}
