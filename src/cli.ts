/**
 * The admin command line. Each command prints its one-time link as the last line of output.
 *
 *   npm run cli -- create-admin --email E          link to set up an admin account
 *   npm run cli -- invite --party SLUG --email E   invitation to represent a party (mailed;
 *        --email may be given several times, --locale en for an English mail)
 *   npm run cli -- add-party --name N --abbreviation A --slug S [--website URL] [--seats N]
 *        adds a party to the registry and to the current campaign (or --campaign SLUG)
 *   npm run cli -- import-candidates --campaign SLUG --file F
 *        imports the Kiesraad's candidate lists (EML_NL 230 or its CSV) into a campaign; a
 *        file that does not parse is refused whole, naming the line and the field
 *   npm run cli -- import-zaak --campaign SLUG --goal SLUG (--number N | --file F) [--effect advances|undermines]
 *        links a Tweede Kamer Zaak (motion, amendment, bill) to a goal with its decision and
 *        votes, from the open data API (TK_ODATA_URL, else the public one) or a saved OData
 *        response; a new import of the same Zaak for the goal adds to it (earlier imports stay
 *        as published). Prints the decision, the votes and the fractions no party matches
 *   npm run cli -- unlink-zaak --campaign SLUG --goal SLUG --number N --reason TEXT
 *        takes a wrongly linked Zaak off a goal, with a short reason shown publicly (views of earlier
 *        moments still show it; importing it again links it again)
 *   npm run cli -- map-fraction --campaign SLUG --fraction NAME (--party SLUG | --none)
 *        says once which party a parliamentary fraction is, or that it is none of the campaign's
 *   npm run cli -- outbox                          the mail outbox: failed first, then waiting, then sent
 *   npm run cli -- send-reminders [--now ISO]      send the scheduled reminders that are due (the
 *        server does this every minute by itself; --now pretends it is that moment, for scripts
 *        and tests; a reminder goes out once, whoever runs it)
 *
 * invite and add-party work in the current campaign, or the one --campaign SLUG names.
 *
 * On PGlite the data folder belongs to one process: stop the server first (or use the admin
 * pages, which can create invitations while it runs).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config.ts';
import { DataDirInUseError } from './db/data-dir-lock.ts';
import { openPreparedDatabase } from './server/boot.ts';
import { CLI_ACTOR } from './domain/actors.ts';
import { createAdminSetupLink } from './domain/admin-setup-links.ts';
import { bySlug, currentOf, loadCampaigns } from './domain/campaigns.ts';
import { createInvites } from './domain/invites.ts';
import { createParty } from './domain/parties.ts';
import { importCandidates } from './domain/candidate-import.ts';
import { CandidateListError, mergeCandidateLists, parseCandidateListFile } from './domain/candidate-lists/index.ts';
import { countOutbox, listOutbox } from './domain/outbox.ts';
import type { FractionMatchResult } from './domain/parliament/fraction-match.ts';
import { isItemEffect, linkZaak, setFractionMapping, UNLINK_REASON_MAX, unlinkItem } from './domain/parliament/items.ts';
import { fetchZaak } from './domain/parliament/tk-client.ts';
import { ZaakError, type FractionVote, type ZaakItem } from './domain/parliament/zaak.ts';
import { zaakFromFile } from './domain/parliament/zaak-file.ts';
import { linkPath, mailContextFor } from './i18n/routes.ts';
import type { ReminderRunReport } from './domain/reminders.ts';
import { sendDueReminders } from './server/reminder-worker.ts';
import { z } from 'zod';

const USAGE = `Usage:
  npm run cli -- create-admin --email E
  npm run cli -- invite --party SLUG --email E [--email E2 …] [--locale nl|en] [--campaign SLUG]
  npm run cli -- add-party --name N --abbreviation A --slug S [--website URL] [--seats N] [--campaign SLUG]
  npm run cli -- import-candidates --campaign SLUG --file F
  npm run cli -- import-zaak --campaign SLUG --goal SLUG (--number 2025Z19039 | --file F) [--effect advances|undermines]
  npm run cli -- unlink-zaak --campaign SLUG --goal SLUG --number 2025Z19039 --reason TEXT
  npm run cli -- map-fraction --campaign SLUG --fraction NAME (--party SLUG | --none)
  npm run cli -- outbox
  npm run cli -- send-reminders [--now 2026-12-01T09:00:00Z]`;

const INVITE_PROBLEMS = {
  'email.invalid': 'is not a valid email address',
  'link.emailTaken': 'has an account already',
  'invite.duplicateLine': 'is given twice',
} as const;

/** One outbox row per line: status, attempts, kind, to, subject, and the last error if any. */
function outboxLines(rows: Awaited<ReturnType<typeof listOutbox>>, counts: Awaited<ReturnType<typeof countOutbox>>, sending: boolean): string[] {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ');
  const lines = rows.map((row) =>
    [
      row.status.toUpperCase().padEnd(7),
      `${row.attempts}×`.padEnd(4),
      row.createdAt.toISOString().slice(0, 16).replace('T', ' '),
      row.kind.padEnd(14),
      row.to,
      oneLine(row.subject),
    ]
      .join('  ')
      .concat(row.lastError ? `\n         last error: ${oneLine(row.lastError)}` : ''),
  );
  const summary = `${counts.failed} failed, ${counts.pending} pending, ${counts.held} held, ${counts.sent} sent${counts.cancelled > 0 ? `, ${counts.cancelled} cancelled` : ''}${sending ? '' : ' (SMTP_URL is not set: mail is kept, not sent)'}`;
  return [...lines, summary];
}

