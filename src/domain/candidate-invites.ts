/**
 * Inviting a candidate to sign the campaign's goals in person: an admin may invite any
 * candidate of a campaign, a representative only the candidates on their own party's list.
 * The invitation is an account link like a representative's (purpose 'invite', party_id the
 * candidate's party) with candidate_id set; accepting it (new-accounts.ts) makes an account
 * with the role 'candidate' that signs for that candidate only. Mailed in the same
 * transaction, in the language asked for. A new invitation replaces the candidate's open one.
 */
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { accountLinks, campaignParties, campaigns, candidates, parties, users } from '../db/schema.ts';
import { insertAccountLink, type AccountLink, type LinkWriteOptions } from './account-links.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import { DEFAULT_LOCALE, type Locale } from './campaign.ts';
import { candidateName } from './candidates.ts';
import { candidateInviteMail } from './mail-texts.ts';
import { enqueueMail, type MailContext } from './outbox.ts';
import { emailSchema } from './users.ts';

export interface CandidateInviteOptions extends LinkWriteOptions {
  /** Without it no mail is queued (tests, seeds). */
  mail?: MailContext;
}

export type CandidateInviteResult =
  | { status: 'created'; token: string; link: AccountLink }
  | { status: 'invalid'; issues: { email: 'email.invalid' | 'link.emailTaken' } }
  /** Not an admin, nor a representative of the candidate's party. */
  | { status: 'forbidden' }
  | { status: 'unknown-candidate' }
  | { status: 'withdrawn' }
  /** The candidate signs in with their own account already. */
  | { status: 'has-account' }
  /** The campaign is archived: read-only for everyone. */
  | { status: 'archived' };

/** Who may invite a candidate of this party: an admin (or the command line), or a representative of that party. */
function mayInviteCandidate(actor: Actor, candidatePartyId: number): boolean {
  if (actor.role === 'admin' || actor.role === 'system') return true;
  return actor.role === 'rep' && actor.partyId !== null && actor.partyId === candidatePartyId;
}

/**
 * Invites one candidate (by id) at one address. The token comes back once (for whoever asked to
 * copy); the mail carries it too when `mail` is given. Audited as candidate.invited.
 */
export async function inviteCandidate(
  db: Db,
  /** `campaignId`: the campaign of the page it is asked from; a candidate of another is unknown here. */
  input: { campaignId: number; candidateId: number; email: string; locale?: Locale },
  { actor, ip, now = new Date(), mail }: CandidateInviteOptions,
): Promise<CandidateInviteResult> {
  if (!Number.isSafeInteger(input.candidateId) || input.candidateId < 1) return { status: 'unknown-candidate' };
  const locale = input.locale ?? DEFAULT_LOCALE;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        candidate: candidates,
        partyName: sql<string>`coalesce(${campaignParties.name}, ${parties.name})`,
        partySlug: parties.slug,
        campaignState: campaigns.state,
      })
      .from(candidates)
      .innerJoin(parties, eq(parties.id, candidates.partyId))
      // The campaign's name for the party (the registry's if the party has left the campaign).
      .leftJoin(campaignParties, and(eq(campaignParties.campaignId, candidates.campaignId), eq(campaignParties.partyId, candidates.partyId)))
      .innerJoin(campaigns, eq(campaigns.id, candidates.campaignId))
      .where(and(eq(candidates.id, input.candidateId), eq(candidates.campaignId, input.campaignId)))
      .for('update', { of: candidates });
    // A draft is the campaign's own business: only an admin invites its candidates.
    if (!row || (row.campaignState === 'draft' && actor.role !== 'admin' && actor.role !== 'system')) return { status: 'unknown-candidate' } as const;
    const { candidate } = row;
    // Who asks first: a representative of another party learns nothing more about this candidate.
    if (!mayInviteCandidate(actor, candidate.partyId)) return { status: 'forbidden' } as const;
    if (row.campaignState === 'archived') return { status: 'archived' } as const;
    if (candidate.withdrawnAt) return { status: 'withdrawn' } as const;
    const [account] = await tx.select({ id: users.id }).from(users).where(eq(users.candidateId, candidate.id)).limit(1);
    if (account) return { status: 'has-account' } as const;
    const email = emailSchema.safeParse(input.email);
    if (!email.success) return { status: 'invalid', issues: { email: 'email.invalid' } } as const;
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email.data)).limit(1);
    if (taken) return { status: 'invalid', issues: { email: 'link.emailTaken' } } as const;
    // Only the newest invitation works: an earlier open one for this candidate ends now.
    await tx
      .update(accountLinks)
      .set({ revokedAt: now })
      .where(
        and(
          eq(accountLinks.candidateId, candidate.id),
          eq(accountLinks.purpose, 'invite'),
          isNull(accountLinks.usedAt),
          isNull(accountLinks.revokedAt),
          gt(accountLinks.expiresAt, now),
        ),
      );
    const made = await insertAccountLink(
      tx,
      {
        purpose: 'invite',
        email: email.data,
        partyId: candidate.partyId,
        candidateId: candidate.id,
        campaignId: candidate.campaignId,
        createdByUserId: actor.userId,
      },
      now,
    );
    if (mail) {
      const campaignName = mail.campaignName[locale];
      await enqueueMail(tx, {
        // Not 'invite': asking a candidate is not asking the party (outreach.ts counts invites).
        kind: 'candidate-invite',
        to: email.data,
        locale,
        fromName: campaignName,
        content: candidateInviteMail(locale, {
          campaignName,
          partyName: row.partyName,
          candidateName: candidateName(candidate),
          link: mail.linkTo('invite', made.token, locale),
          expiresAt: made.link.expiresAt,
        }),
        partyId: candidate.partyId,
        campaignId: candidate.campaignId,
        accountLinkId: made.link.id,
        held: !mail.sending,
      });
    }
    await recordAudit(tx, {
      action: 'candidate.invited',
      actor,
      subject: email.data,
      ip,
      now,
      details: { candidate: candidate.id, party: row.partySlug, mailed: Boolean(mail) },
    });
    return { status: 'created', ...made } as const;
  });
}

/** Where each candidate stands with their own account: signed up, invited (an open link), or neither. */
export type CandidateAccountState = 'account' | 'invited' | 'none';

export async function candidateAccountStates(db: Db, candidateIds: readonly number[], now = new Date()): Promise<Map<number, CandidateAccountState>> {
  const states = new Map<number, CandidateAccountState>(candidateIds.map((id) => [id, 'none']));
  if (candidateIds.length === 0) return states;
  const ids = [...candidateIds];
  const [invited, accounts] = await Promise.all([
    db
      .select({ id: accountLinks.candidateId })
      .from(accountLinks)
      .where(
        and(
          inArray(accountLinks.candidateId, ids),
          eq(accountLinks.purpose, 'invite'),
          isNull(accountLinks.usedAt),
          isNull(accountLinks.revokedAt),
          gt(accountLinks.expiresAt, now),
        ),
      ),
    db.select({ id: users.candidateId }).from(users).where(inArray(users.candidateId, ids)),
  ]);
  for (const { id } of invited) if (id !== null) states.set(id, 'invited');
  for (const { id } of accounts) if (id !== null) states.set(id, 'account');
  return states;
}
