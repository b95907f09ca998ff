/**
 * The status board's address (Beheer's first page): `?sorteer=<column>&richting=op|af` orders
 * it, `?export=csv` downloads it. Dutch words in both languages, like the audit log's filters.
 * A made-up column or direction, or a parameter given twice with different values, is bad
 * input: the page answers 400 with a note (the CSV a plain 400), never a guess.
 */
import { STATUS_SORTS, type SortDirection, type StatusSort } from '../domain/status-board.ts';

/** The column words in the address. */
const STATUS_SORT_WORDS: Record<StatusSort, string> = {
  next: 'actie',
  party: 'partij',
  asked: 'gevraagd',
  reminders: 'herinneringen',
  representatives: 'vertegenwoordigers',
  answered: 'beantwoord',
  changed: 'gewijzigd',
};
const DIRECTION_WORDS: Record<SortDirection, string> = { asc: 'op', desc: 'af' };

/** The order a column starts in when first chosen: the most telling first. */
export const FIRST_DIRECTION: Record<StatusSort, SortDirection> = {
  next: 'asc',
  party: 'asc',
  asked: 'asc',
  reminders: 'desc',
  representatives: 'asc',
  answered: 'asc',
  changed: 'desc',
};

export type StatusQuery =
  | { ok: true; sort: StatusSort; direction: SortDirection; export: boolean }
  /** Bad: the board is shown in its default order, with a note (or a 400 for the export). */
  | { ok: false; sort: StatusSort; direction: SortDirection; export: boolean };

const DEFAULT_STATUS_SORT: StatusSort = 'next';

export function parseStatusQuery(params: URLSearchParams): StatusQuery {
  let ok = true;
  const one = (name: string): string => {
    const values = [...new Set(params.getAll(name))];
    if (values.length > 1) ok = false;
    return values[0] ?? '';
  };
  const sortWord = one('sorteer');
  const directionWord = one('richting');
  const exportWord = one('export');
  const sort = STATUS_SORTS.find((key) => STATUS_SORT_WORDS[key] === sortWord);
  if (sortWord !== '' && !sort) ok = false;
  const direction = (Object.keys(DIRECTION_WORDS) as SortDirection[]).find((key) => DIRECTION_WORDS[key] === directionWord);
  if (directionWord !== '' && !direction) ok = false;
  if (exportWord !== '' && exportWord !== 'csv') ok = false;
  const chosen = ok ? (sort ?? DEFAULT_STATUS_SORT) : DEFAULT_STATUS_SORT;
  return { ok, sort: chosen, direction: ok ? (direction ?? FIRST_DIRECTION[chosen]) : FIRST_DIRECTION[chosen], export: exportWord !== '' };
}

/** The query for an order (and the export): the default order's words are left out. */
export function statusQueryString(sort: StatusSort, direction: SortDirection, { csv = false } = {}): string {
  const search = new URLSearchParams();
  if (sort !== DEFAULT_STATUS_SORT || direction !== FIRST_DIRECTION[sort]) {
    search.set('sorteer', STATUS_SORT_WORDS[sort]);
    search.set('richting', DIRECTION_WORDS[direction]);
  }
  if (csv) search.set('export', 'csv');
  const text = search.toString();
  return text ? `?${text}` : '';
}
