import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
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
      'campaign_goals',
      'campaign_parties',
      'campaigns',
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

describe.each(ENGINES)('migration 0016 (outbox went_out_at) on %s', (engine) => {
  let test: TestDatabase | undefined;
  afterEach(() => test?.drop());

  it('gives existing held and sent mails the moment the public record gave them, and no other mail one', async () => {
    test = await createTestDatabase(engine, { migrate: false });
    const { target, database } = test;
    await migrateUpTo(test, 15);
    const mail = (status: string, createdAt: string, sentAt: string | null) => sql`
      insert into outbox (message_key, kind, to_address, locale, from_name, subject, text_body, html_body, status, created_at, sent_at)
      values (${status}, 'invite', 'a@b.example', 'nl', 'C', 'S', 'T', 'H', ${status}::mail_status, ${createdAt}::timestamptz, ${sentAt}::timestamptz)`;
    await database.db.execute(mail('held', '2026-09-01T10:00:00Z', null));
    await database.db.execute(mail('sent', '2026-09-02T10:00:00Z', '2026-09-02T10:05:00Z'));
    await database.db.execute(mail('pending', '2026-09-03T10:00:00Z', null));
    await database.db.execute(mail('failed', '2026-09-04T10:00:00Z', null));
    await migrateDatabase(database, target);
    const rows = rowsOf<{ status: string; went_out_at: string | Date | null }>(
      await database.db.execute(sql`select status, went_out_at from outbox order by created_at`),
    );
    expect(rows.map((r) => [r.status, r.went_out_at === null ? null : new Date(r.went_out_at).toISOString()])).toEqual([
      ['held', '2026-09-01T10:00:00.000Z'],
      ['sent', '2026-09-02T10:05:00.000Z'],
      ['pending', null],
      ['failed', null],
    ]);
  });
});

/** The migrations up to `last` (an idx), from a copy of the folder whose journal stops there. */
async function migrateUpTo({ target, database }: TestDatabase, last: number): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-migrations-'));
  try {
    await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
    const journalFile = path.join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { idx: number }[] };
    await writeFile(journalFile, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx <= last) }));
    if (target.engine === 'pglite') {
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: dir });
    } else {
      const client = postgres(target.url, { max: 1, onnotice: () => {} });
      try {
        await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: dir });
      } finally {
        await client.end({ timeout: 5 });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.each(ENGINES)('migration 0017 (reminder record) on %s', (engine) => {
  let test: TestDatabase | undefined;
  afterEach(() => test?.drop());

  it('takes went_out_at from reminders that were never sent, and gives a held-then-sent one its sent_at', async () => {
    test = await createTestDatabase(engine, { migrate: false });
    const { target, database } = test;
    await migrateUpTo(test, 16);
    const mail = (key: string, kind: string, status: string, createdAt: string) => sql`
      insert into outbox (message_key, kind, to_address, locale, from_name, subject, text_body, html_body, status, created_at)
      values (${key}, ${kind}, 'a@b.example', 'nl', 'C', 'S', 'T', 'H', ${status}::mail_status, ${createdAt}::timestamptz)`;
    await database.db.execute(mail('held-reminder', 'reminder', 'held', '2026-09-01T10:00:00Z'));
    await database.db.execute(mail('sent-later', 'reminder', 'held', '2026-09-02T10:00:00Z'));
    // Held, then taken and sent by a sender: 0016 kept the held moment.
    await database.db.execute(sql`update outbox set status = 'sent', sent_at = '2026-09-05T10:00:00Z' where message_key = 'sent-later'`);
    await database.db.execute(mail('cancelled', 'reminder', 'held', '2026-09-03T10:00:00Z'));
    await database.db.execute(sql`update outbox set status = 'cancelled' where message_key = 'cancelled'`);
    await database.db.execute(mail('held-invite', 'invite', 'held', '2026-09-04T10:00:00Z'));
    await migrateDatabase(database, target);
    const wentOut = async () =>
      rowsOf<{ message_key: string; went_out_at: string | Date | null }>(
        await database.db.execute(sql`select message_key, went_out_at from outbox order by created_at`),
      ).map((r) => [r.message_key, r.went_out_at === null ? null : new Date(r.went_out_at).toISOString()]);
    expect(await wentOut()).toEqual([
      ['held-reminder', null],
      ['sent-later', '2026-09-05T10:00:00.000Z'],
      ['cancelled', null],
      ['held-invite', '2026-09-04T10:00:00.000Z'],
    ]);
    // From now on: a held reminder has none, and a went_out_at the writer supplies is not taken.
    await database.db.execute(sql`
      insert into outbox (message_key, kind, to_address, locale, from_name, subject, text_body, html_body, status, created_at, went_out_at)
      values ('new', 'reminder', 'a@b.example', 'nl', 'C', 'S', 'T', 'H', 'held', '2026-09-06T10:00:00Z', '2026-09-06T10:00:00Z')`);
    await database.db.execute(sql`update outbox set went_out_at = '2026-09-07T10:00:00Z' where message_key in ('new', 'held-reminder')`);
    expect((await wentOut()).filter(([key]) => key === 'new' || key === 'held-reminder')).toEqual([
      ['held-reminder', null],
      ['new', null],
    ]);
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
