/**
 * How the open-data API answers: CORS open for GET, an ETag on every response (304 when the
 * reader already has it), caching headers a CDN can follow, and errors as `{ "error": … }`.
 */
import { parseAt } from '../domain/as-of.ts';
import { LOCALES, type Locale } from '../domain/campaign.ts';
import { CSV_SEPARATORS, type CsvSeparator } from '../domain/pledges-csv.ts';
import { FROZEN_PAGE_CACHE, PUBLIC_PAGE_CACHE } from './cache-headers.ts';
import { etagMatches, strongEtag } from './etag.ts';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, Link',
};

/** Live data may change any moment; a frozen view (`?at=`) never does. */
function cacheControl(frozen: boolean): string {
  return frozen ? FROZEN_PAGE_CACHE : PUBLIC_PAGE_CACHE;
}

export function dataResponse(
  request: Request,
  body: string | Uint8Array,
  { contentType, frozen = false, headers = {} }: { contentType: string; frozen?: boolean; headers?: Record<string, string> },
): Response {
  const etag = strongEtag(body);
  const common = { ...CORS, etag, 'cache-control': cacheControl(frozen), vary: 'Accept-Encoding', ...headers };
  if (etagMatches(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers: common });
  return new Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers: { ...common, 'content-type': contentType } });
}

export function jsonData(request: Request, value: unknown, options: { frozen?: boolean; headers?: Record<string, string> } = {}): Response {
  return dataResponse(request, JSON.stringify(value), { contentType: 'application/json; charset=utf-8', ...options });
}

export function apiError(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: { ...CORS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** The answer to a CORS preflight (e.g. a GET with If-None-Match from another site). */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS,
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'If-None-Match',
      'access-control-max-age': '86400',
    },
  });
}

const AT_MESSAGES = {
  'at.invalid': 'at must be an ISO-8601 timestamp with a time zone, e.g. 2026-05-01T12:00:00Z',
  'at.future': 'at must not be in the future',
  'at.outOfRange': 'at must be a moment from the year 2000 on',
} as const;

export type ApiParams = { ok: true; lang: Locale; at: Date | null } | { ok: false; response: Response };

/** The query every data endpoint understands: `lang` (nl | en) and `at` (a frozen moment). */
export function apiParams(url: URL): ApiParams {
  const lang = url.searchParams.get('lang') ?? 'nl';
  if (!(LOCALES as readonly string[]).includes(lang)) return { ok: false, response: apiError(400, 'lang must be "nl" or "en"') };
  const at = parseAt(url.searchParams.get('at'));
  if (!at.ok) return { ok: false, response: apiError(400, AT_MESSAGES[at.message]) };
  return { ok: true, lang: lang as Locale, at: at.at };
}

export type CsvParams = { ok: true; lang: Locale; at: Date | null; separator: CsvSeparator } | { ok: false; response: Response };

/** The CSV files also take `sep` (comma | semicolon): the dialect, see src/domain/pledges-csv.ts. */
export function csvParams(url: URL): CsvParams {
  const params = apiParams(url);
  if (!params.ok) return params;
  const all = url.searchParams.getAll('sep');
  const separator = CSV_SEPARATORS.find((s) => s === (all[0] ?? 'comma'));
  if (!separator || all.length > 1) return { ok: false, response: apiError(400, 'sep must be "comma" or "semicolon", given once') };
  return { ...params, separator };
}

/**
 * A CSV file: its name says what it holds, the moment (`live` or the frozen time) and, for a
 * Dutch spreadsheet, the dialect: `pledgeboard-wide-live-semicolon.csv`.
 */
export function csvResponse(
  request: Request,
  body: string,
  { shape, at, separator }: { shape: 'long' | 'wide' | 'follow-up'; at: Date | null; separator: CsvSeparator },
): Response {
  const moment = at ? at.toISOString().slice(0, 19).replace(/:/g, '') : 'live';
  const name = ['pledgeboard', shape === 'long' ? null : shape, moment, separator === 'semicolon' ? 'semicolon' : null].filter(Boolean).join('-');
  return dataResponse(request, body, {
    contentType: 'text/csv; charset=utf-8; header=present',
    frozen: at !== null,
    headers: { 'content-disposition': `inline; filename="${name}.csv"` },
  });
}
