/**
 * Accounts: admins of the campaign and representatives bound to one party. Accounts are made
 * only from a one-time link (new-accounts.ts); here they are found, listed, disabled and
 * re-enabled, and given a new password or two-factor key.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { invalidateUserSessions } from '../credentials/sessions.ts';
import type { Db } from '../db/client.ts';
import { parties, users } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit, recordOwnAudit } from './audit.ts';
import { freeText } from './text.ts';
import { hasReservedWord } from './reserved-names.ts';
import type { Locale } from './campaign.ts';

export type User = typeof users.$inferSelect;

/** Addresses are compared and stored lower-case. */
export const emailSchema = freeText('email.invalid')
  .trim()
  .toLowerCase()
  .max(254, 'email.invalid')
  .pipe(z.email({ error: 'email.invalid' }));

/** Shown in the public history: it may not pose as the campaign (reserved-names.ts). */
export const displayNameSchema = freeText('name.required')
  .trim()
  .min(2, 'name.required')
  .max(80, 'name.tooLong')
  .refine((name) => !hasReservedWord(name), 'name.reserved');

/** What a signed-in request knows about its person. */
export function actorFor(user: User): Actor {
  return {
    userId: user.id,
    name: user.displayName,
    role: user.role,
    partyId: user.partyId,
    candidateId: user.candidateId,
    label: user.email,
  };
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return user;
}

export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

/** Whether someone can run the campaign: an admin who is not disabled. */
export async function hasActiveAdmin(db: Db): Promise<boolean> {
  const [admin] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .limit(1);
  return Boolean(admin);
}

export interface UserListing extends Omit<User, 'passwordHash' | 'totpKey' | 'totpLastStep'> {
  partySlug: string | null;
  partyName: string | null;
  hasTwoFactor: boolean;
}

export async function listUsers(db: Db): Promise<UserListing[]> {
  const rows = await db
    .select({ user: users, partySlug: parties.slug, partyName: parties.name })
    .from(users)
    .leftJoin(parties, eq(parties.id, users.partyId))
    .orderBy(asc(users.role), asc(parties.name), asc(users.displayName));
  return rows.map(({ user: { passwordHash: _p, totpKey, totpLastStep: _s, ...user }, partySlug, partyName }) => ({
    ...user,
    partySlug,
    partyName,
    hasTwoFactor: totpKey !== null,
  }));
}

/** Disabling ends every session at once; the account's history stays. */
export async function setUserDisabled(
  db: Db,
  userId: number,
  disabled: boolean,
  actor: Actor,
  { ip, now = new Date() }: { ip?: string | null; now?: Date } = {},
): Promise<'done' | 'unknown-user' | 'self'> {
  if (actor.userId === userId) return 'self';
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ disabledAt: disabled ? now : null, updatedAt: now })
      .where(eq(users.id, userId))
      .returning();
    if (!user) return 'unknown-user' as const;
    if (disabled) await invalidateUserSessions(tx, userId);
    await recordAudit(tx, { action: disabled ? 'user.disabled' : 'user.enabled', actor, subject: user.email, ip, now });
    return 'done' as const;
  });
}

export async function setPasswordHash(db: Db, userId: number, passwordHash: string, now = new Date()): Promise<void> {
  await db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
}

export async function setTotp(db: Db, userId: number, totpKey: string, acceptedStep: number, now = new Date()): Promise<void> {
  await db.update(users).set({ totpKey, totpLastStep: acceptedStep, updatedAt: now }).where(eq(users.id, userId));
}

/** Remembers the step of an accepted code; refuses (false) if a concurrent request already used it. */
export async function claimTotpStep(db: Db, user: User, step: number): Promise<boolean> {
  const claimed = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, user.id), user.totpLastStep === null ? isNull(users.totpLastStep) : eq(users.totpLastStep, user.totpLastStep)))
    .returning({ id: users.id });
  return claimed.length === 1;
}

// --- reminders ---

export interface MailPreferences {
  /** Mail me when a colleague changes our party's pledge. */
  colleagueChanges: boolean;
  /** Mail me when the campaign corrects our pledge or hides or shows a statement. */
  campaignChanges: boolean;
  /** The language of those mails and of reminders: the page's when the person chose. */
  locale: Locale;
}

/** A representative's choice of notices (account page); audited, like every account change. */
export async function setMailPreferences(
  db: Db,
  user: Pick<User, 'id' | 'email' | 'role'>,
  preferences: MailPreferences,
  { ip, now = new Date() }: { ip?: string | null; now?: Date } = {},
): Promise<'done' | 'not-a-representative'> {
  if (user.role !== 'rep') return 'not-a-representative';
  return db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        notifyColleagueChanges: preferences.colleagueChanges,
        notifyCampaignChanges: preferences.campaignChanges,
        mailLocale: preferences.locale,
        updatedAt: now,
      })
      .where(eq(users.id, user.id));
    await recordOwnAudit(tx, user, {
      action: 'account.notifications-changed',
      ip,
      now,
      details: { colleagueChanges: preferences.colleagueChanges, campaignChanges: preferences.campaignChanges, locale: preferences.locale },
    });
    return 'done' as const;
  });
}
