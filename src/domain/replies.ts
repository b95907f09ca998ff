/**
 * A party's right of reply: its representative answers a check of one of its pledges or a
 * follow-up rating, and the answer is shown beside it. Replies are append-only
 * (drizzle/0022): a later reply to the same subject is the one shown, the earlier ones stay.
 * Only a representative of the subject's own party replies: not an admin, not another party.
 */
import { and, desc, eq, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { isArchivedCampaignWrite } from '../db/errors.ts';
import { campaigns, followUpRatings, partyReplies, pledgeChecks, pledges } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import { toFieldIssues, type FieldIssues } from './field-issues.ts';
import { freeText } from './text.ts';

export type ReplySubject = (typeof partyReplies.subject.enumValues)[number];
const REPLY_SUBJECTS = partyReplies.subject.enumValues;

export const REPLY_MAX_LENGTH = 1000;

const replySchema = z.object({
  subject: z.enum(REPLY_SUBJECTS, { error: 'reply.subject' }),
  subjectId: z.coerce.number({ error: 'reply.subject' }).int('reply.subject').positive('reply.subject'),
  text: freeText('reply.text').trim().min(1, 'reply.text').max(REPLY_MAX_LENGTH, 'reply.textTooLong'),
});

export interface ReplyInput {
  /** Checked here: a form sends any string. */
  subject: string;
  subjectId: number | string;
  text: string;
}

export type ReplyResult =
  | { status: 'done'; id: number }
  | { status: 'invalid'; issues: FieldIssues }
  /** Not a representative of the subject's party. */
  | { status: 'forbidden' }
  /** No such check or rating in this campaign. */
  | { status: 'unknown-subject' }
  /** The campaign is archived: read-only for everyone. */
  | { status: 'archived' };

/** A reply as the pages show it. */
export interface PartyReply {
  id: number;
  subject: ReplySubject;
  subjectId: number;
  partyId: number;
  text: string;
  byName: string;
  repliedAt: Date;
}

/** The party a check or a rating is about, when it is in this campaign. */
async function subjectParty(db: Db, campaignId: number, subject: ReplySubject, subjectId: number): Promise<number | null> {
  if (subject === 'check') {
    const [row] = await db
      .select({ partyId: pledges.partyId })
      .from(pledgeChecks)
      .innerJoin(pledges, eq(pledges.id, pledgeChecks.pledgeId))
      .where(and(eq(pledgeChecks.id, subjectId), eq(pledgeChecks.campaignId, campaignId)));
    return row?.partyId ?? null;
  }
  const [row] = await db
    .select({ partyId: followUpRatings.partyId })
    .from(followUpRatings)
    .where(and(eq(followUpRatings.id, subjectId), eq(followUpRatings.campaignId, campaignId)));
  return row?.partyId ?? null;
}

export async function addReply(
  db: Db,
  campaignId: number,
  input: ReplyInput,
  { actor, ip, now = new Date() }: { actor: Actor; ip?: string | null; now?: Date },
): Promise<ReplyResult> {
  // Who may reply at all comes first: an admin or a stranger learns nothing from the form's checks.
  if (actor.role !== 'rep' || actor.partyId === null) return { status: 'forbidden' };
  const parsed = replySchema.safeParse(input);
  if (!parsed.success) return { status: 'invalid', issues: toFieldIssues(parsed.error) };
  const { subject, subjectId, text } = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      const [campaign] = await tx.select({ state: campaigns.state }).from(campaigns).where(eq(campaigns.id, campaignId));
      if (!campaign) return { status: 'unknown-subject' } as const;
      const partyId = await subjectParty(tx, campaignId, subject, subjectId);
      if (partyId === null) return { status: 'unknown-subject' } as const;
      if (partyId !== actor.partyId) return { status: 'forbidden' } as const;
      if (campaign.state === 'archived') return { status: 'archived' } as const;
      const [row] = await tx
        .insert(partyReplies)
        .values({ campaignId, partyId, subject, subjectId, text, byName: actor.name, byUserId: actor.userId, repliedAt: now })
        .returning({ id: partyReplies.id });
      await recordAudit(tx, { action: 'reply.added', actor, subject: `${subject}/${subjectId}`, ip, now, details: { partyId } });
      return { status: 'done', id: row!.id } as const;
    });
  } catch (error) {
    if (isArchivedCampaignWrite(error)) return { status: 'archived' };
    throw error;
  }
}

/**
 * The latest reply per subject id (of one kind) in a campaign; with `at`, as it was then
 * (a frozen view shows the reply that stood at that moment).
 */
export async function loadReplies(db: Db, campaignId: number, subject: ReplySubject, at?: Date): Promise<Map<number, PartyReply>> {
  const rows = await db
    .select()
    .from(partyReplies)
    .where(and(eq(partyReplies.campaignId, campaignId), eq(partyReplies.subject, subject), at ? lte(partyReplies.repliedAt, at) : undefined))
    .orderBy(desc(partyReplies.id));
  const latest = new Map<number, PartyReply>();
  for (const row of rows) {
    if (latest.has(row.subjectId)) continue;
    latest.set(row.subjectId, {
      id: row.id,
      subject: row.subject,
      subjectId: row.subjectId,
      partyId: row.partyId,
      text: row.text,
      byName: row.byName,
      repliedAt: row.repliedAt,
    });
  }
  return latest;
}
