/**
 * Opens the database: real Postgres through postgres.js when a URL is given, else embedded
 * PGlite in a data folder (or in memory). Both speak the same schema and migrations, so the
 * rest of the app sees one drizzle type and never asks which engine it runs on.
 */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.ts';
import { lockDataDir } from './data-dir-lock.ts';

type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  | { engine: 'postgres'; url: string }
  /** dataDir null keeps everything in memory: demo boards and tests. */
  | { engine: 'pglite'; dataDir: string | null };

export interface Database {
  db: Db;
  engine: DatabaseTarget['engine'];
  /** Resolves when the database answers a trivial query, rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.engine === 'postgres' ? openPostgres(target.url) : openPglite(target.dataDir);
}

function openPostgres(url: string): Database {
  const client = postgres(url, {
    max: 10,
    connect_timeout: 5,
    // Postgres notices (e.g. "relation already exists, skipping") are not errors; keep logs clean.
    onnotice: () => {},
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string | null): Promise<Database> {
  // Two processes on one PGlite folder would corrupt it; the lock refuses the second one.
  const unlock = dataDir ? await lockDataDir(dataDir) : () => {};
  let client: PGlite;
  try {
    client = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await client.close();
      unlock();
    },
  };
}
