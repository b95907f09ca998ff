import type { APIRoute } from 'astro';
import { toPledgesCsv } from '../../../domain/pledges-csv.ts';
import { loadScoreboard } from '../../../domain/scoreboard.ts';
import { csvParams, csvResponse, preflight } from '../../../site/api.ts';
import { getGoals } from '../../../site/content.ts';

/** One row per party × goal; goal titles in ?lang=, the past with ?at=, ?sep=semicolon for Excel nl-NL. */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = csvParams(url);
  if (!params.ok) return params.response;
  const board = await loadScoreboard(locals.app.database.db, locals.campaign.campaign.id, getGoals({ locals }, params.lang), params.at);
  return csvResponse(request, toPledgesCsv(board, params.separator), { shape: 'long', at: params.at, separator: params.separator });
};

export const OPTIONS: APIRoute = () => preflight();
