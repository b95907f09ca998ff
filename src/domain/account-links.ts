/**
 * One-time links, whatever they are for: how long each kind lives, its status, finding one by
 * its token, and using it up. A link works once: the module that redeems it uses it up in the
 * same transaction that creates or changes the account, so two clicks cannot both succeed.
 * Admins list and revoke the setup and reset links that are still open here too; each kind is
 * made in its own module (invites.ts, admin-setup-links.ts, password-resets.ts), and accepting
 * an invitation or a setup link is new-accounts.ts.
 */
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { generateToken, hashToken } from '../credentials/tokens.ts';
import type { Db } from '../db/client.ts';
import { accountLinks, campaignParties, parties, users } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import type { FieldIssues } from './field-issues.ts';
import { hasActiveAdmin, type User } from './users.ts';

const HOUR = 60 * 60 * 1000;
const LINK_LIFETIME_MS = {
  invite: 7 * 24 * HOUR,
  'admin-setup': 24 * HOUR,
  'password-reset': 24 * HOUR,
} as const;

export type LinkPurpose = keyof typeof LINK_LIFETIME_MS;
export type AccountLink = typeof accountLinks.$inferSelect;

export type NewAccountLink = Omit<typeof accountLinks.$inferInsert, 'id' | 'tokenHash' | 'createdAt' | 'expiresAt'> & { purpose: LinkPurpose };

/**
 * Stores a new link of any kind, with the lifetime of its kind, and returns its token: shown
 * once to whoever asked, never stored (only its hash is).
 */
export async function insertAccountLink(
  db: Db,
  values: NewAccountLink,
  now: Date,
  /** A shorter life than its kind's, for a link that travels by mail to whoever asked (password-resets.ts). */
  lifetimeMs: number = LINK_LIFETIME_MS[values.purpose],
): Promise<{ token: string; link: AccountLink }> {
  const token = generateToken();
  const [link] = await db
    .insert(accountLinks)
    .values({ ...values, tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + lifetimeMs) })
    .returning();
  return { token, link: link! };
}

export type LinkStatus = 'open' | 'used' | 'revoked' | 'expired';

export function linkStatus(link: Pick<AccountLink, 'usedAt' | 'revokedAt' | 'expiresAt'>, now: Date): LinkStatus {
  if (link.usedAt) return 'used';
  if (link.revokedAt) return 'revoked';
  return link.expiresAt <= now ? 'expired' : 'open';
}

/** Who writes a link (made or revoked), from where and when: for the audit log. */
export interface LinkWriteOptions {
  actor: Actor;
  ip?: string | null;
  now?: Date;
}

/**
 * An addressless setup link is the first start's, printed to the server log for whoever reads
 * it; once an admin runs the campaign, new admins come from them (or the CLI), never from it.
 */
export function isFirstStartLink(link: Pick<AccountLink, 'purpose' | 'email'>): boolean {
  return link.purpose === 'admin-setup' && link.email === null;
}

export interface LinkView {
  link: AccountLink;
  /** "adminExists": a first-start link after an admin was made; it no longer works. */
  status: LinkStatus | 'adminExists';
  partyName: string | null;
  /** For a password reset: whose. */
  userEmail: string | null;
  userName: string | null;
}

/** What a link's page shows before the form is sent: whether it still works, and for whom. */
export async function findLink(db: Db, token: string, purposes: readonly LinkPurpose[], now = new Date()): Promise<LinkView | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const [row] = await db
    // The party as the link's campaign names it (the registry's name for a link without one).
    .select({
      link: accountLinks,
      partyName: sql<string | null>`coalesce(${campaignParties.name}, ${parties.name})`,
      userEmail: users.email,
      userName: users.displayName,
    })
    .from(accountLinks)
    .leftJoin(parties, eq(parties.id, accountLinks.partyId))
    .leftJoin(campaignParties, and(eq(campaignParties.campaignId, accountLinks.campaignId), eq(campaignParties.partyId, accountLinks.partyId)))
    .leftJoin(users, eq(users.id, accountLinks.userId))
    .where(eq(accountLinks.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || !purposes.includes(row.link.purpose)) return null;
  const status = linkStatus(row.link, now);
  if (isFirstStartLink(row.link) && status !== 'used' && (await hasActiveAdmin(db))) return { ...row, status: 'adminExists' };
  return { ...row, status };
}

/** Marks an open link used, atomically: undefined when it was used, revoked or expired meanwhile. */
export async function useUpLink(db: Db, linkId: number, now: Date): Promise<AccountLink | undefined> {
  const [claimed] = await db
    .update(accountLinks)
    .set({ usedAt: now })
    .where(and(eq(accountLinks.id, linkId), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt), gt(accountLinks.expiresAt, now)))
    .returning();
  return claimed;
}

export interface RedeemOptions {
  ip?: string | null;
  now?: Date;
  /** Words of this site (the campaign's name) that a new password must not lean on. */
  siteWords?: readonly string[];
}

export type RedeemResult =
  | { status: 'done'; user: User }
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'link-unusable'; reason: LinkStatus | 'adminExists' | 'unknown' }
  | { status: 'email-taken' };

export interface OpenLinkListing {
  id: number;
  purpose: Exclude<LinkPurpose, 'invite'>;
  /** The address it is for; null for the first start's setup link (whoever holds it). */
  forWhom: string | null;
  /** A reset link that also removes the account's authenticator key when it is used. */
  clearsSecondFactor: boolean;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Setup and reset links that still work, for admins to check and revoke (invitations have
 * their own page). Never their token: only its hash is stored anyway.
 */
export async function listOpenAccountLinks(db: Db, now = new Date()): Promise<OpenLinkListing[]> {
  const rows = await db
    .select({ link: accountLinks, userEmail: users.email })
    .from(accountLinks)
    .leftJoin(users, eq(users.id, accountLinks.userId))
    .where(
      and(
        inArray(accountLinks.purpose, ['admin-setup', 'password-reset']),
        isNull(accountLinks.usedAt),
        isNull(accountLinks.revokedAt),
        gt(accountLinks.expiresAt, now),
      ),
    )
    .orderBy(desc(accountLinks.createdAt));
  return rows.map(({ link, userEmail }) => ({
    id: link.id,
    purpose: link.purpose as OpenLinkListing['purpose'],
    forWhom: link.email ?? userEmail,
    clearsSecondFactor: link.clearsSecondFactor,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
  }));
}

/** Ends an open setup or reset link before it is used. */
export async function revokeAccountLink(db: Db, linkId: number, { actor, ip, now = new Date() }: LinkWriteOptions): Promise<'revoked' | 'not-open'> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(accountLinks)
      .set({ revokedAt: now })
      .where(
        and(
          eq(accountLinks.id, linkId),
          inArray(accountLinks.purpose, ['admin-setup', 'password-reset']),
          isNull(accountLinks.usedAt),
          isNull(accountLinks.revokedAt),
        ),
      )
      .returning();
    if (!revoked) return 'not-open' as const;
    const [owner] = revoked.userId ? await tx.select({ email: users.email }).from(users).where(eq(users.id, revoked.userId)) : [];
    await recordAudit(tx, {
      action: 'account-link.revoked',
      actor,
      subject: revoked.email ?? owner?.email ?? null,
      ip,
      now,
      details: { purpose: revoked.purpose },
    });
    return 'revoked' as const;
  });
}
