/**
 * The champions page's filters from its address: `?partij=<slug>&woonplaats=<place>`
 * (`?party=…&place=…` in English). An empty value is no filter. A value given twice (with
 * different values), a party slug that is not one, or a place that no place can be (too long,
 * a line break, a control character) is bad input: the page answers 400 with a note and the
 * whole list, never a guess.
 */
import type { Locale } from '../domain/campaign.ts';
import { isPartySlug } from '../domain/parties.ts';
import { hasForbiddenCharacters, oneLine } from '../domain/text.ts';
import { queryName } from '../i18n/routes.ts';

const PLACE_MAX_LENGTH = 100;

export type CandidatesQuery = { ok: true; party: string | null; place: string | null; page: number } | { ok: false; party: null; place: null; page: 1 };

/** Pages beyond this are not a list anyone reads: a made-up address. */
const MAX_PAGE = 1000;

export function parseCandidatesQuery(search: URLSearchParams, locale: Locale): CandidatesQuery {
  let ok = true;
  const one = (name: string): string | null => {
    const values = [...new Set(search.getAll(name))];
    if (values.length > 1) ok = false;
    const value = values[0]?.trim() ?? '';
    return value === '' ? null : value;
  };
  const party = one(queryName('party', locale));
  const place = one(queryName('place', locale));
  const pageText = one(queryName('page', locale));
  const page = pageText === null ? 1 : /^[1-9][0-9]{0,3}$/.test(pageText) ? Number(pageText) : NaN;
  if (!(page >= 1 && page <= MAX_PAGE)) ok = false;
  if (party !== null && !isPartySlug(party)) ok = false;
  if (place !== null && (place.length > PLACE_MAX_LENGTH || hasForbiddenCharacters(place) || !oneLine(place))) ok = false;
  return ok ? { ok, party, place, page } : { ok, party: null, place: null, page: 1 };
}
