import type { APIRoute } from 'astro';
import { loadScoreboard } from '../../domain/scoreboard.ts';
import { getCampaign, getGoals } from '../../site/content.ts';
import { cardSource, imageResponse, readImageRequest } from '../../site/image-requests.ts';
import { scoreboardImage } from '../../site/images.ts';

/** The scoreboard as a PNG (social card, print); also /en/image/scoreboard.png, ?at= and ?formaat=vierkant. */
export const GET: APIRoute = async (context) => {
  const request = readImageRequest(context);
  if (!request.ok) return request.response;
  const board = await loadScoreboard(context.locals.app.database.db, context.locals.campaign.campaign.id, getGoals(context, request.locale), request.at);
  const source = cardSource(context, request, getCampaign(context).name[request.locale], board.updatedAt);
  return imageResponse(context.request, request, source, `board:${board.rows.length}`, () => scoreboardImage(board, source));
};
