/**
 * `candidates.json` and `candidates.csv`: every candidate of the campaign (withdrawn ones
 * too, marked) with their signatures. Live only: a signature has no frozen view, so `at` is
 * refused rather than ignored; `lang` picks the goal titles; the CSV takes `sep`.
 */
import type { APIContext } from 'astro';
import { listCandidates, loadStandings } from '../domain/candidates.ts';
import { toCandidatesCsv, toCandidatesJsonV1 } from '../domain/candidates-data.ts';
import { apiError, csvParams, dataResponse, jsonData } from './api.ts';
import { getGoals } from './content.ts';

export async function candidatesDataResponse(context: APIContext, format: 'json' | 'csv'): Promise<Response> {
  const { locals, url, request } = context;
  if (url.searchParams.has('at')) return apiError(400, 'at is not offered for candidates: the files show the lists as they stand');
  const params = csvParams(url);
  if (!params.ok) return params.response;
  if (format === 'json' && url.searchParams.has('sep')) return apiError(400, 'sep is only for the CSV file');
  if (url.searchParams.getAll('lang').length > 1) return apiError(400, 'lang must be "nl" or "en", given once');
  const db = locals.app.database.db;
  const goals = getGoals({ locals }, params.lang);
  const list = await listCandidates(db, locals.campaign.campaign.id);
  const standings = await loadStandings(
    db,
    list.map((c) => c.candidate.id),
  );
  if (format === 'json') return jsonData(request, toCandidatesJsonV1(list, standings, goals));
  return dataResponse(request, toCandidatesCsv(list, standings, goals, params.separator), {
    contentType: 'text/csv; charset=utf-8; header=present',
    headers: {
      'content-disposition': `inline; filename="candidates-${locals.campaign.campaign.slug}${params.separator === 'semicolon' ? '-semicolon' : ''}.csv"`,
    },
  });
}
