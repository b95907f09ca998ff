import type { APIRoute } from 'astro';
import { loadPartyRow } from '../../../domain/scoreboard.ts';
import { apiError } from '../../../site/api.ts';
import { getCampaign, getGoals } from '../../../site/content.ts';
import { cardSource, imageResponse, readImageRequest } from '../../../site/image-requests.ts';
import { partyImage } from '../../../site/images.ts';

/** One party's pledges as a PNG (social card, print); also /en/image/party/<slug>.png, ?at= and ?formaat=vierkant. */
export const GET: APIRoute = async (context) => {
  const request = readImageRequest(context);
  if (!request.ok) return request.response;
  const goals = getGoals(context, request.locale);
  // After an English address is rewritten, an endpoint's own params can be empty: use the match.
  const slug = context.locals.route?.params.slug ?? context.params.slug ?? '';
  const row = await loadPartyRow(context.locals.app.database.db, context.locals.campaign.campaign.id, goals, slug, request.at);
  if (!row) return apiError(404, 'no such party on the board');
  const latest = [row.party.updatedAt, ...row.cells.flatMap((c) => (c.pledge ? [c.pledge.updatedAt] : []))].reduce((a, b) => (b > a ? b : a));
  const source = cardSource(context, request, getCampaign(context).name[request.locale], latest);
  return imageResponse(context.request, request, source, `party:${row.party.slug}`, () => partyImage(row, goals, source));
};
