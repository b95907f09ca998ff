/**
 * Fetches one Zaak with its decisions and votes from the Tweede Kamer's OData v4 API
 * (gegevensmagazijn.tweedekamer.nl: free, no key) and reads it with parseZaakResponse.
 * Node's own fetch; every way it can fail is a ZaakError with a message for the admin.
 *
 * The query, as the research notes and the portal's issue #167 write it, plus the day of the
 * sitting (a Besluit has no date; Agendapunt → Activiteit.Datum has, as openkamer/tkapi's
 * Agendapunt.activiteit and berthubert/tkconv's join read it):
 *   Zaak?$filter=Verwijderd eq false and Nummer eq '<n>'
 *       &$expand=Besluit($filter=Verwijderd eq false;
 *                        $expand=Stemming($filter=Verwijderd eq false),Agendapunt($expand=Activiteit($select=Datum)))
 * Options inside $expand are separated by ";" and expanded properties by "," (OData v4 URL
 * conventions, 5.1.2); spaces are sent as %20, as openkamer/tkapi does.
 */
import { parseZaakResponse, TK_ODATA_BASE_URL, ZAAK_NUMBER, ZaakError, type ZaakItem } from './zaak.ts';

export interface FetchZaakOptions {
  /** The service root, ending in "/"; the public API unless given (tests serve their own). */
  baseUrl?: string;
  /** For tests; Node's global fetch unless given. */
  fetch?: typeof globalThis.fetch;
  /** For the whole exchange, headers and body. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/** A roll call with duplicates is well under 1 MB; a bigger answer is not the one asked for. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const ZAAK_FILTER = (number: string) => `Verwijderd eq false and Nummer eq '${number}'`;
const ZAAK_EXPAND = 'Besluit($filter=Verwijderd eq false;$expand=Stemming($filter=Verwijderd eq false),Agendapunt($expand=Activiteit($select=Datum)))';

/** "2025Z19039", checked: nothing else ever reaches the $filter (no quote, no injection). */
export function checkZaakNumber(number: string): string {
  const trimmed = number.trim().toUpperCase();
  if (!ZAAK_NUMBER.test(trimmed)) throw new ZaakError('bad-number', `"${number}" is not a zaak number: expected e.g. 2025Z19039 (year, Z, five digits)`);
  return trimmed;
}

/** The address asked for one number. */
export function zaakQueryUrl(number: string, baseUrl: string = TK_ODATA_BASE_URL): string {
  const root = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const query = `$filter=${encodeURIComponent(ZAAK_FILTER(checkZaakNumber(number)))}&$expand=${encodeURIComponent(ZAAK_EXPAND)}`;
  return `${root}Zaak?${query}`;
}

/** The body as text, refused past the limit (counted as it arrives, not trusted from headers). */
async function readBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await response.body.cancel().catch(() => {});
      throw new ZaakError('too-large', `the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB; not a single zaak`);
    }
    chunks.push(chunk);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** An OData error's own words ({"error":{"message":…}}), when the body has them. */
function odataMessage(body: string): string | null {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' && message.trim() !== '' ? message.trim().slice(0, 300) : null;
  } catch {
    return null;
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/**
 * The item with this number, fresh from the API. Throws ZaakError: bad-number (before any
 * request), timeout, network, http (any status but 200), too-large, bad-json, or what
 * parseZaakResponse refuses (invalid, incomplete, not-found, ambiguous).
 */
export async function fetchZaak(number: string, options: FetchZaakOptions = {}): Promise<ZaakItem> {
  const wanted = checkZaakNumber(number);
  const url = zaakQueryUrl(wanted, options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch ?? globalThis.fetch;
  const signal = AbortSignal.timeout(timeoutMs);
  let body: string;
  try {
    const response = await doFetch(url, { headers: { accept: 'application/json' }, signal, redirect: 'follow' });
    body = await readBody(response);
    if (response.status !== 200) {
      const detail = odataMessage(body);
      throw new ZaakError('http', `the Tweede Kamer's API answered ${response.status} ${response.statusText}`.trim() + (detail ? `: ${detail}` : ''));
    }
  } catch (error) {
    if (error instanceof ZaakError) throw error;
    if (isTimeout(error) || signal.aborted) throw new ZaakError('timeout', `no answer from the Tweede Kamer's API within ${timeoutMs / 1000} s`);
    const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new ZaakError('network', `could not reach the Tweede Kamer's API (${cause})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ZaakError('bad-json', `the API's answer is not JSON (${(error as Error).message})`);
  }
  return parseZaakResponse(json, wanted);
}
