import type { APIRoute } from 'astro';
import { toFollowUpCsv } from '../../../domain/follow-up-board.ts';
import { apiError, csvParams, csvResponse, preflight } from '../../../site/api.ts';
import { followUpBoardFor } from '../../../site/follow-up-route.ts';

/** One row per party × goal: stance, current follow-up rating, votes summary; ?lang=, ?at=, ?sep=. */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = csvParams(url);
  if (!params.ok) return params.response;
  const board = await followUpBoardFor(locals, params.lang, params.at);
  if (!board) return apiError(404, 'this campaign has no follow-up (yet): it is shown from the follow-up state on');
  return csvResponse(request, toFollowUpCsv(board, params.separator), { shape: 'follow-up', at: params.at, separator: params.separator });
};

export const OPTIONS: APIRoute = () => preflight();
