/**
 * Links to set up an admin account (valid 24 hours), for a given address or, printed at first
 * start, for whoever holds it; that addressless kind dies once there is an admin. Accepting
 * one is new-accounts.ts.
 */
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { accountLinks, users } from '../db/schema.ts';
import { insertAccountLink, type LinkWriteOptions } from './account-links.ts';
import { recordAudit } from './audit.ts';
import type { FieldIssues } from './field-issues.ts';
import { emailSchema } from './users.ts';

/** How long an earlier open setup link stays valid after a newer one is printed. */
const OPEN_SETUP_LINK_OVERLAP_MS = 15 * 60 * 1000;

/** The first admin's link. `email` may be left open: the person then gives their own. */
export async function createAdminSetupLink(
  db: Db,
  input: { email?: string | null },
  { actor, ip, now = new Date() }: LinkWriteOptions,
): Promise<{ status: 'created'; token: string } | { status: 'invalid'; issues: FieldIssues } | { status: 'email-taken' }> {
  let email: string | null = null;
  if (input.email) {
    const parsed = emailSchema.safeParse(input.email);
    if (!parsed.success) return { status: 'invalid', issues: { email: 'email.invalid' } };
    email = parsed.data;
  }
  return db.transaction(async (tx) => {
    if (email) {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
      if (existing) return { status: 'email-taken' } as const;
    } else {
      // An open link (printed at each start while there is no admin): restarts must not leave
      // a trail of live links in old logs, so a new one ends those older than a few minutes.
      // A recent one stays valid: with several instances starting at once, each prints one.
      await tx
        .update(accountLinks)
        .set({ revokedAt: now })
        .where(
          and(
            eq(accountLinks.purpose, 'admin-setup'),
            isNull(accountLinks.email),
            isNull(accountLinks.usedAt),
            isNull(accountLinks.revokedAt),
            lt(accountLinks.createdAt, new Date(now.getTime() - OPEN_SETUP_LINK_OVERLAP_MS)),
          ),
        );
    }
    const { token } = await insertAccountLink(tx, { purpose: 'admin-setup', email, createdByUserId: actor.userId }, now);
    await recordAudit(tx, { action: 'admin-setup.created', actor, subject: email, ip, now });
    return { status: 'created', token } as const;
  });
}

/** Takes turns among first-start redemptions: two at once must not both find no admin yet. */
export async function lockFirstAdmin(db: Db): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended('first-admin', 0))`);
}

/** There is an admin now: the first start's links in old logs must not spring back to life. */
export async function revokeFirstStartLinks(db: Db, now: Date): Promise<void> {
  await db
    .update(accountLinks)
    .set({ revokedAt: now })
    .where(and(eq(accountLinks.purpose, 'admin-setup'), isNull(accountLinks.email), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)));
}
