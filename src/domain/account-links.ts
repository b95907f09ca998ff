/**
 * One-time links: an invitation to represent a party (7 days), an admin's setup link and a
 * password reset (24 hours each). A link works once: redeeming it and creating or changing the
 * account happen in one transaction, so two clicks cannot both succeed. The setup link printed
 * at first start (no address: whoever holds it) dies once there is an admin.
 */
import { and, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import type { Db } from '../db/client.ts';
import { accountLinks, parties, users } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import type { FieldIssues } from './field-issues.ts';
import { displayNameSchema, emailSchema, hasActiveAdmin, type User } from './users.ts';

const HOUR = 60 * 60 * 1000;
export const LINK_LIFETIME_MS = {
  invite: 7 * 24 * HOUR,
  'admin-setup': 24 * HOUR,
  'password-reset': 24 * HOUR,
} as const;

export type LinkPurpose = keyof typeof LINK_LIFETIME_MS;
export type AccountLink = typeof accountLinks.$inferSelect;

/** The path of a link's page; the caller puts the site's address in front. */
export function linkPath(purpose: LinkPurpose, token: string): string {
  return purpose === 'password-reset' ? `/wachtwoord-herstellen/${token}` : `/uitnodiging/${token}`;
}

export type LinkStatus = 'open' | 'used' | 'revoked' | 'expired';

export function linkStatus(link: Pick<AccountLink, 'usedAt' | 'revokedAt' | 'expiresAt'>, now: Date): LinkStatus {
  if (link.usedAt) return 'used';
  if (link.revokedAt) return 'revoked';
  return link.expiresAt <= now ? 'expired' : 'open';
}

interface CreateOptions {
  actor: Actor;
  ip?: string | null;
  now?: Date;
}

export type CreateInviteResult =
  | { status: 'created'; token: string; link: AccountLink }
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'unknown-party' }
  | { status: 'email-taken' };

export async function createInvite(
  db: Db,
  input: { partySlug: string; email: string },
  { actor, ip, now = new Date() }: CreateOptions,
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
    const token = generateToken();
    const [link] = await tx
      .insert(accountLinks)
      .values({
        tokenHash: hashToken(token),
        purpose: 'invite',
        email: email.data,
        partyId: party.id,
        createdByUserId: actor.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS.invite),
      })
      .returning();
    await recordAudit(tx, { action: 'invite.created', actor, subject: email.data, ip, now, details: { party: party.slug } });
    return { status: 'created', token, link: link! } as const;
  });
}

/** How long an earlier open setup link stays valid after a newer one is printed. */
const OPEN_SETUP_LINK_OVERLAP_MS = 15 * 60 * 1000;

/** The first admin's link. `email` may be left open: the person then gives their own. */
export async function createAdminSetupLink(
  db: Db,
  input: { email?: string | null },
  { actor, ip, now = new Date() }: CreateOptions,
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
    const token = generateToken();
    await tx.insert(accountLinks).values({
      tokenHash: hashToken(token),
      purpose: 'admin-setup',
      email,
      createdByUserId: actor.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS['admin-setup']),
    });
    await recordAudit(tx, { action: 'admin-setup.created', actor, subject: email, ip, now });
    return { status: 'created', token } as const;
  });
}

/** With `clearSecondFactor`, redeeming the link also removes the account's authenticator key. */
export async function createPasswordResetLink(
  db: Db,
  userId: number,
  { actor, ip, now = new Date(), clearSecondFactor = false }: CreateOptions & { clearSecondFactor?: boolean },
): Promise<{ status: 'created'; token: string } | { status: 'unknown-user' }> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).limit(1);
    if (!user) return { status: 'unknown-user' } as const;
    // A new reset link replaces any earlier one that was not used.
    await tx
      .update(accountLinks)
      .set({ revokedAt: now })
      .where(and(eq(accountLinks.userId, userId), eq(accountLinks.purpose, 'password-reset'), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)));
    const token = generateToken();
    await tx.insert(accountLinks).values({
      tokenHash: hashToken(token),
      purpose: 'password-reset',
      userId,
      createdByUserId: actor.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS['password-reset']),
      clearsSecondFactor: clearSecondFactor,
    });
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

/**
 * An addressless setup link is the first start's, printed to the server log for whoever reads
 * it; once an admin runs the campaign, new admins come from them (or the CLI), never from it.
 */
function isFirstStartLink(link: Pick<AccountLink, 'purpose' | 'email'>): boolean {
  return link.purpose === 'admin-setup' && link.email === null;
}

/** Takes turns among first-start redemptions: two at once must not both find no admin yet. */
async function lockFirstAdmin(db: Db): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended('first-admin', 0))`);
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
    .select({ link: accountLinks, partyName: parties.name, userEmail: users.email, userName: users.displayName })
    .from(accountLinks)
    .leftJoin(parties, eq(parties.id, accountLinks.partyId))
    .leftJoin(users, eq(users.id, accountLinks.userId))
    .where(eq(accountLinks.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || !purposes.includes(row.link.purpose)) return null;
  const status = linkStatus(row.link, now);
  if (isFirstStartLink(row.link) && status !== 'used' && (await hasActiveAdmin(db))) return { ...row, status: 'adminExists' };
  return { ...row, status };
}

/** Marks an open link used, atomically: undefined when it was used, revoked or expired meanwhile. */
async function useUpLink(db: Db, linkId: number, now: Date): Promise<AccountLink | undefined> {
  const [claimed] = await db
    .update(accountLinks)
    .set({ usedAt: now })
    .where(and(eq(accountLinks.id, linkId), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt), gt(accountLinks.expiresAt, now)))
    .returning();
  return claimed;
}

interface RedeemOptions {
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
      const claimed = await useUpLink(tx, found.link.id, now);
      if (!claimed) return { status: 'link-unusable', reason: 'used' } as const;
      const [user] = await tx
        .insert(users)
        .values({
          email,
          displayName: name.data,
          role: claimed.purpose === 'invite' ? 'rep' : 'admin',
          partyId: claimed.partyId,
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
    if (isUniqueViolation(error)) return { status: 'email-taken' };
    throw error;
  }
}

/** There is an admin now: the first start's links in old logs must not spring back to life. */
async function revokeFirstStartLinks(db: Db, now: Date): Promise<void> {
  await db
    .update(accountLinks)
    .set({ revokedAt: now })
    .where(and(eq(accountLinks.purpose, 'admin-setup'), isNull(accountLinks.email), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)));
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return true;
  }
  return false;
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
    const self = { userId: user!.id, label: user!.email };
    await recordAudit(tx, { action: 'password.reset', actor: self, subject: user!.email, ip, now });
    if (claimed.clearsSecondFactor) {
      await recordAudit(tx, { action: 'totp.cleared', actor: self, subject: user!.email, ip, now, details: { byResetLinkOf: claimed.createdByUserId } });
    }
    return { status: 'done', user: user! } as const;
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

export async function revokeInvite(
  db: Db,
  inviteId: number,
  { actor, ip, now = new Date() }: CreateOptions,
): Promise<'revoked' | 'not-open'> {
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
    .where(and(inArray(accountLinks.purpose, ['admin-setup', 'password-reset']), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt), gt(accountLinks.expiresAt, now)))
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
export async function revokeAccountLink(
  db: Db,
  linkId: number,
  { actor, ip, now = new Date() }: CreateOptions,
): Promise<'revoked' | 'not-open'> {
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
