/**
 * The board as a spreadsheet (`GET /api/v1/pledges.csv`): one row per party × goal, RFC 4180
 * (CRLF, quoted where needed), UTF-8 with a byte-order mark so that Excel reads the accents.
 */
import { stringify } from 'csv-stringify/sync';
import type { Goal } from './campaign.ts';
import type { Scoreboard } from './scoreboard.ts';

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
] as const;

/**
 * A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula. Such text (only in
 * this file, never on the site) gets a leading apostrophe, the usual guard against formula
 * injection; the party's words are otherwise unchanged.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toPledgesCsv(board: Scoreboard<Goal>): string {
  const records = board.rows.flatMap((row) =>
    row.cells.map((cell, i) => {
      const goal = board.goals[i]!;
      const pledge = cell.pledge;
      return [
        row.party.slug,
        defuseFormula(row.party.name),
        defuseFormula(row.party.abbreviation),
        row.party.seats,
        goal.number,
        goal.slug,
        goal.title,
        cell.stance,
        cell.hiddenReason ? '' : defuseFormula(pledge?.statement ?? ''),
        defuseFormula(cell.hiddenReason ?? ''),
        pledge?.evidenceUrl ?? '',
        pledge?.evidencePage ?? '',
        pledge?.updatedAt.toISOString() ?? '',
      ];
    }),
  );
  return stringify(records, { header: true, columns: [...CSV_COLUMNS], bom: true, record_delimiter: 'windows' });
}
