import type { APIRoute } from 'astro';
import { toFollowUpJsonV1 } from '../../../domain/follow-up-board.ts';
import { apiError, apiParams, jsonData, preflight } from '../../../site/api.ts';
import { followUpBoardFor } from '../../../site/follow-up-route.ts';

/** After the election: linked items with decision and votes per party, the ratings, and per party × goal (see OpenAPI: FollowUp). */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = apiParams(url);
  if (!params.ok) return params.response;
  const board = await followUpBoardFor(locals, params.lang, params.at);
  if (!board) return apiError(404, 'this campaign has no follow-up (yet): it is shown from the follow-up state on');
  return jsonData(request, toFollowUpJsonV1(board, locals.campaign.campaign, params.at), { frozen: params.at !== null });
};

export const OPTIONS: APIRoute = () => preflight();
