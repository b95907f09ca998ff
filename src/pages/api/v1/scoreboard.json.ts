import type { APIRoute } from 'astro';
import { loadScoreboard } from '../../../domain/scoreboard.ts';
import { pledgingStateOf } from '../../../domain/pledging-window.ts';
import { toScoreboardJsonV1 } from '../../../domain/scoreboard-json.ts';
import { loadOutreach } from '../../../domain/outreach.ts';
import { apiParams, jsonData, preflight } from '../../../site/api.ts';
import { getCampaign, getGoals } from '../../../site/content.ts';

/** The public scoreboard contract (DESIGN.md): goal titles in ?lang=, the past with ?at=. */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = apiParams(url);
  if (!params.ok) return params.response;
  const goals = getGoals({ locals }, params.lang);
  const { db } = locals.app.database;
  const campaign = getCampaign({ locals });
  const pledging = pledgingStateOf(campaign);
  const [board, outreach] = await Promise.all([loadScoreboard(db, campaign.id, goals, params.at), loadOutreach(db, campaign.id, { asOf: params.at })]);
  return jsonData(request, toScoreboardJsonV1(board, campaign, pledging, params.lang, params.at, outreach), { frozen: params.at !== null });
};

export const OPTIONS: APIRoute = () => preflight();
