/**
 * Whether a queued mail is still wanted when a sender's turn comes: a mail may wait in the
 * outbox for a long while (held where no mail is sent, retried after failures), and what
 * caused it may be over by then. A sender asks whyMailUnwanted just before it sends each
 * mail; a reason means the mail is cancelled (outbox.ts: markMailCancelled), never sent, shown
 * to admins with its reason, and not counted in the public record unless it had gone out
 * before (held where no mail is sent: went_out_at is never taken back).
 *
 * One rule per kind:
 * - invite, password-reset: the one-time link it carries still works (not used, revoked or
 *   expired: a link sent again replaces the old one, whose mail is then not wanted, as
 *   link-replaced).
 * - reminder: pledging is still open before the deadline it was written for (not moved since),
 *   no newer round for the party was written, and the party has not answered every goal
 *   meanwhile (reminders.ts: whyReminderUnwanted).
 * - pledge-changed: always (it tells of something that happened).
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { accountLinks } from '../db/schema.ts';
import { linkStatus } from './account-links.ts';
import type { OutboxRow } from './outbox.ts';
import { whyReminderUnwanted, type ReminderCampaign, type ReminderUnwanted } from './reminders.ts';

/** Why a mail was cancelled: kept in its last_error, shown to admins (admin.mailCancelled.*). */
export type MailCancelReason = 'link-used' | 'link-revoked' | 'link-replaced' | 'link-expired' | ReminderUnwanted;

export interface WantedContext {
  now: Date;
  /** A campaign's deadline and goals in force (read only when a reminder is checked). */
  reminderCampaign: (campaignId: number) => Promise<ReminderCampaign>;
}

type WantedRow = Pick<OutboxRow, 'id' | 'kind' | 'accountLinkId' | 'partyId' | 'campaignId' | 'reminderRunId'>;

/** Null when the mail is still wanted; else why not. */
export async function whyMailUnwanted(db: Db, row: WantedRow, context: WantedContext): Promise<MailCancelReason | null> {
  switch (row.kind) {
    // An invitation is wanted while its link can still be accepted; a reset mail while its
    // link can still set a password.
    case 'invite':
    case 'candidate-invite':
    case 'password-reset':
      return whyLinkUnwanted(db, row.accountLinkId, context.now);
    case 'reminder':
      return row.partyId === null || row.campaignId === null
        ? null
        : whyReminderUnwanted(
            db,
            { id: row.id, partyId: row.partyId, reminderRunId: row.reminderRunId },
            await context.reminderCampaign(row.campaignId),
            context.now,
          );
    default:
      return null;
  }
}

async function whyLinkUnwanted(db: Db, linkId: number | null, now: Date): Promise<MailCancelReason | null> {
  // A mail without a link (queued by hand, or its link removed) has nothing to check.
  if (linkId === null) return null;
  const [link] = await db.select().from(accountLinks).where(eq(accountLinks.id, linkId));
  if (!link) return null;
  const status = linkStatus(link, now);
  if (status === 'revoked' && (await wasReplaced(db, link))) return 'link-replaced';
  return status === 'open' ? null : `link-${status}`;
}

/**
 * Whether a newer link of the same kind for the same person followed a revoked one: an
 * invitation sent again (same address and party), or a newer reset link for the same account.
 */
async function wasReplaced(db: Db, link: typeof accountLinks.$inferSelect): Promise<boolean> {
  const same =
    link.purpose === 'invite' && link.email !== null && link.partyId !== null
      ? and(
          eq(accountLinks.email, link.email),
          eq(accountLinks.partyId, link.partyId),
          link.candidateId === null ? isNull(accountLinks.candidateId) : eq(accountLinks.candidateId, link.candidateId),
        )
      : link.purpose === 'password-reset' && link.userId !== null
        ? eq(accountLinks.userId, link.userId)
        : undefined;
  if (!same) return false;
  const [newer] = await db
    .select({ id: accountLinks.id })
    .from(accountLinks)
    .where(and(eq(accountLinks.purpose, link.purpose), same, gt(accountLinks.id, link.id)))
    .limit(1);
  return newer !== undefined;
}
