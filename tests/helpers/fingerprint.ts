/**
 * A digest of every row of every table: equal before and after means nothing was written.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { rowsOf } from './engines.ts';

const TABLES = [
  'parties',
  'pledges',
  'pledge_events',
  'users',
  'sessions',
  'account_links',
  'audit_log',
  'statement_moderations',
  'app_settings',
] as const;

export async function databaseFingerprint(db: Db, { except = [] as string[] } = {}): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  for (const table of TABLES) {
    if (except.includes(table)) continue;
    const [row] = rowsOf<{ digest: string | null }>(
      await db.execute(sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${table} t`)),
    );
    digest[table] = row!.digest ?? '';
  }
  return digest;
}
