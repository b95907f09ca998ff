/**
 * Brings the app's state up before the port opens: database, migrations, and the data a first
 * start needs (the first campaign and party list from content/, or the fictional demo board).
 */
import type { AppContext } from '../app-context.ts';
import type { Config } from '../config.ts';
import { readCampaign, readGoals, readParties } from '../content-files.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { seedDemoBoard } from '../demo/demo-board.ts';
import { createAdminSetupLink } from '../domain/admin-setup-links.ts';
import { SYSTEM_ACTOR } from '../domain/actors.ts';
import { FIRST_CAMPAIGN_ID, importContentCampaign } from '../domain/content-import.ts';
import { importInitialParties } from '../domain/parties.ts';
import { hasActiveAdmin } from '../domain/users.ts';
import { linkPath } from '../i18n/routes.ts';
import { ResetRequestQueue } from '../auth/forgot-password.ts';
import { trackBoardVersion } from './board-version.ts';
import { DatabaseHealth } from './database-health.ts';
import { startMailWorker } from './mail-sender.ts';

export async function bootApp(config: Config, log: (line: string) => void = console.log): Promise<AppContext> {
  const database = await openPreparedDatabase(config, log);
  try {
    const boardVersion = await trackBoardVersion(database, config.database, log);
    // Mail that went out may change the public record (who was asked, reminded): read the
    // board's version again, as after a form (on Postgres, NOTIFY says so too).
    const mail = startMailWorker(database.db, config.mail, { log, onHandled: () => void boardVersion.refresh().catch(() => {}) });
    if (!config.mail.smtpUrl) log('Mail is not sent (SMTP_URL is not set): it is kept in the outbox, see Beheer → Mail or `npm run cli -- outbox`.');
    const resetRequests = new ResetRequestQueue(database.db, { log });
    return { database, config, boardVersion, mail, resetRequests, health: new DatabaseHealth(() => database.ping(), log) };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Stops what bootApp started. */
export async function closeApp(app: AppContext): Promise<void> {
  app.health.stop();
  await app.reminders?.stop();
  // Reset requests already answered still get their mail (into the outbox, before it stops).
  await app.resetRequests.idle();
  await app.mail.stop();
  await app.boardVersion.close();
  await app.database.close();
}

/** The database, migrated and holding what a first start puts in (for the server and the CLI). */
export async function openPreparedDatabase(config: Config, log: (line: string) => void): Promise<Database> {
  const database = await openDatabase(config.database);
  try {
    await migrateDatabase(database, config.database);
    const [definition, nl, en] = await Promise.all([readCampaign(), readGoals('nl'), readGoals('en')]);
    if (await importContentCampaign(database.db, definition, { nl, en })) log(`First start: imported the campaign "${definition.slug}" from content/.`);
    if (config.demo) {
      await seedDemoBoard(database.db, FIRST_CAMPAIGN_ID, nl);
      log('Demo board: fictional parties and pledges, in memory only.');
    } else {
      const added = await importInitialParties(database.db, FIRST_CAMPAIGN_ID, await readParties());
      if (added > 0) log(`First start: imported ${added} parties from content/parties.yaml.`);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** Without an admin nobody can run the campaign: print a one-time link to create the first. */
export async function announceAdminSetup(app: AppContext, siteUrl: string, log: (line: string) => void = console.log): Promise<void> {
  if (await hasActiveAdmin(app.database.db)) return;
  const result = await createAdminSetupLink(app.database.db, {}, { actor: SYSTEM_ACTOR });
  if (result.status !== 'created') return;
  log('There is no admin yet. Open this one-time link (valid for 24 hours) to create the first admin account:');
  log(siteUrl + linkPath('admin-setup', result.token));
}
