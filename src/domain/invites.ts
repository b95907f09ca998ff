/**
 * Invitations to represent a party (valid 7 days): made by an admin or the CLI for an address
 * that has no account yet, listed and revoked on the admin pages. Accepting one is
 * new-accounts.ts.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { accountLinks, parties, users } from '../db/schema.ts';
import { insertAccountLink, linkStatus, type AccountLink, type LinkStatus, type LinkWriteOptions } from './account-links.ts';
import { recordAudit } from './audit.ts';
import type { FieldIssues } from './field-issues.ts';
import { emailSchema } from './users.ts';

export type CreateInviteResult =
  | { status: 'created'; token: string; link: AccountLink }
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'unknown-party' }
  | { status: 'email-taken' };

export async function createInvite(
  db: Db,
  input: { partySlug: string; email: string },
  { actor, ip, now = new Date() }: LinkWriteOptions,
): Promise<CreateInviteResult> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) return { status: 'invalid', issues: { email: 'email.invalid' } };
  return db.transaction(async (tx) => {
    const [party] = await tx
      .select({ id: parties.id, slug: parties.slug, retiredAt: parties.retiredAt })
      .from(parties)
      .where(eq(parties.slug, input.partySlug))
      .limit(1);
    if (!party || party.retiredAt) return { status: 'unknown-party' } as const;
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email.data)).limit(1);
    if (existing) return { status: 'email-taken' } as const;
    const { token, link } = await insertAccountLink(tx, { purpose: 'invite', email: email.data, partyId: party.id, createdByUserId: actor.userId }, now);
    await recordAudit(tx, { action: 'invite.created', actor, subject: email.data, ip, now, details: { party: party.slug } });
    return { status: 'created', token, link } as const;
  });
}

export interface InviteListing {
  id: number;
  email: string;
  partyName: string;
  partySlug: string;
  createdAt: Date;
  expiresAt: Date;
  status: LinkStatus;
}

export async function listInvites(db: Db, now = new Date()): Promise<InviteListing[]> {
  const rows = await db
    .select({ link: accountLinks, partyName: parties.name, partySlug: parties.slug })
    .from(accountLinks)
    .innerJoin(parties, eq(parties.id, accountLinks.partyId))
    .where(eq(accountLinks.purpose, 'invite'))
    .orderBy(desc(accountLinks.createdAt));
  return rows.map(({ link, partyName, partySlug }) => ({
    id: link.id,
    email: link.email ?? '',
    partyName,
    partySlug,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    status: linkStatus(link, now),
  }));
}

export async function revokeInvite(db: Db, inviteId: number, { actor, ip, now = new Date() }: LinkWriteOptions): Promise<'revoked' | 'not-open'> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(accountLinks)
      .set({ revokedAt: now })
      .where(and(eq(accountLinks.id, inviteId), eq(accountLinks.purpose, 'invite'), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)))
      .returning();
    if (!revoked) return 'not-open' as const;
    await recordAudit(tx, { action: 'invite.revoked', actor, subject: revoked.email, ip, now });
    return 'revoked' as const;
  });
}
