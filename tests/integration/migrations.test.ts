import { sql } from 'drizzle-orm';
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDatabase, MIGRATIONS_FOLDER } from '../../src/db/migrate.ts';
import { createTestDatabase, ENGINES, rowsOf, type TestDatabase } from '../helpers/engines.ts';

describe.each(ENGINES)('migrations on %s', (engine) => {
  let test: TestDatabase | undefined;
  afterEach(() => test?.drop());

  it('create every table on an empty database, and a second run changes nothing', async () => {
    test = await createTestDatabase(engine, { migrate: false });
    await migrateDatabase(test.database, test.target);
    await migrateDatabase(test.database, test.target);
    const tables = rowsOf<{ table_name: string }>(
      await test.database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`),
    );
    expect(tables.map((r) => r.table_name)).toEqual(['account_links', 'app_settings', 'audit_log', 'board_state', 'login_attempts', 'parties', 'pledge_events', 'pledges', 'sessions', 'statement_moderations', 'users']);
    const applied = rowsOf<{ n: number }>(await test.database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
    const files = (await readdir(MIGRATIONS_FOLDER)).filter((f) => f.endsWith('.sql'));
    expect(applied[0]!.n).toBe(files.length);
  });
});
