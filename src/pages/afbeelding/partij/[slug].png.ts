import type { APIRoute } from 'astro';
import { loadPartyRow } from '../../../domain/scoreboard.ts';
import { apiError, apiParams, dataResponse } from '../../../site/api.ts';
import { getCampaign, getGoals } from '../../../site/content.ts';
import { cachedImage, partyImage } from '../../../site/images.ts';

/** One party's pledges as a PNG (social card, print); also /en/image/party/<slug>.png. */
export const GET: APIRoute = async ({ locals, url, request, params: route }) => {
  const params = apiParams(url);
  if (!params.ok) return params.response;
  const locale = locals.locale;
  const goals = await getGoals(locale);
  // After an English address is rewritten, an endpoint's own params can be empty: use the match.
  const slug = locals.route?.params.slug ?? route.slug ?? '';
  const row = await loadPartyRow(locals.app.database.db, goals, slug, params.at);
  if (!row) return apiError(404, 'no such party on the board');
  const campaign = await getCampaign();
  const latest = row.cells
    .map((c) => c.pledge?.updatedAt.toISOString() ?? '')
    .sort()
    .at(-1);
  const key = `party:${row.party.slug}:${locale}:${params.at?.toISOString() ?? 'live'}:${latest}:${row.party.updatedAt.toISOString()}`;
  const png = await cachedImage(key, () => partyImage(row, goals, { title: campaign.name[locale], locale }));
  return dataResponse(request, png, { contentType: 'image/png', frozen: params.at !== null });
};
