/**
 * Moderation: the campaign may hide one version of a party's statement, with a public reason
 * that is shown in its place. It never rewrites the party's words: the stance stays, the text
 * stays in the history for admins, and showing it again is one more recorded step.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { parties, pledges, statementModerations } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import type { FieldIssues } from './field-issues.ts';
import { queuePledgeNotices, type PledgeNoticeContext } from './pledge-notices.ts';
import { freeText } from './text.ts';

const moderationReasonSchema = freeText('moderation.reason').trim().min(3, 'moderation.reason').max(300, 'moderation.reason');

export type ModerationResult = 'done' | 'unknown-pledge' | 'unchanged' | { issues: FieldIssues };

/** Key of one version of one pledge's statement. */
export const versionKey = (pledgeId: number, version: number) => `${pledgeId}:${version}`;

/**
 * The hidden statement versions among these pledges: version key → public reason. Always the
 * current state, also for a view of the past: words hidden for a reason (personal data, say)
 * must not come back through a frozen view.
 */
export async function hiddenStatements(db: Db, pledgeIds: readonly number[]): Promise<Map<string, string>> {
  if (pledgeIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(statementModerations)
    .where(inArray(statementModerations.pledgeId, [...pledgeIds]))
    .orderBy(statementModerations.id);
  // Later rows decide: replay them in order.
  const state = new Map<string, string | null>();
  for (const row of rows) state.set(versionKey(row.pledgeId, row.version), row.hidden ? row.reason : null);
  return new Map([...state].filter((entry): entry is [string, string] => entry[1] !== null));
}

export async function moderateStatement(
  db: Db,
  {
    campaignId,
    partySlug,
    goalSlug,
    hide,
    reason,
    actor,
    ip,
    now = new Date(),
    notify,
  }: {
    /** The campaign the pledge is in (two campaigns may share a goal's slug). */
    campaignId: number;
    partySlug: string;
    goalSlug: string;
    hide: boolean;
    reason: string;
    actor: Actor;
    ip?: string | null;
    now?: Date;
    /** How to mail the party's representatives who asked for notices; without it none is queued. */
    notify?: PledgeNoticeContext;
  },
): Promise<ModerationResult> {
  const parsed = moderationReasonSchema.safeParse(reason);
  if (!parsed.success) return { issues: { reason: parsed.error.issues[0]!.message } };
  return db.transaction(async (tx) => {
    const [pledge] = await tx
      .select({ id: pledges.id, version: pledges.version, partyId: pledges.partyId, stance: pledges.stance })
      .from(pledges)
      .innerJoin(parties, eq(parties.id, pledges.partyId))
      .where(and(eq(pledges.campaignId, campaignId), eq(parties.slug, partySlug), eq(pledges.goalSlug, goalSlug)))
      .for('update')
      .limit(1);
    if (!pledge) return 'unknown-pledge' as const;
    const currentlyHidden = (await hiddenStatements(tx, [pledge.id])).has(versionKey(pledge.id, pledge.version));
    if (currentlyHidden === hide) return 'unchanged' as const;
    await tx.insert(statementModerations).values({
      pledgeId: pledge.id,
      version: pledge.version,
      hidden: hide,
      reason: parsed.data,
      byUserId: actor.userId,
      byName: actor.name,
      at: now,
    });
    await recordAudit(tx, {
      action: hide ? 'statement.hidden' : 'statement.shown',
      actor,
      subject: `${partySlug}/${goalSlug}`,
      ip,
      now,
      details: { version: pledge.version, reason: parsed.data },
    });
    if (notify) {
      const change = { goalSlug, stanceBefore: pledge.stance, stanceAfter: pledge.stance, alsoChanged: [] };
      await queuePledgeNotices(
        tx,
        { campaignId, partyId: pledge.partyId, actor, kind: hide ? 'hidden' : 'shown', changes: [change], reason: parsed.data },
        notify,
      );
    }
    return 'done' as const;
  });
}