class UsageError extends Error {}

const UNLINK_REASON_USAGE = `--reason is required: a short reason, shown publicly on the item’s page, at most ${UNLINK_REASON_MAX} characters, without control characters.`;

const COMMANDS = [
  'create-admin',
  'invite',
  'add-party',
  'import-candidates',
  'import-zaak',
  'unlink-zaak',
  'map-fraction',
  'outbox',
  'send-reminders',
] as const;

/**
 * The Zaak of import-zaak, read before the database opens: from the file (checked against
 * --number when both are given) or from the API. Any problem is refused whole, nothing written.
 */
async function readZaak(values: { number?: string; file?: string }, baseUrl: string | undefined): Promise<ZaakItem> {
  try {
    if (values.file !== undefined) return await zaakFromFile(values.file, values.number);
    return await fetchZaak(values.number!, { baseUrl });
  } catch (error) {
    if (error instanceof ZaakError) throw new UsageError(`${error.message}\nNothing was imported.`);
    throw error;
  }
}

const VOTE_WORDS: Record<FractionVote['vote'], string> = { for: 'for', against: 'against', 'did-not-vote': 'did not vote', split: 'split' };

/** What import-zaak says of the item: its decision, each fraction's vote and party, the warnings. */
function zaakLines(item: ZaakItem, match: FractionMatchResult, campaign: string): string[] {
  const decision = item.decision;
  const party = new Map(match.matched.map((m) => [m.fraction, m.partySlug]));
  const ignored = new Set(match.ignored);
  const unmatched = new Map(match.unmatched.map((u) => [u.fraction, u]));
  const lines = [
    `${item.number} (${item.kind}): ${item.title ?? item.subject ?? ''}`.trim(),
    decision
      ? `Decision: ${[decision.kind, decision.text].filter(Boolean).join(': ')}${decision.date ? ` on ${decision.date}` : ''}${decision.votingKind ? ` (${decision.votingKind})` : ''}`
      : 'Decision: none yet.',
  ];
  if (item.votes.length > 0) lines.push('Votes:');
  for (const v of item.votes) {
    const who = party.has(v.fraction)
      ? `party ${party.get(v.fraction)}`
      : ignored.has(v.fraction)
        ? 'no party of the campaign'
        : `NOT MATCHED (${unmatched.get(v.fraction)?.reason ?? 'none'})`;
    lines.push(`  ${v.fraction}${v.size !== null ? ` (${v.size})` : ''}: ${VOTE_WORDS[v.vote]}${v.mistake ? ' (mistake reported)' : ''} → ${who}`);
  }
  if (match.unmatched.length > 0) {
    lines.push(
      `Fractions no party of the campaign matches: ${match.unmatched.map((u) => u.fraction).join(', ')}. Map each once in Beheer → Follow-up, or with:`,
      ...match.unmatched.map((u) => `  npm run cli -- map-fraction --campaign ${campaign} --fraction ${JSON.stringify(u.fraction)} (--party SLUG | --none)`),
    );
  }
  for (const warning of item.warnings) lines.push(`Warning: ${warning}`);
  return lines;
}

