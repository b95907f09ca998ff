import type { APIRoute } from 'astro';
import { loadScoreboard } from '../../../domain/scoreboard.ts';
import { toScoreboardJsonV1 } from '../../../domain/scoreboard-json.ts';
import { apiParams, jsonData, preflight } from '../../../site/api.ts';
import { getCampaign, getGoals } from '../../../site/content.ts';

/** The public scoreboard contract (DESIGN.md): goal titles in ?lang=, the past with ?at=. */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = apiParams(url);
  if (!params.ok) return params.response;
  const goals = await getGoals(params.lang);
  const board = await loadScoreboard(locals.app.database.db, goals, params.at);
  return jsonData(request, toScoreboardJsonV1(board, await getCampaign(), params.lang, params.at), { frozen: params.at !== null });
};

export const OPTIONS: APIRoute = () => preflight();
