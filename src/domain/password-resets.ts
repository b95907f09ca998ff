/**
 * Password resets: an admin makes the link for an account (valid 24 hours), or its owner asks
 * for one by mail on the sign-in page (valid SELF_SERVICE_RESET_HOURS); redeeming either sets
 * a new password and ends every session of the account. Only an admin's link can also remove
 * the authenticator key and recovery codes: an owner's own request never touches the second factor.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { hashPassword } from '../credentials/passwords.ts';
import { deleteRecoveryCodes } from '../credentials/recovery-codes.ts';
import { generateToken, hashToken } from '../credentials/tokens.ts';
import { invalidateUserSessions } from '../credentials/sessions.ts';
import type { Db } from '../db/client.ts';
import { accountLinks, outbox, users } from '../db/schema.ts';
import { findLink, insertAccountLink, useUpLink, type LinkWriteOptions, type RedeemOptions, type RedeemResult } from './account-links.ts';
import { ANONYMOUS_ACTOR } from './actors.ts';
import { recordAudit } from './audit.ts';
import type { Locale } from './campaign.ts';
import { passwordResetMail } from './mail-texts.ts';
import { enqueueMail, type MailContext } from './outbox.ts';
import { passwordProblem } from './password-rules.ts';
import { findUserByEmail } from './users.ts';

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

/** How long a link asked for on the sign-in page works: it travels by mail, so not long. */
export const SELF_SERVICE_RESET_HOURS = 2;

/** What happened to a request; the person asking is told the same whatever it is. */
export type ResetRequestOutcome = 'mailed' | 'no-account' | 'disabled';

/**
 * "Forgot password": for an enabled account with this address, a reset link and the mail that
 * carries it, in ONE transaction (no link without its mail, no mail without its link). The mail
 * is in the language of the last mail the address got from us (the account's language, as far
 * as we know it), else in `locale` (the page's). An unknown address writes nothing; a disabled
 * account gets no link (the request is audited). `email` is already checked (emailSchema).
 *
 * Every address costs the same work, though (it runs after the answer, but on PGlite it holds
 * the event loop, which a request sent right after could notice): the same lookup, one
 * transaction with the same statements on the same tables in the same order, a token made and
 * a mail written. Where nothing is to be stored, an insert takes no rows (insertNothing).
 */
export async function requestPasswordReset(
  db: Db,
  email: string,
  { locale, ip, now = new Date(), mail }: { locale: Locale; ip?: string | null; now?: Date; mail: MailContext },
): Promise<ResetRequestOutcome> {
  const user = await findUserByEmail(db, email);
  const enabled = user && !user.disabledAt ? user : null;
  const to = user?.email ?? email.trim().toLowerCase();
  await db.transaction(async (tx) => {
    // A new request revokes the account's older open self-service links: only the newest mail
    // works. An admin's link stays: anyone may ask here, and must not be able to undo it.
    // (No account, or a disabled one: no link is revoked; user id 0 matches none.)
    await tx
      .update(accountLinks)
      .set({ revokedAt: now })
      .where(
        and(
          eq(accountLinks.userId, enabled?.id ?? 0),
          eq(accountLinks.purpose, 'password-reset'),
          eq(accountLinks.selfService, true),
          isNull(accountLinks.usedAt),
          isNull(accountLinks.revokedAt),
        ),
      );
    const lifetimeMs = SELF_SERVICE_RESET_HOURS * 60 * 60 * 1000;
    // clearsSecondFactor stays false (a check in the schema holds it): an admin keeps their TOTP.
    const made = enabled
      ? await insertAccountLink(tx, { purpose: 'password-reset', userId: enabled.id, selfService: true }, now, lifetimeMs)
      : { token: await rehearseAccountLink(tx), link: { id: null, expiresAt: new Date(now.getTime() + lifetimeMs) } };
    const [last] = await tx.select({ locale: outbox.locale }).from(outbox).where(eq(outbox.toAddress, to)).orderBy(desc(outbox.id)).limit(1);
    const mailLocale: Locale = last?.locale === 'en' || last?.locale === 'nl' ? last.locale : locale;
    const campaignName = mail.campaignName[mailLocale];
    const content = passwordResetMail(mailLocale, {
      campaignName,
      link: mail.linkTo('password-reset', made.token, mailLocale),
      expiresAt: made.link.expiresAt,
      hasSecondFactor: user?.totpKey != null,
    });
    if (enabled) {
      await enqueueMail(tx, {
        kind: 'password-reset',
        to,
        locale: mailLocale,
        fromName: campaignName,
        content,
        accountLinkId: made.link.id,
        held: !mail.sending,
      });
    } else {
      await insertNothing(tx, 'outbox');
    }
    if (user) {
      const details = enabled ? { mailed: true } : { mailed: false, reason: 'disabled' };
      await recordAudit(tx, { action: 'password.reset-requested', actor: ANONYMOUS_ACTOR, subject: user.email, ip, now, details });
    } else {
      await insertNothing(tx, 'audit_log');
    }
  });
  return enabled ? 'mailed' : user ? 'disabled' : 'no-account';
}

/** What insertAccountLink costs (a token and its hash, an insert), storing nothing. */
async function rehearseAccountLink(tx: Db): Promise<string> {
  const token = generateToken();
  hashToken(token);
  await insertNothing(tx, 'account_links');
  return token;
}

/**
 * An insert into `table` that takes no rows: the statement (and its statement triggers, which
 * find no rows) a request pays for when it stores nothing.
 */
async function insertNothing(tx: Db, table: 'account_links' | 'outbox' | 'audit_log'): Promise<void> {
  await tx.execute(sql`insert into ${sql.identifier(table)} overriding system value select * from ${sql.identifier(table)} where false`);
}