/** The candidate lists of a file, parsed and merged before the database opens: a bad file is refused whole. */
async function readCandidateFile(file: string) {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  try {
    return mergeCandidateLists(parseCandidateListFile(bytes).lists);
  } catch (error) {
    if (error instanceof CandidateListError) throw new UsageError(`${file}: ${error.message}\nNothing was imported.`);
    throw error;
  }
}

/** What add-party says of a field the party form refused (the form's message keys). */
const PARTY_PROBLEMS: Record<string, string> = {
  slug: '--slug must be lower-case letters, digits and single hyphens, e.g. "gl-pvda"',
  name: '--name must be one line of 1 to 120 characters',
  abbreviation: '--abbreviation must be one line of 1 to 20 characters',
  seats: '--seats must be a whole number from 0 to 150',
  website: '--website must be an https:// address',
};

/** --now: one ISO 8601 moment with a time zone (absent: now). */
function parseNow(values: string[] | undefined): Date {
  if (values === undefined) return new Date();
  if (values.length > 1) throw new UsageError('--now is given more than once.');
  const [raw] = values as [string];
  const parsed = z.iso.datetime({ offset: true }).safeParse(raw);
  const at = parsed.success ? new Date(parsed.data) : null;
  if (!at || Number.isNaN(at.getTime()) || at.getUTCFullYear() < 2000 || at.getUTCFullYear() > 2100) {
    throw new UsageError(`--now (${JSON.stringify(raw)}) must be a moment such as 2026-12-01T09:00:00Z, between the years 2000 and 2100.`);
  }
  return at;
}

/** What a run of send-reminders did; the last line is the result. */
function reminderLines(reports: ReminderRunReport[], now: Date): string[] {
  const lines = reports.map((r) =>
    r.passedOver
      ? `${r.daysBefore} days before the deadline (due ${r.dueAt.toISOString()}): passed over, a later reminder was due too.`
      : `${r.daysBefore} days before the deadline (due ${r.dueAt.toISOString()}): reminded ${r.reminded.length ? r.reminded.join(', ') : 'no party'}` +
        (r.noRecipients.length ? `; no representative for ${r.noRecipients.join(', ')}` : '') +
        '.',
  );
  const sent = reports.filter((r) => !r.passedOver).reduce((sum, r) => sum + r.reminded.length, 0);
  return [
    ...lines,
    reports.length === 0 ? `Nothing to send at ${now.toISOString()}: no reminder is due that has not gone out.` : `Reminder rounds written: ${sent}.`,
  ];
}

function siteUrl(config: ReturnType<typeof loadConfig>): string {
  return config.publicUrl ?? `http://localhost:${config.port || 4321}`;
}

