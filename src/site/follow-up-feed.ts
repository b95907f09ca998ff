/**
 * The Atom feed of follow-up ratings (`/opvolging/feed.xml`): one entry per rating, linking to
 * the follow-up view of its goal, and one per import or unlink of a parliamentary item, linking
 * to the item's page (both change what the view shows); newest first. Ids and links name the campaign. `?at=`
 * gives the feed as it was then. 404 while the campaign has no public follow-up.
 */
import type { APIContext } from 'astro';
import { parseAt } from '../domain/as-of.ts';
import { pathTo } from '../i18n/routes.ts';
import { translator, type MessageKey } from '../i18n/ui.ts';
import { apiError, dataResponse } from './api.ts';
import { atomFeed, tagUri, xml } from './atom.ts';
import { getCampaign } from './content.ts';
import { followUpBoardFor } from './follow-up-route.ts';

const FEED_SIZE = 100;

export async function followUpFeedResponse(context: APIContext): Promise<Response> {
  const { locals, request, url } = context;
  const locale = locals.locale;
  const t = translator(locale);
  const at = parseAt(url.searchParams.get('at'));
  if (!at.ok) return apiError(400, 'at must be an ISO-8601 timestamp with a time zone, not in the future');
  const board = await followUpBoardFor(locals, locale, at.at);
  if (!board) return apiError(404, 'this campaign has no follow-up (yet)');
  const campaign = getCampaign(context);
  const siteUrl = locals.app.config.publicUrl ?? url.origin;
  const campaignSlug = locals.campaign.campaign.slug;
  const selfPath = pathTo('followUpFeed', locale, {}, campaignSlug);
  const pagePath = pathTo('followUp', locale, {}, campaignSlug);
  const goalName = (slug: string) => {
    const goal = board.goals.find((g) => g.slug === slug);
    return goal ? `${goal.number}. ${goal.shortTitle}` : slug;
  };
  const ratings = board.followUp.ratings.toReversed().slice(0, FEED_SIZE);
  const ratingEntries = ratings.map((rating) => {
    const party = board.rows.find((r) => r.party.slug === rating.partySlug)?.party.name ?? rating.partySlug;
    const status =
      t(`followUp.status.${rating.status}` as MessageKey) + (rating.brokenReason ? `: ${t(`followUp.broken.${rating.brokenReason}` as MessageKey)}` : '');
    const title = t('followUp.feedEntry', { party, goal: goalName(rating.goalSlug), status });
    const entry = `  <entry>
    <id>${xml(tagUri(siteUrl, `${campaignSlug}/follow-up-rating-${rating.id}`))}</id>
    <title>${xml(title)}</title>
    <updated>${rating.ratedAt.toISOString()}</updated>
    <author><name>${xml(rating.byName)}</name></author>
    <link rel="alternate" type="text/html" href="${xml(`${siteUrl}${pagePath}#opvolging-${rating.goalSlug}`)}"/>
    <link rel="related" href="${xml(rating.citationUrl)}"/>
    <content type="text">${xml(`${rating.explanation}\n${t('followUp.source')}: ${rating.citationUrl}`)}</content>
  </entry>`;
    return { at: rating.ratedAt, entry };
  });
  const itemEvents = board.itemHistory.slice(0, FEED_SIZE);
  const itemEntries = itemEvents.map((event) => {
    const goal = goalName(event.goalSlug);
    const title =
      event.kind === 'import'
        ? t('followUp.feedImport', { number: event.number, goal, effect: t(`followUp.effect.${event.effect}` as MessageKey) })
        : t('followUp.feedUnlink', { number: event.number, goal });
    const content =
      event.kind === 'import'
        ? `${t('followUp.item.decision')}: ${event.decision ?? t('followUp.item.noDecision')}` +
          (event.effectChanged ? ` (${t('followUp.item.historyEffectChanged')})` : '')
        : t('followUp.item.historyUnlink', { goal, reason: event.reason });
    const itemPath = pathTo('followUpItem', locale, { number: event.number }, campaignSlug);
    const entry = `  <entry>
    <id>${xml(tagUri(siteUrl, `${campaignSlug}/follow-up-item-${event.number}-${event.goalSlug}-${event.kind}-${event.at.getTime()}`))}</id>
    <title>${xml(title)}</title>
    <updated>${event.at.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${xml(`${siteUrl}${itemPath}`)}"/>
    <content type="text">${xml(content)}</content>
  </entry>`;
    return { at: event.at, entry };
  });
  // Newest first over both kinds.
  const newest = [...ratingEntries, ...itemEntries].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, FEED_SIZE);
  const body = atomFeed({
    locale,
    siteUrl,
    selfPath,
    pagePath,
    title: `${campaign.name[locale]} – ${t('followUp.feed')}`,
    updated: newest[0]?.at ?? board.updatedAt ?? new Date(0),
    entries: newest.map((e) => e.entry),
  });
  return dataResponse(request, body, { contentType: 'application/atom+xml; charset=utf-8', frozen: at.at !== null });
}
