/**
 * Notices to representatives who asked for them (account page): "a colleague changed our
 * pledge" and "the campaign corrected our pledge, or hid or showed a statement". Queued in
 * the transaction of the change itself (savePledges, moderateStatement), so a refused or
 * rolled-back change mails nobody. Never to the person who made the change, never to a
 * disabled account. A notice names the goal, the stance before and after, and who changed
 * it: what the representative sees on Mijn partij anyway, never a statement's words.
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaignParties, campaigns, users } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import type { Locale } from './campaign.ts';
import { pledgeChangedMail, type PledgeChangeLine } from './mail-texts.ts';
import { enqueueMail, type PageMailContext } from './outbox.ts';

/** What a change needs to mail its notices: the mail context, and the goals' titles per language. */
export interface PledgeNoticeContext {
  mail: PageMailContext;
  /** goal slug → title per language; a goal missing here is named by its slug. */
  goalTitles: Record<string, Record<Locale, string>>;
}

interface NoticeChange {
  goalSlug: string;
  stanceBefore: PledgeChangeLine['stanceBefore'];
  stanceAfter: PledgeChangeLine['stanceAfter'];
  alsoChanged: PledgeChangeLine['alsoChanged'];
}

export interface PledgeNotice {
  /** The campaign of the pledge: the mail links to the party's page under its own address. */
  campaignId: number;
  partyId: number;
  actor: Actor;
  /** A representative's own save is a colleague's change; anyone else's is the campaign's. */
  kind: 'save' | 'hidden' | 'shown';
  changes: NoticeChange[];
  reason: string | null;
}

/** Queues one notice per representative of the party who opted in, except the actor. */
export async function queuePledgeNotices(tx: Db, notice: PledgeNotice, { mail, goalTitles }: PledgeNoticeContext): Promise<number> {
  if (notice.changes.length === 0) return 0;
  const byColleague = notice.kind === 'save' && notice.actor.role === 'rep';
  const [party] = await tx
    .select({ name: campaignParties.name, campaign: campaigns.slug })
    .from(campaignParties)
    .innerJoin(campaigns, eq(campaigns.id, campaignParties.campaignId))
    .where(and(eq(campaignParties.campaignId, notice.campaignId), eq(campaignParties.partyId, notice.partyId)))
    .limit(1);
  if (!party) return 0;
  const optedIn = byColleague ? eq(users.notifyColleagueChanges, true) : eq(users.notifyCampaignChanges, true);
  const recipients = await tx
    .select({ email: users.email, locale: users.mailLocale })
    .from(users)
    .where(
      and(
        eq(users.partyId, notice.partyId),
        eq(users.role, 'rep'),
        isNull(users.disabledAt),
        optedIn,
        notice.actor.userId === null ? undefined : ne(users.id, notice.actor.userId),
      ),
    )
    .orderBy(users.id);
  for (const { email, locale: stored } of recipients) {
    const locale: Locale = stored === 'en' ? 'en' : 'nl';
    const campaignName = mail.campaignName[locale];
    await enqueueMail(tx, {
      kind: 'pledge-changed',
      to: email,
      locale,
      fromName: campaignName,
      content: pledgeChangedMail(locale, {
        campaignName,
        partyName: party.name,
        by: notice.actor.name,
        kind: byColleague ? 'colleague' : notice.kind === 'save' ? 'correction' : notice.kind,
        changes: notice.changes.map((c) => ({
          goalTitle: goalTitles[c.goalSlug]?.[locale] ?? c.goalSlug,
          stanceBefore: c.stanceBefore,
          stanceAfter: c.stanceAfter,
          alsoChanged: c.alsoChanged,
        })),
        reason: notice.reason,
        link: mail.pageTo('myParty', locale, party.campaign),
      }),
      partyId: notice.partyId,
      held: !mail.sending,
    });
  }
  return recipients.length;
}
