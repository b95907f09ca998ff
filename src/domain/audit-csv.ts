/**
 * The audit log as a spreadsheet (Beheer → Auditlog → CSV): one row per event of the chosen
 * filter, in language-neutral codes, RFC 4180 with a byte-order mark like the open data.
 * Names, addresses and details are text others typed: guarded against formula injection.
 */
import { stringify } from 'csv-stringify/sync';
import type { AuditLogEntry } from './audit.ts';
import { defuseFormula } from './pledges-csv.ts';

export const AUDIT_CSV_COLUMNS = ['time', 'actor', 'role', 'action', 'subject', 'details'] as const;

/** admin / rep for an account; otherwise what the log knows ("cli", "system", "anonymous"). */
function actorRoleOf(entry: AuditLogEntry): string {
  return entry.actor.role ?? entry.actor.label;
}

export function toAuditCsv(entries: AuditLogEntry[]): string {
  const records = entries.map((entry) => [
    entry.at.toISOString(),
    defuseFormula(entry.actor.name ? `${entry.actor.name} <${entry.actor.label}>` : entry.actor.label),
    actorRoleOf(entry),
    entry.action,
    defuseFormula(entry.subject ?? ''),
    Object.keys(entry.details).length > 0 ? defuseFormula(JSON.stringify(entry.details)) : '',
  ]);
  return stringify(records, { header: true, columns: [...AUDIT_CSV_COLUMNS], bom: true, record_delimiter: 'windows' });
}