async function run(argv: string[]): Promise<string[]> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string', multiple: true },
      party: { type: 'string' },
      locale: { type: 'string' },
      campaign: { type: 'string' },
      name: { type: 'string' },
      abbreviation: { type: 'string' },
      slug: { type: 'string' },
      website: { type: 'string' },
      seats: { type: 'string' },
      file: { type: 'string' },
      goal: { type: 'string' },
      number: { type: 'string' },
      effect: { type: 'string' },
      reason: { type: 'string' },
      fraction: { type: 'string' },
      none: { type: 'boolean' },
      now: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) throw new UsageError(USAGE);
  if (!COMMANDS.includes(command as (typeof COMMANDS)[number])) throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  if (values.now !== undefined && command !== 'send-reminders') throw new UsageError(`--now is only for send-reminders.\n${USAGE}`);
  const now = command === 'send-reminders' ? parseNow(values.now) : null;
  const emails = values.email ?? [];
  if (command === 'send-reminders' && emails.length > 0) throw new UsageError(`send-reminders takes no --email.\n${USAGE}`);
  if ((command === 'create-admin' || command === 'invite') && emails.length === 0) throw new UsageError(`--email is required.\n${USAGE}`);
  if (command === 'import-candidates' && (!values.campaign || !values.file)) throw new UsageError(`--campaign and --file are required.\n${USAGE}`);
  const candidateLists = command === 'import-candidates' ? await readCandidateFile(values.file!) : null;
  if (command === 'import-zaak') {
    if (!values.campaign || !values.goal) throw new UsageError(`--campaign and --goal are required.\n${USAGE}`);
    if (values.number === undefined && values.file === undefined) throw new UsageError(`--number or --file is required.\n${USAGE}`);
    if (values.effect !== undefined && !isItemEffect(values.effect)) throw new UsageError(`--effect must be advances or undermines, not "${values.effect}".`);
  }
  if (command === 'unlink-zaak') {
    if (!values.campaign || !values.goal || !values.number) throw new UsageError(`--campaign, --goal and --number are required.\n${USAGE}`);
    const reason = values.reason?.trim() ?? '';
    if (reason === '' || reason.length > UNLINK_REASON_MAX) throw new UsageError(UNLINK_REASON_USAGE);
  }
  if (command === 'map-fraction') {
    if (!values.campaign || !values.fraction) throw new UsageError(`--campaign and --fraction are required.\n${USAGE}`);
    if ((values.party === undefined) === (values.none !== true)) throw new UsageError(`Give either --party SLUG or --none.\n${USAGE}`);
  }
  if (command === 'add-party') {
    const missing = (['name', 'abbreviation', 'slug'] as const).filter((key) => !values[key]);
    if (missing.length > 0) throw new UsageError(`${missing.map((key) => `--${key}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} required.\n${USAGE}`);
  }
  if (command === 'create-admin' && emails.length > 1) throw new UsageError(`create-admin takes one --email.\n${USAGE}`);
  if (command === 'invite' && !values.party) throw new UsageError(`--party is required.\n${USAGE}`);
  const locale = values.locale ?? 'nl';
  if (locale !== 'nl' && locale !== 'en') throw new UsageError(`--locale must be nl or en, not "${locale}".`);
  const config = loadConfig();
  const zaak = command === 'import-zaak' ? await readZaak(values, config.tkODataUrl) : null;
  // Like a first start of the server: migrations and the initial party list.
  const database = await openPreparedDatabase(config, (line) => console.log(line));
  try {
    if (command === 'send-reminders') {
      const reports = await sendDueReminders(database.db, { siteUrl: siteUrl(config), sending: Boolean(config.mail.smtpUrl), now: now!, actor: CLI_ACTOR });
      return reminderLines(reports, now!);
    }
    if (command === 'outbox') {
      return outboxLines(await listOutbox(database.db), await countOutbox(database.db), Boolean(config.mail.smtpUrl));
    }
    if (command === 'create-admin') {
      const [email] = emails as [string];
      const result = await createAdminSetupLink(database.db, { email }, { actor: CLI_ACTOR });
      if (result.status === 'invalid') throw new UsageError(`"${email}" is not a valid email address.`);
      if (result.status === 'email-taken') throw new UsageError(`An account with ${email} exists already.`);
      return [`Admin setup link for ${email} (single use, valid for 24 hours):`, siteUrl(config) + linkPath('admin-setup', result.token)];
    }
    const campaigns = await loadCampaigns(database.db);
    const found = values.campaign === undefined ? currentOf(campaigns) : bySlug(campaigns, values.campaign);
    if (!found) throw new UsageError(values.campaign === undefined ? 'There is no current campaign.' : `There is no campaign with slug "${values.campaign}".`);
    const { campaign } = found;
    if (campaign.state === 'archived') throw new UsageError(`The campaign "${campaign.slug}" is archived: it is read-only.`);
    if (zaak) {
      const goals = found.goals.nl.map((g) => g.slug);
      if (!goals.includes(values.goal!))
        throw new UsageError(`The campaign "${campaign.slug}" has no goal "${values.goal}" (its goals: ${goals.join(', ')}). Nothing was imported.`);
      const linked = await linkZaak(database.db, campaign.id, { goalSlug: values.goal!, effect: values.effect, item: zaak }, { actor: CLI_ACTOR });
      if (linked.status !== 'done') throw new UsageError(`The item was not linked (${linked.status}). Nothing was imported.`);
      return [
        ...zaakLines(zaak, linked.match, campaign.slug),
        `${linked.created ? 'Linked' : 'Updated'} ${zaak.number} on goal "${values.goal}" of "${campaign.slug}" (${linked.effect} the goal).`,
      ];
    }
    if (command === 'unlink-zaak') {
      const number = values.number!.trim().toUpperCase();
      const unlinked = await unlinkItem(database.db, campaign.id, { goalSlug: values.goal!, number, reason: values.reason! }, { actor: CLI_ACTOR });
      if (unlinked.status === 'not-linked')
        throw new UsageError(`${number} is not linked to the goal "${values.goal}" of "${campaign.slug}". Nothing was changed.`);
      if (unlinked.status === 'bad-reason') throw new UsageError(UNLINK_REASON_USAGE);
      if (unlinked.status !== 'done') throw new UsageError(`The item was not unlinked (${unlinked.status}).`);
      return [`Unlinked ${number} from goal "${values.goal}" of "${campaign.slug}".`];
    }
    if (command === 'map-fraction') {
      const partySlug = values.none ? null : values.party!;
      const mapped = await setFractionMapping(database.db, campaign.id, { fraction: values.fraction!, partySlug }, { actor: CLI_ACTOR });
      if (mapped.status === 'unknown-party') throw new UsageError(`There is no party with slug "${partySlug}" in the campaign "${campaign.slug}".`);
      if (mapped.status === 'bad-fraction') throw new UsageError(`--fraction must be a name of one line, at most 200 characters.`);
      if (mapped.status !== 'done') throw new UsageError(`The fraction was not mapped (${mapped.status}).`);
      return [`Mapped "${values.fraction!.trim()}" in "${campaign.slug}" to:`, partySlug ?? 'no party of the campaign'];
    }
    if (candidateLists) {
      const imported = await importCandidates(database.db, campaign.id, candidateLists, { actor: CLI_ACTOR });
      if (imported.status === 'unmatched') {
        throw new UsageError(
          imported.lists
            .map(
              (l) =>
                `List ${l.listNumbers.join(', ')} "${l.groupName}" ${
                  l.reason === 'none'
                    ? `matches no party of the campaign "${campaign.slug}" by name or abbreviation`
                    : l.reason === 'several'
                      ? 'matches more than one party by name or abbreviation'
                      : `matches the party "${l.party}", as another list of the file does`
                }.`,
            )
            .join('\n') + '\nAdd the party (npm run cli -- add-party) or correct the file. Nothing was imported.',
        );
      }
      if (imported.status === 'empty') throw new UsageError(`${values.file} holds no candidates. Nothing was imported.`);
      if (imported.status !== 'done') throw new UsageError(`The campaign "${campaign.slug}" cannot take candidates (${imported.status}).`);
      return [
        ...imported.parties.map((p) => `${p.slug}: ${p.candidates} candidates`),
        `Imported into "${campaign.slug}": ${imported.added} added, ${imported.updated} updated, ${imported.withdrawn} withdrawn.`,
      ];
    }
    if (command === 'add-party') {
      const form = { name: values.name!, abbreviation: values.abbreviation!, slug: values.slug!, website: values.website ?? '', seats: values.seats ?? '0' };
      const added = await createParty(database.db, campaign.id, form, { actor: CLI_ACTOR });
      if (added.status === 'invalid')
        throw new UsageError(
          Object.keys(added.issues)
            .map((field) => PARTY_PROBLEMS[field] ?? `--${field} is not valid`)
            .join('\n'),
        );
      if (added.status === 'slug-taken') throw new UsageError(`A party with slug "${form.slug}" exists already. Nothing was added.`);
      if (added.status !== 'done') throw new UsageError('The party was not added.');
      return [`Added ${added.party.name} (${added.party.abbreviation}) to the campaign "${campaign.slug}". Its slug:`, added.party.slug];
    }
    const mail = mailContextFor(campaign.name, siteUrl(config), Boolean(config.mail.smtpUrl));
    const result = await createInvites(
      database.db,
      { campaignId: campaign.id, partySlug: values.party!, emails: emails.map((text, index) => ({ line: index + 1, text })), locale },
      { actor: CLI_ACTOR, mail },
    );
    switch (result.status) {
      case 'invalid-lines':
        throw new UsageError(
          result.lines.map(({ line, problem }) => `--email ${line} (${JSON.stringify(emails[line - 1])}) ${INVITE_PROBLEMS[problem]}.`).join('\n') +
            '\nNo invitation was made.',
        );
      case 'unknown-party':
        throw new UsageError(`There is no party with slug "${values.party}" on the board.`);
      case 'too-many':
        throw new UsageError(`At most ${result.max} addresses at once.`);
      case 'none':
        throw new UsageError(`--email is required.\n${USAGE}`);
      case 'created': {
        const queued = config.mail.smtpUrl ? 'queued: the server mails it' : 'kept in the outbox: SMTP_URL is not set';
        return result.invites.flatMap(({ token, link }) => [
          `Invitation for ${link.email} to represent ${values.party} (single use, valid for 7 days; ${queued}):`,
          siteUrl(config) + linkPath('invite', token, locale),
        ]);
      }
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
