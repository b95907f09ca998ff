/**
 * Starts Pledgeboard on a built app (dist/): configuration, database, then the front server.
 * `npm start` goes through start.ts, which builds first when the sources changed.
 */
import { existsSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setAppContext, type AppContext } from '../app-context.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { ContentError } from '../content-files.ts';
import { DataDirInUseError } from '../db/data-dir-lock.ts';
import { announceAdminSetup, bootApp, closeApp } from './boot.ts';
import { startReminderWorker } from './reminder-worker.ts';
import { DIST_DIR } from './build.ts';
import { createFrontServer, type AstroHandler } from './front.ts';
import { onShutdownSignal } from './shutdown.ts';
import { loadStaticFiles } from './static-files.ts';

/** Prints a start-up problem a person can act on, and exits non-zero. */
export function exitWithProblem(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof DataDirInUseError || error instanceof ContentError;
  console.error(known ? error.message : `Could not start Pledgeboard: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
}

export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    exitWithProblem(error);
  }
}

async function listen(server: http.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${actualPort}`;
}

export interface RunningSite {
  server: http.Server;
  url: string;
}

/** Loads the built Astro handler and opens the front server on the configured port. */
export async function serve(app: AppContext): Promise<RunningSite> {
  const serverEntry = path.join(DIST_DIR, 'server', 'entry.mjs');
  if (!existsSync(serverEntry)) {
    throw new Error('No build found in dist/. Run `npm start` (it builds first) or `npm run build`.');
  }
  setAppContext(app);
  const { handler } = (await import(pathToFileURL(serverEntry).href)) as { handler: AstroHandler };
  const staticFiles = await loadStaticFiles(path.join(DIST_DIR, 'client'));
  const server = createFrontServer({ app, astroHandler: handler, staticFiles });
  const { port, host } = app.config;
  try {
    const url = await listen(server, port, host);
    // Links in mail go to the site's own address, known from here on (see AppContext.siteUrl).
    app.siteUrl = app.config.publicUrl ?? url;
    return { server, url };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError([`PORT=${port}: port ${port} on ${host} is already in use`]);
    }
    throw error;
  }
}

/**
 * Starts this instance's reminder worker (app.reminders). A round that reminded a party changes
 * the public record: the board's version is read again, as after a form, so cached public pages
 * show the new count at once (PGlite has no NOTIFY to tell it).
 */
export function startReminders(app: AppContext, siteUrl: string): void {
  app.reminders = startReminderWorker(app.database.db, {
    siteUrl,
    sending: Boolean(app.config.mail.smtpUrl),
    onSent: () => void app.boardVersion.refresh().catch(() => {}),
  });
}

export async function main(config: Config): Promise<void> {
  const app = await bootApp(config);
  let site: RunningSite;
  try {
    site = await serve(app);
  } catch (error) {
    await closeApp(app);
    throw error;
  }
  onShutdownSignal(site.server, { timeoutMs: config.shutdownTimeoutMs, close: () => closeApp(app) });
  // The demo's board is fictional: nobody to remind.
  if (!config.demo) startReminders(app, app.siteUrl ?? site.url);
  await announceAdminSetup(app, app.siteUrl ?? site.url);
  const where = config.database.engine === 'postgres' ? 'Postgres' : config.database.dataDir ? `PGlite in ${config.database.dataDir}` : 'PGlite in memory';
  console.log(`Pledgeboard listening on ${site.url} (${where})${config.demo ? ' — DEMO DATA' : ''}`);
}

if (import.meta.main) {
  main(loadConfigOrExit()).catch(exitWithProblem);
}
