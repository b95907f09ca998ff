/**
 * The Atom feed of follow-up ratings (`/opvolging/feed.xml`): one entry per rating, newest
 * first, linking to the follow-up view of its goal. Ids and links name the campaign. `?at=`
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
  const ratings = board.followUp.ratings.toReversed().slice(0, FEED_SIZE);
  const entries = ratings.map((rating) => {
    const goal = board.goals.find((g) => g.slug === rating.goalSlug);
    const party = board.rows.find((r) => r.party.slug === rating.partySlug)?.party.name ?? rating.partySlug;
    const status =
      t(`followUp.status.${rating.status}` as MessageKey) + (rating.brokenReason ? `: ${t(`followUp.broken.${rating.brokenReason}` as MessageKey)}` : '');
    const title = t('followUp.feedEntry', { party, goal: goal ? `${goal.number}. ${goal.shortTitle}` : rating.goalSlug, status });
    return `  <entry>
    <id>${xml(tagUri(siteUrl, `${campaignSlug}/follow-up-rating-${rating.id}`))}</id>
    <title>${xml(title)}</title>
    <updated>${rating.ratedAt.toISOString()}</updated>
    <author><name>${xml(rating.byName)}</name></author>
    <link rel="alternate" type="text/html" href="${xml(`${siteUrl}${pagePath}#opvolging-${rating.goalSlug}`)}"/>
    <link rel="related" href="${xml(rating.citationUrl)}"/>
    <content type="text">${xml(`${rating.explanation}\n${t('followUp.source')}: ${rating.citationUrl}`)}</content>
  </entry>`;
  });
  const body = atomFeed({
    locale,
    siteUrl,
    selfPath,
    pagePath,
    title: `${campaign.name[locale]} – ${t('followUp.feed')}`,
    updated: ratings[0]?.ratedAt ?? board.updatedAt ?? new Date(0),
    entries,
  });
  return dataResponse(request, body, { contentType: 'application/atom+xml; charset=utf-8', frozen: at.at !== null });
}
