/**
 * The board as a spreadsheet, in two shapes and two dialects.
 *
 * - `pledges.csv` (long): one row per party × goal, every field (`CSV_COLUMNS`).
 * - `pledges-wide.csv` (wide): one row per party, a group of columns per goal
 *   (`wideCsvColumns`): the shape a journalist sorts and filters in a spreadsheet.
 *
 * Dialects (`?sep=`): `comma` is RFC 4180 (CRLF, quoted where needed); `semicolon` is what a
 * Dutch Excel opens with a double click: `;` between fields and a decimal comma in numbers with
 * decimals. Both are UTF-8 with a byte-order mark, so that Excel reads the accents (the long
 * file had one from the start, and that is documented; the wide one keeps to it).
 */
import { stringify } from 'csv-stringify/sync';
import type { Goal } from './campaign.ts';
import { checkData, type PledgeCheck } from './checks.ts';
import type { Scoreboard } from './scoreboard.ts';

/**
 * The check's columns (pledges.csv and follow-up.csv, at their end): the campaign's check of
 * the version shown and the party's reply (added in 1.7); the copy of the evidence page the
 * check kept, and what became of the page since (added in 1.8).
 */
export const CHECK_CSV_FIELDS = [
  'check_status',
  'checked_at',
  'check_reason',
  'check_quote',
  'check_page',
  'check_url',
  'check_reply',
  'check_reply_hidden_reason',
  'evidence_fetched_at',
  'evidence_http_status',
  'evidence_refusal',
  'evidence_content_type',
  'evidence_size',
  'evidence_sha256',
  'evidence_since',
] as const;
export const CSV_COLUMNS = [
  'party_slug',
  'party_name',
  'party_abbreviation',
  'party_seats',
  'goal_number',
  'goal_slug',
  'goal_title',
  'stance',
  'statement',
  'statement_hidden_reason',
  'evidence_url',
  'evidence_page',
  'updated_at',
  // Added in 1.7 (1.8: the evidence columns): the campaign's check of the version shown.
  ...CHECK_CSV_FIELDS,
] as const;

type CheckCsvField = (typeof CHECK_CSV_FIELDS)[number];

/** The check's columns of each goal in the wide file (added in 1.8, after `updated_at`): the spreadsheet's few. */
const WIDE_CHECK_FIELDS = [
  'check_status',
  'checked_at',
  'check_reason',
  'check_url',
  'check_reply',
  'evidence_since',
] as const satisfies readonly CheckCsvField[];

/** A check as the CSV files write it: the campaign's and the party's words defused, numbers in the dialect. */
function checkCsvRecord(check: PledgeCheck | null, separator: CsvSeparator): Record<CheckCsvField, string> {
  const data = checkData(check);
  const evidence = data.evidence;
  return {
    check_status: data.status,
    checked_at: data.checkedAt ?? '',
    check_reason: defuseFormula(data.reason ?? ''),
    check_quote: defuseFormula(data.quote ?? ''),
    check_page: csvNumber(data.page, separator),
    check_url: data.url ?? '',
    check_reply: defuseFormula(data.reply?.text ?? ''),
    check_reply_hidden_reason: defuseFormula(data.reply?.hiddenReason ?? ''),
    evidence_fetched_at: evidence?.fetchedAt ?? '',
    evidence_http_status: csvNumber(evidence?.httpStatus, separator),
    evidence_refusal: evidence?.refusal ?? '',
    evidence_content_type: defuseFormula(evidence?.contentType ?? ''),
    evidence_size: csvNumber(evidence?.size, separator),
    evidence_sha256: evidence?.sha256 ?? '',
    evidence_since: data.since ?? '',
  };
}

/** The check's values in CHECK_CSV_FIELDS order. */
export function checkCsvValues(check: PledgeCheck | null, separator: CsvSeparator): string[] {
  const record = checkCsvRecord(check, separator);
  return CHECK_CSV_FIELDS.map((field) => record[field]);
}

/** The party columns of the wide file; then `goal<n>_<field>` per goal; then `updated_at`. */
const WIDE_PARTY_COLUMNS = ['party_slug', 'party_name', 'party_abbreviation', 'party_seats', 'goals_committed'] as const;
const WIDE_GOAL_FIELDS = ['stance', 'statement', 'statement_hidden_reason', 'evidence_url'] as const;

