import type { APIRoute } from 'astro';
import { toPledgesCsv } from '../../../domain/pledges-csv.ts';
import { loadScoreboard } from '../../../domain/scoreboard.ts';
import { apiParams, dataResponse, preflight } from '../../../site/api.ts';
import { getGoals } from '../../../site/content.ts';

/** One row per party × goal; goal titles in ?lang=, the past with ?at=. */
export const GET: APIRoute = async ({ locals, url, request }) => {
  const params = apiParams(url);
  if (!params.ok) return params.response;
  const board = await loadScoreboard(locals.app.database.db, await getGoals(params.lang), params.at);
  const name = `pledgeboard-${params.at ? params.at.toISOString().slice(0, 19).replace(/:/g, '') : 'live'}.csv`;
  return dataResponse(request, toPledgesCsv(board), {
    contentType: 'text/csv; charset=utf-8; header=present',
    frozen: params.at !== null,
    headers: { 'content-disposition': `inline; filename="${name}"` },
  });
};

export const OPTIONS: APIRoute = () => preflight();
