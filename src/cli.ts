/**
 * The admin command line. Each command prints its one-time link as the last line of output.
 *
 *   npm run cli -- create-admin --email E          link to set up an admin account
 *   npm run cli -- invite --party SLUG --email E   invitation to represent a party
 *
 * On PGlite the data folder belongs to one process: stop the server first (or use the admin
 * pages, which can create invitations while it runs).
 */
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config.ts';
import { DataDirInUseError } from './db/data-dir-lock.ts';
import { openPreparedDatabase } from './server/boot.ts';
import { CLI_ACTOR } from './domain/actors.ts';
import { createAdminSetupLink } from './domain/admin-setup-links.ts';
import { createInvite } from './domain/invites.ts';
import { linkPath } from './i18n/routes.ts';

const USAGE = `Usage:
  npm run cli -- create-admin --email E
  npm run cli -- invite --party SLUG --email E`;

class UsageError extends Error {}

function siteUrl(config: ReturnType<typeof loadConfig>): string {
  return config.publicUrl ?? `http://localhost:${config.port || 4321}`;
}

async function run(argv: string[]): Promise<string[]> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, party: { type: 'string' }, help: { type: 'boolean' } },
  });
  const [command] = positionals;
  if (values.help || !command) throw new UsageError(USAGE);
  if (command !== 'create-admin' && command !== 'invite') throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  if (!values.email) throw new UsageError(`--email is required.\n${USAGE}`);
  if (command === 'invite' && !values.party) throw new UsageError(`--party is required.\n${USAGE}`);

  const config = loadConfig();
  // Like a first start of the server: migrations and the initial party list.
  const database = await openPreparedDatabase(config, (line) => console.log(line));
  try {
    if (command === 'create-admin') {
      const result = await createAdminSetupLink(database.db, { email: values.email }, { actor: CLI_ACTOR });
      if (result.status === 'invalid') throw new UsageError(`"${values.email}" is not a valid email address.`);
      if (result.status === 'email-taken') throw new UsageError(`An account with ${values.email} exists already.`);
      return [`Admin setup link for ${values.email} (single use, valid for 24 hours):`, siteUrl(config) + linkPath('admin-setup', result.token)];
    }
    const result = await createInvite(database.db, { partySlug: values.party!, email: values.email }, { actor: CLI_ACTOR });
    switch (result.status) {
      case 'invalid':
        throw new UsageError(`"${values.email}" is not a valid email address.`);
      case 'unknown-party':
        throw new UsageError(`There is no party with slug "${values.party}" on the board.`);
      case 'email-taken':
        throw new UsageError(`An account with ${values.email} exists already.`);
      case 'created':
        return [
          `Invitation for ${result.link.email} to represent ${values.party} (single use, valid for 7 days):`,
          siteUrl(config) + linkPath('invite', result.token),
        ];
    }
  } finally {
    await database.close();
  }
}

if (import.meta.main) {
  run(process.argv.slice(2)).then(
    (lines) => console.log(lines.join('\n')),
    (error: unknown) => {
      const known = error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirInUseError;
      console.error(known ? error.message : `cli failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
