/**
 * A digest of every row of every table of the app (read from the catalogue, so a new table is
 * never forgotten): equal before and after means nothing was written.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { rowsOf } from './engines.ts';

export async function databaseFingerprint(db: Db, { except = [] as string[] } = {}): Promise<Record<string, string>> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(
      sql.raw(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`),
    ),
  ).map((row) => row.name);
  if (tables.length < 8) throw new Error(`only ${tables.length} tables found: ${tables.join(', ')}`);
  const digest: Record<string, string> = {};
  for (const table of tables) {
    if (except.includes(table)) continue;
    const [row] = rowsOf<{ digest: string | null }>(
      await db.execute(sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${table}" t`)),
    );
    digest[table] = row!.digest ?? '';
  }
  return digest;
}
