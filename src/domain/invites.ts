/**
 * Invitations to represent a party (valid 7 days): made by an admin or the CLI for an address
 * that has no account yet, one or many at once, mailed in the same transaction (outbox.ts),
 * listed, sent again and revoked on the admin pages. Accepting one is new-accounts.ts.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { accountLinks, campaignParties, outbox, parties, users } from '../db/schema.ts';
import { insertAccountLink, linkStatus, type AccountLink, type LinkStatus, type LinkWriteOptions } from './account-links.ts';
import { recordAudit } from './audit.ts';
import { DEFAULT_LOCALE, type Locale } from './campaign.ts';
import type { FieldIssues } from './field-issues.ts';
import { inviteMail } from './mail-texts.ts';
import { enqueueMail, type MailContext, type MailStatus } from './outbox.ts';
import { findActivePartyBySlug, findPartyById } from './parties.ts';
import { emailSchema } from './users.ts';

/** Who writes an invitation, and (when given) how to mail it: without `mail`, none is queued (tests, seeds). */
export interface InviteWriteOptions extends LinkWriteOptions {
  mail?: MailContext;
}

export type CreateInviteResult =
  | { status: 'created'; token: string; link: AccountLink }
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'unknown-party' }
  | { status: 'email-taken' };

/** At most this many addresses in one go (a textarea of a whole party list is fine; a dump is not). */
export const MAX_INVITES_AT_ONCE = 50;

/** Why one line of a list of addresses cannot be invited: a message key (src/i18n/ui.ts). */
export type InviteLineProblem = 'email.invalid' | 'link.emailTaken' | 'invite.duplicateLine';

export type CreateInvitesResult =
  | { status: 'created'; invites: { token: string; link: AccountLink }[] }
  /** Every bad line (1-based, as the person sees the list); nothing was written. */
  | { status: 'invalid-lines'; lines: { line: number; problem: InviteLineProblem }[] }
  | { status: 'none' }
  | { status: 'too-many'; max: number }
  | { status: 'unknown-party' };

/** Splits a textarea into its addresses, keeping each one's line number; blank lines are skipped. */
export function addressLines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ line: index + 1, text: line.trim() }))
    .filter(({ text: address }) => address !== '');
}

/**
 * The checks a list of addresses passes before the database is asked: each line an address,
 * none twice. Returns the problems by line and the addresses (normalised) that passed.
 */
export function checkAddressLines(lines: { line: number; text: string }[]): {
  problems: { line: number; problem: InviteLineProblem }[];
  addresses: string[];
} {
  const problems: { line: number; problem: InviteLineProblem }[] = [];
  const seen = new Set<string>();
  const addresses: string[] = [];
  for (const { line, text } of lines) {
    const email = emailSchema.safeParse(text);
    if (!email.success) problems.push({ line, problem: 'email.invalid' });
    else if (seen.has(email.data)) problems.push({ line, problem: 'invite.duplicateLine' });
    else {
      seen.add(email.data);
      addresses.push(email.data);
    }
  }
  return { problems, addresses };
}

/**
 * Invites one address to represent a party, and queues the invitation mail in the same
 * transaction (when `mail` is given). The token comes back once, for the admin to copy.
 */
export async function createInvite(
  db: Db,
  input: { campaignId: number; partySlug: string; email: string; locale?: Locale },
  options: InviteWriteOptions,
): Promise<CreateInviteResult> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) return { status: 'invalid', issues: { email: 'email.invalid' } };
  const result = await createInvites(
    db,
    { campaignId: input.campaignId, partySlug: input.partySlug, emails: [{ line: 1, text: email.data }], locale: input.locale },
    options,
  );
  switch (result.status) {
    case 'created':
      return { status: 'created', ...result.invites[0]! };
    case 'unknown-party':
      return result;
    case 'invalid-lines':
      return result.lines[0]?.problem === 'link.emailTaken' ? { status: 'email-taken' } : { status: 'invalid', issues: { email: 'email.invalid' } };
    default:
      return { status: 'invalid', issues: { email: 'email.invalid' } };
  }
}

