import type { APIRoute } from 'astro';
import { loadScoreboard } from '../../../domain/scoreboard.ts';
import { apiError } from '../../../site/api.ts';
import { getCampaign, getGoals } from '../../../site/content.ts';
import { cardSource, imageResponse, readImageRequest } from '../../../site/image-requests.ts';
import { goalImage } from '../../../site/images.ts';

/** One goal, every party's stance on it, as a PNG (the goal page's og:image); also /en/image/goal/<slug>.png. */
export const GET: APIRoute = async (context) => {
  const request = readImageRequest(context);
  if (!request.ok) return request.response;
  const goals = getGoals(context, request.locale);
  const slug = context.locals.route?.params.slug ?? context.params.slug ?? '';
  const goal = goals.find((g) => g.slug === slug);
  if (!goal) return apiError(404, 'no such goal in this campaign');
  const board = await loadScoreboard(context.locals.app.database.db, context.locals.campaign.campaign.id, goals, request.at);
  const source = cardSource(context, request, getCampaign(context).name[request.locale], board.updatedAt);
  return imageResponse(context.request, request, source, `goal:${goal.slug}:${board.rows.length}`, () => goalImage(board, goal, source));
};
