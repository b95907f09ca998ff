/**
 * The database engines a test runs on: PGlite always, real Postgres when DATABASE_URL is set.
 * Each test database is new and private (a fresh PGlite in memory, or a fresh Postgres
 * database created for the test and dropped after), so test files can run in parallel.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database, type DatabaseTarget } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';

export type EngineName = DatabaseTarget['engine'];

// In CI every database test must also run on Postgres: without it, a quiet skip would pass.
if (process.env.CI === 'true' && !process.env.DATABASE_URL) {
  throw new Error('CI=true but DATABASE_URL is not set: the tests must run on real Postgres too (see .ci/run).');
}

export const ENGINES: EngineName[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  database: Database;
  target: DatabaseTarget;
  /** Closes the connection and removes the database. */
  drop(): Promise<void>;
}

/** A new, empty Postgres database on the DATABASE_URL server; returns its URL and a dropper. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `pb_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleaner = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleaner.unsafe(`drop database if exists "${name}" with (force)`);
      await cleaner.end();
    },
  };
}

export async function createTestDatabase(engine: EngineName, { migrate = true } = {}): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const target: DatabaseTarget = { engine: 'pglite', dataDir: null };
    const database = await openDatabase(target);
    if (migrate) await migrateDatabase(database, target);
    return { database, target, drop: () => database.close() };
  }
  const created = await createPostgresDatabase();
  const target: DatabaseTarget = { engine: 'postgres', url: created.url };
  const database = await openDatabase(target);
  if (migrate) await migrateDatabase(database, target);
  return {
    database,
    target,
    drop: async () => {
      await database.close();
      await created.drop();
    },
  };
}

export { rowsOf } from '../../src/db/rows.ts';