export const CSV_SEPARATORS = ['comma', 'semicolon'] as const;
export type CsvSeparator = (typeof CSV_SEPARATORS)[number];

interface Dialect {
  delimiter: string;
  decimal: string;
}
const DIALECTS: Record<CsvSeparator, Dialect> = {
  comma: { delimiter: ',', decimal: '.' },
  semicolon: { delimiter: ';', decimal: ',' },
};

/**
 * A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula. Such text (only in
 * this file, never on the site) gets a leading apostrophe, the usual guard against formula
 * injection; the party's words are otherwise unchanged.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A number as the dialect writes it: `2.5` or, for a Dutch spreadsheet, `2,5`. Empty for none. */
export function csvNumber(value: number | null | undefined, separator: CsvSeparator): string {
  if (value === null || value === undefined) return '';
  return String(value).replace('.', DIALECTS[separator].decimal);
}

/** A file in a dialect: header first, UTF-8 with a byte-order mark, CRLF line ends. */
export function writeCsv(header: readonly string[], records: string[][], separator: CsvSeparator): string {
  return stringify(records, {
    header: true,
    columns: [...header],
    bom: true,
    record_delimiter: 'windows',
    delimiter: DIALECTS[separator].delimiter,
  });
}

export function toPledgesCsv(board: Scoreboard<Goal>, separator: CsvSeparator = 'comma'): string {
  const records = board.rows.flatMap((row) =>
    row.cells.map((cell, i) => {
      const goal = board.goals[i]!;
      const pledge = cell.pledge;
      return [
        row.party.slug,
        defuseFormula(row.party.name),
        defuseFormula(row.party.abbreviation),
        csvNumber(row.party.seats, separator),
        csvNumber(goal.number, separator),
        goal.slug,
        goal.title,
        cell.stance,
        cell.hiddenReason ? '' : defuseFormula(pledge?.statement ?? ''),
        defuseFormula(cell.hiddenReason ?? ''),
        pledge?.evidenceUrl ?? '',
        csvNumber(pledge?.evidencePage, separator),
        pledge?.updatedAt.toISOString() ?? '',
        ...checkCsvValues(cell.check, separator),
      ];
    }),
  );
  return writeCsv(CSV_COLUMNS, records, separator);
}

/**
 * The wide file's header for these goals: `goal1_stance`, `goal1_statement`, … in goal order,
 * `updated_at`, then (added in 1.8, at the end so that no column moves) `goal1_check_status`, ….
 */
export function wideCsvColumns(goals: readonly { number: number }[]): string[] {
  const ordered = [...goals].sort((a, b) => a.number - b.number);
  const perGoal = (fields: readonly string[]) => ordered.flatMap((g) => fields.map((field) => `goal${g.number}_${field}`));
  return [...WIDE_PARTY_COLUMNS, ...perGoal(WIDE_GOAL_FIELDS), 'updated_at', ...perGoal(WIDE_CHECK_FIELDS)];
}

/**
 * One row per party, in the board's order. `goals_committed` counts the goals the party
 * committed to in full; `updated_at` is the party's latest pledge change (empty if none).
 */
export function toWidePledgesCsv(board: Scoreboard<Goal>, separator: CsvSeparator = 'comma'): string {
  const records = board.rows.map((row) => {
    const latest = row.cells.reduce<Date | null>((max, cell) => {
      const at = cell.pledge?.updatedAt;
      return at && (!max || at > max) ? at : max;
    }, null);
    return [
      row.party.slug,
      defuseFormula(row.party.name),
      defuseFormula(row.party.abbreviation),
      csvNumber(row.party.seats, separator),
      csvNumber(row.counts.committed, separator),
      ...row.cells.flatMap((cell) => [
        cell.stance,
        cell.hiddenReason ? '' : defuseFormula(cell.pledge?.statement ?? ''),
        defuseFormula(cell.hiddenReason ?? ''),
        cell.pledge?.evidenceUrl ?? '',
      ]),
      latest?.toISOString() ?? '',
      ...row.cells.flatMap((cell) => {
        const check = checkCsvRecord(cell.check, separator);
        return WIDE_CHECK_FIELDS.map((field) => check[field]);
      }),
    ];
  });
  return writeCsv(wideCsvColumns(board.goals), records, separator);
}
