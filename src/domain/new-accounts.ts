/**
 * Accounts are made only from a one-time link: accepting an invitation (a representative of
 * its party, or a candidate when the invitation names one) or an admin setup link (an admin) creates the account and uses up the link in one
 * transaction.
 */
import { hasSqlState } from '../db/errors.ts';
import { eq } from 'drizzle-orm';
import { hashPassword } from '../credentials/passwords.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { findLink, isFirstStartLink, useUpLink, type RedeemOptions, type RedeemResult } from './account-links.ts';
import { lockFirstAdmin, revokeFirstStartLinks } from './admin-setup-links.ts';
import { recordAudit } from './audit.ts';
import type { FieldIssues } from './field-issues.ts';
import { passwordProblem } from './password-rules.ts';
import { displayNameSchema, emailSchema, hasActiveAdmin } from './users.ts';

/**
 * Accepts an invitation or an admin setup link: creates the account and uses up the link.
 * For an admin setup link without an address, `email` is the person's own.
 */
export async function redeemAccountLink(
  db: Db,
  token: string,
  input: { displayName: string; password: string; email?: string },
  { ip, now = new Date(), siteWords }: RedeemOptions = {},
): Promise<RedeemResult> {
  const found = await findLink(db, token, ['invite', 'admin-setup'], now);
  if (!found) return { status: 'link-unusable', reason: 'unknown' };
  if (found.status !== 'open') return { status: 'link-unusable', reason: found.status };
  const issues: FieldIssues = {};
  const name = displayNameSchema.safeParse(input.displayName);
  if (!name.success) issues.displayName = name.error.issues[0]!.message;
  let email = found.link.email;
  if (!email) {
    const parsed = emailSchema.safeParse(input.email ?? '');
    if (parsed.success) email = parsed.data;
    else issues.email = 'email.invalid';
  }
  const problem = passwordProblem(input.password ?? '', { email, name: input.displayName, siteWords });
  if (problem) issues.password = problem;
  if (Object.keys(issues).length > 0 || !name.success || !email) return { status: 'invalid', issues };

  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const firstStart = isFirstStartLink(found.link);
      if (firstStart) {
        // Checked again here, in turn: an admin may have been made since the link was looked up.
        await lockFirstAdmin(tx);
        if (await hasActiveAdmin(tx)) return { status: 'link-unusable', reason: 'adminExists' } as const;
      }
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
      if (taken) return { status: 'email-taken' } as const;
      // A candidate's invitation: one account per candidate (an earlier invitation may have made it).
      if (found.link.candidateId !== null) {
        const [own] = await tx.select({ id: users.id }).from(users).where(eq(users.candidateId, found.link.candidateId)).limit(1);
        if (own) return { status: 'link-unusable', reason: 'used' } as const;
      }
      const claimed = await useUpLink(tx, found.link.id, now);
      if (!claimed) return { status: 'link-unusable', reason: 'used' } as const;
      const role = claimed.purpose === 'admin-setup' ? 'admin' : claimed.candidateId !== null ? 'candidate' : 'rep';
      const [user] = await tx
        .insert(users)
        .values({
          email,
          displayName: name.data,
          role,
          // Only a representative belongs to a party (users_party_matches_role); a candidate to their list's row.
          partyId: role === 'rep' ? claimed.partyId : null,
          candidateId: role === 'candidate' ? claimed.candidateId : null,
          passwordHash,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await recordAudit(tx, {
        action: 'account.created',
        actor: { userId: user!.id, label: email },
        subject: email,
        ip,
        now,
        details: { role: user!.role, ...(found.partyName ? { party: found.partyName } : {}) },
      });
      if (user!.role === 'admin') await revokeFirstStartLinks(tx, now);
      return { status: 'done', user: user! } as const;
    });
  } catch (error) {
    // Another link for the same address was redeemed at the same moment.
    if (hasSqlState(error, '23505')) return { status: 'email-taken' };
    throw error;
  }
}