/**
 * Invites several addresses to represent one party, all or nothing: when any line is bad
 * (not an address, an address with an account, the same address twice) every bad line is
 * reported and nothing is written. Each invitation is mailed in the same transaction.
 */
export async function createInvites(
  db: Db,
  /** `campaignId`: the campaign that asks (its public record of who was asked). */
  input: { campaignId: number; partySlug: string; emails: { line: number; text: string }[]; locale?: Locale },
  { actor, ip, now = new Date(), mail }: InviteWriteOptions,
): Promise<CreateInvitesResult> {
  if (input.emails.length === 0) return { status: 'none' };
  if (input.emails.length > MAX_INVITES_AT_ONCE) return { status: 'too-many', max: MAX_INVITES_AT_ONCE };
  const locale = input.locale ?? DEFAULT_LOCALE;
  const { problems, addresses } = checkAddressLines(input.emails);
  return db.transaction(async (tx) => {
    const party = await findActivePartyBySlug(tx, input.campaignId, input.partySlug);
    if (!party) return { status: 'unknown-party' } as const;
    if (addresses.length > 0) {
      const taken = new Set((await tx.select({ email: users.email }).from(users).where(inArray(users.email, addresses))).map((u) => u.email));
      for (const { line, text } of input.emails) {
        const email = emailSchema.safeParse(text);
        if (email.success && taken.has(email.data) && !problems.some((p) => p.line === line)) problems.push({ line, problem: 'link.emailTaken' });
      }
    }
    if (problems.length > 0) return { status: 'invalid-lines', lines: problems.sort((a, b) => a.line - b.line) } as const;
    const invites: { token: string; link: AccountLink }[] = [];
    for (const email of addresses) {
      const made = await insertAccountLink(
        tx,
        { purpose: 'invite', email, partyId: party.id, campaignId: input.campaignId, createdByUserId: actor.userId },
        now,
      );
      if (mail) await queueInviteMail(tx, made, { partyName: party.name, locale, mail });
      await recordAudit(tx, { action: 'invite.created', actor, subject: email, ip, now, details: { party: party.slug, mailed: Boolean(mail) } });
      invites.push(made);
    }
    return { status: 'created', invites } as const;
  });
}

async function queueInviteMail(
  tx: Db,
  { token, link }: { token: string; link: AccountLink },
  { partyName, locale, mail }: { partyName: string; locale: Locale; mail: MailContext },
): Promise<void> {
  const campaignName = mail.campaignName[locale];
  await enqueueMail(tx, {
    kind: 'invite',
    to: link.email!,
    locale,
    fromName: campaignName,
    content: inviteMail(locale, { campaignName, partyName, link: mail.linkTo('invite', token, locale), expiresAt: link.expiresAt }),
    partyId: link.partyId,
    campaignId: link.campaignId,
    accountLinkId: link.id,
    held: !mail.sending,
  });
}

export type ResendInviteResult =
  | { status: 'resent'; token: string; link: AccountLink; locale: Locale }
  /** Used or revoked: there is nothing to send again. */
  | { status: 'not-open' }
  | { status: 'unknown-party' }
  | { status: 'email-taken' };

/**
 * An unused, unrevoked invitation of a representative in this campaign (the campaign of the page
 * asking). A candidate's invitation is sent again or withdrawn from the party's candidate list
 * (candidate-invites.ts), never as a representative's.
 */
function openRepresentativeInvite(campaignId: number, inviteId: number) {
  return and(
    eq(accountLinks.id, inviteId),
    eq(accountLinks.campaignId, campaignId),
    eq(accountLinks.purpose, 'invite'),
    isNull(accountLinks.candidateId),
    isNull(accountLinks.usedAt),
    isNull(accountLinks.revokedAt),
  );
}

/**
 * Sends an invitation again, for an invitation that is open or has expired unused. Only the
 * link's hash is stored, so the old link cannot be mailed again: a fresh link replaces it
 * (the old one is revoked, so only the newest mail works), valid for 7 days from now, in the
 * language of the last mail (Dutch when none was sent). Audited as invite.resent.
 */
