/**
 * The three Atom feeds share one handler: all changes, one party's, or one goal's.
 */
import type { APIContext } from 'astro';
import { listCheckEvents } from '../domain/checks.ts';
import { listPublicChanges } from '../domain/history.ts';
import { findPartyBySlug } from '../domain/parties.ts';
import { listReplyEvents } from '../domain/replies.ts';
import { pathTo } from '../i18n/routes.ts';
import { translator } from '../i18n/ui.ts';
import { dataResponse } from './api.ts';
import { renderAtomFeed } from './atom.ts';
import { getCampaign, getGoals } from './content.ts';

const FEED_SIZE = 50;

export async function feedResponse(context: APIContext, scope: 'all' | 'party' | 'goal'): Promise<Response> {
  const { locals, params, request, url } = context;
  const locale = locals.locale;
  const t = translator(locale);
  const db = locals.app.database.db;
  const [campaign, goals] = [getCampaign(context), getGoals(context, locale)];
  const siteUrl = locals.app.config.publicUrl ?? url.origin;
  // After an English address is rewritten, an endpoint's own params can be empty: use the match.
  const slug = locals.route?.params.slug ?? params.slug ?? '';
  const notFound = () => new Response(t('notFound.title'), { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

  let title = `${campaign.name[locale]} – ${t('feed.changes')}`;
  let partyId: number | undefined;
  let goalSlug: string | undefined;
  // Feed ids and links name the campaign: a reader's feed keeps following this campaign.
  const campaignSlug = locals.campaign.campaign.slug;
  let pagePath = pathTo('scoreboard', locale, {}, campaignSlug);
  let selfPath = pathTo('feed', locale, {}, campaignSlug);
  if (scope === 'party') {
    const party = await findPartyBySlug(db, context.locals.campaign.campaign.id, slug);
    if (!party) return notFound();
    partyId = party.id;
    title = `${party.name} – ${title}`;
    pagePath = pathTo('party', locale, { slug }, campaignSlug);
    selfPath = pathTo('partyFeed', locale, { slug }, campaignSlug);
  } else if (scope === 'goal') {
    const goal = goals.find((g) => g.slug === slug);
    if (!goal) return notFound();
    goalSlug = goal.slug;
    title = `${goal.number}. ${goal.shortTitle} – ${title}`;
    pagePath = pathTo('goal', locale, { slug }, campaignSlug);
    selfPath = pathTo('goalFeed', locale, { slug }, campaignSlug);
  }
  const { changes } = await listPublicChanges(db, context.locals.campaign.campaign.id, { limit: FEED_SIZE, partyId, goalSlug });
  const checks = await listCheckEvents(db, context.locals.campaign.campaign.id, { partyId, goalSlug, limit: FEED_SIZE });
  const replies = await listReplyEvents(db, context.locals.campaign.campaign.id, { partyId, goalSlug, limit: FEED_SIZE });
  const body = renderAtomFeed({
    locale,
    siteUrl,
    campaignSlug,
    title,
    selfPath,
    pagePath,
    goals,
    changes,
    checks,
    replies,
    limit: FEED_SIZE,
    fallbackUpdated: new Date(0),
  });
  return dataResponse(request, body, { contentType: 'application/atom+xml; charset=utf-8' });
}
