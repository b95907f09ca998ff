/**
 * The built site, served in this test process on a fresh database (PGlite in memory, or a new
 * Postgres database), so a test can both send HTTP requests and look into the database.
 * One site per test file at a time: the pages find the app through a process-wide context.
 */
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/client.ts';
import type { AppContext } from '../../src/app-context.ts';
import { bootApp, closeApp } from '../../src/server/boot.ts';
import { serve } from '../../src/server/entry.ts';
import { createPostgresDatabase, type EngineName } from './engines.ts';

export interface TestSite {
  url: string;
  origin: string;
  app: AppContext;
  db: Db;
  close(): Promise<void>;
}

export async function startTestSite(engine: EngineName, env: Record<string, string> = {}): Promise<TestSite> {
  const created = engine === 'postgres' ? await createPostgresDatabase() : null;
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env, ...(created ? { DATABASE_URL: created.url } : {}) });
  if (!created) config.database = { engine: 'pglite', dataDir: null };
  const app = await bootApp(config, () => {});
  const { server, url } = await serve(app);
  return {
    url,
    origin: new URL(url).origin,
    app,
    db: app.database.db,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeApp(app);
      await created?.drop();
    },
  };
}