export async function resendInvite(
  db: Db,
  /** The campaign of the page it is asked from: another campaign's invitation is not open here. */
  campaignId: number,
  inviteId: number,
  { actor, ip, now = new Date(), mail }: InviteWriteOptions & { mail: MailContext },
): Promise<ResendInviteResult> {
  return db.transaction(async (tx) => {
    const [old] = await tx.select().from(accountLinks).where(openRepresentativeInvite(campaignId, inviteId)).for('update');
    if (!old || !old.email || old.partyId === null) return { status: 'not-open' } as const;
    const party = old.campaignId === null ? undefined : await findPartyById(tx, old.campaignId, old.partyId);
    if (!party || party.retiredAt) return { status: 'unknown-party' } as const;
    const [account] = await tx.select({ id: users.id }).from(users).where(eq(users.email, old.email)).limit(1);
    if (account) return { status: 'email-taken' } as const;
    await tx.update(accountLinks).set({ revokedAt: now }).where(eq(accountLinks.id, old.id));
    const [lastMail] = await tx.select({ locale: outbox.locale }).from(outbox).where(eq(outbox.accountLinkId, old.id)).orderBy(desc(outbox.id)).limit(1);
    const locale: Locale = lastMail?.locale === 'en' ? 'en' : DEFAULT_LOCALE;
    const made = await insertAccountLink(
      tx,
      { purpose: 'invite', email: old.email, partyId: party.id, campaignId: old.campaignId, createdByUserId: actor.userId },
      now,
    );
    await queueInviteMail(tx, made, { partyName: party.name, locale, mail });
    await recordAudit(tx, { action: 'invite.resent', actor, subject: old.email, ip, now, details: { party: party.slug, replaces: old.id } });
    return { status: 'resent', ...made, locale } as const;
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
  /** Where the invitation's latest mail is; null when none was queued (made without mail). */
  mailStatus: MailStatus | null;
}

/** A campaign's invitations of representatives, newest first (one made before campaigns counts for the first, 0018). */
export async function listInvites(db: Db, campaignId: number, now = new Date()): Promise<InviteListing[]> {
  const rows = await db
    .select({ link: accountLinks, partyName: campaignParties.name, partySlug: parties.slug })
    .from(accountLinks)
    .innerJoin(parties, eq(parties.id, accountLinks.partyId))
    .innerJoin(campaignParties, and(eq(campaignParties.campaignId, accountLinks.campaignId), eq(campaignParties.partyId, accountLinks.partyId)))
    // Representatives' invitations; candidates' show on their party's candidate list.
    .where(and(eq(accountLinks.purpose, 'invite'), eq(accountLinks.campaignId, campaignId), isNull(accountLinks.candidateId)))
    .orderBy(desc(accountLinks.createdAt));
  const ids = rows.map(({ link }) => link.id);
  const mails =
    ids.length === 0
      ? []
      : await db.select({ linkId: outbox.accountLinkId, status: outbox.status }).from(outbox).where(inArray(outbox.accountLinkId, ids)).orderBy(outbox.id);
  // Ordered by id: the latest mail of each link wins.
  const mailStatus = new Map(mails.map((m) => [m.linkId, m.status]));
  return rows.map(({ link, partyName, partySlug }) => ({
    id: link.id,
    email: link.email ?? '',
    partyName,
    partySlug,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    status: linkStatus(link, now),
    mailStatus: mailStatus.get(link.id) ?? null,
  }));
}

/** `campaignId`: the campaign of the page it is asked from (as resendInvite). */
export async function revokeInvite(
  db: Db,
  campaignId: number,
  inviteId: number,
  { actor, ip, now = new Date() }: LinkWriteOptions,
): Promise<'revoked' | 'not-open'> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx.update(accountLinks).set({ revokedAt: now }).where(openRepresentativeInvite(campaignId, inviteId)).returning();
    if (!revoked) return 'not-open' as const;
    await recordAudit(tx, { action: 'invite.revoked', actor, subject: revoked.email, ip, now });
    return 'revoked' as const;
  });
}
