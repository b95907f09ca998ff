import type { APIRoute } from 'astro';
import { loadScoreboard } from '../../domain/scoreboard.ts';
import { apiParams, dataResponse } from '../../site/api.ts';
import { getCampaign, getGoals } from '../../site/content.ts';
import { cachedImage, scoreboardImage } from '../../site/images.ts';

/** The scoreboard as a PNG (social card, print); also /en/image/scoreboard.png, and ?at=. */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = apiParams(url);
  if (!params.ok) return params.response;
  const locale = locals.locale;
  const board = await loadScoreboard(locals.app.database.db, await getGoals(locale), params.at);
  const campaign = await getCampaign();
  const key = `board:${locale}:${params.at?.toISOString() ?? 'live'}:${board.updatedAt?.toISOString()}:${board.rows.length}`;
  const png = await cachedImage(key, () => scoreboardImage(board, { title: campaign.name[locale], locale }));
  return dataResponse(request, png, { contentType: 'image/png', frozen: params.at !== null });
};
