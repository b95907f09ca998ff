/**
 * The Atom feed of candidates' signatures (`/kandidaten/feed.xml`): one entry per signature a
 * candidate made or changed, newest first, linking to the candidate's page. Ids and links name
 * the campaign, as the pledge feeds do (atom.ts).
 */
import type { APIContext } from 'astro';
import { listSignatureEvents } from '../domain/candidates.ts';
import { pathTo } from '../i18n/routes.ts';
import { translator } from '../i18n/ui.ts';
import { dataResponse } from './api.ts';
import { atomFeed, tagUri, xml } from './atom.ts';
import { getCampaign, getGoals } from './content.ts';
import { signatureWords } from './signature-badge.ts';

const FEED_SIZE = 50;

export async function candidatesFeedResponse(context: APIContext): Promise<Response> {
  const { locals, request, url } = context;
  const locale = locals.locale;
  const t = translator(locale);
  const campaign = getCampaign(context);
  const goals = getGoals(context, locale);
  const siteUrl = locals.app.config.publicUrl ?? url.origin;
  const campaignSlug = locals.campaign.campaign.slug;
  const selfPath = pathTo('candidatesFeed', locale, {}, campaignSlug);
  const pagePath = pathTo('candidates', locale, {}, campaignSlug);
  const events = await listSignatureEvents(locals.app.database.db, locals.campaign.campaign.id, { limit: FEED_SIZE });
  const entries = events.map((event) => {
    const goal = goals.find((g) => g.slug === event.goalSlug);
    const goalName = goal ? `${goal.number}. ${goal.shortTitle}` : event.goalSlug;
    const title = t('candidates.feedEntry', {
      name: event.name,
      party: event.party.name,
      goal: goalName,
      state: signatureWords(locale, event.committed ? 'committed' : 'declined'),
    });
    const link = siteUrl + pathTo('candidate', locale, { id: String(event.candidateId) }, campaignSlug);
    return `  <entry>
    <id>${xml(tagUri(siteUrl, `candidate-signature-${event.id}`))}</id>
    <title>${xml(title)}</title>
    <updated>${event.signedAt.toISOString()}</updated>
    <author><name>${xml(event.name)}</name></author>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <content type="text">${xml(event.statement)}</content>
  </entry>`;
  });
  const body = atomFeed({
    locale,
    siteUrl,
    selfPath,
    pagePath,
    title: `${campaign.name[locale]} – ${t('candidates.feed')}`,
    updated: events[0]?.signedAt ?? new Date(0),
    entries,
  });
  return dataResponse(request, body, { contentType: 'application/atom+xml; charset=utf-8' });
}
