import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDatabase, MIGRATIONS_FOLDER } from '../../src/db/migrate.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
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
    expect(tables.map((r) => r.table_name)).toEqual([
      'account_links',
      'app_settings',
      'audit_log',
      'board_state',
      'login_attempt_counts',
      'login_known_clients',
      'login_known_devices',
      'outbox',
      'parties',
      'pledge_events',
      'pledges',
      'recovery_codes',
      'reminder_runs',
      'reminder_schedule',
      'sessions',
      'statement_moderations',
      'users',
    ]);
    const applied = rowsOf<{ n: number }>(await test.database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
    const files = (await readdir(MIGRATIONS_FOLDER)).filter((f) => f.endsWith('.sql'));
    expect(applied[0]!.n).toBe(files.length);
  });
});

describe('the migrations in drizzle/', () => {
  it('match src/db/schema.ts: drizzle-kit has nothing left to generate', async () => {
    // A copy of the folder, so that a forgotten migration shows up there and not in the repo.
    const dir = await mkdtemp(path.join(PROJECT_ROOT, 'node_modules', '.drizzle-check-'));
    try {
      await cp(MIGRATIONS_FOLDER, path.join(dir, 'drizzle'), { recursive: true });
      const out = path.relative(PROJECT_ROOT, path.join(dir, 'drizzle'));
      const bin = path.join(PROJECT_ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, 'generate', '--dialect', 'postgresql', '--schema', 'src/db/schema.ts', '--out', out],
        { cwd: PROJECT_ROOT },
      );
      expect(stdout).toContain('No schema changes');
      expect(await readdir(path.join(dir, 'drizzle'))).toEqual(await readdir(MIGRATIONS_FOLDER));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
