import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { runToExit, startServer } from '../helpers/server.ts';

const CLI = path.join(PROJECT_ROOT, 'src', 'cli.ts');
const lastLine = (output: string) => output.trim().split('\n').at(-1)!;

describe('the admin command line (npm run cli)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pb-cli-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('create-admin prints a one-time setup link as its last line', async () => {
    const result = await runToExit({ DATA_DIR: dataDir, PUBLIC_URL: 'https://board.example' }, CLI, ['create-admin', '--email', 'Beheer@Campagne.example']);
    expect(result.code).toBe(0);
    expect(lastLine(result.output)).toMatch(/^https:\/\/board\.example\/uitnodiging\/[a-z2-7]{32}$/);
  });

  it('invite prints a one-time invitation link as its last line, which opens for that party', async () => {
    // Like a first server start, the first run imported the party list into the new database.
    const result = await runToExit({ DATA_DIR: dataDir, PORT: '4399' }, CLI, ['invite', '--party', 'volt', '--email', 'rep@volt.example']);
    expect(result.code).toBe(0);
    const link = lastLine(result.output);
    expect(link).toMatch(/^http:\/\/localhost:4399\/uitnodiging\/[a-z2-7]{32}$/);

    const server = await startServer({ DATA_DIR: dataDir });
    try {
      const page = await (await fetch(new URL(new URL(link).pathname, server.url))).text();
      expect(page).toContain('namens Volt Nederland');
      // The admin link from create-admin has not been used: the server still offers one.
      expect(server.output()).toContain('There is no admin yet');
    } finally {
      await server.stop();
    }
  });

  it.each([
    [['invite', '--party', 'bestaat-niet', '--email', 'x@y.example'], /There is no party with slug "bestaat-niet"/],
    [['invite', '--party', 'volt', '--email', 'geen-adres'], /is not a valid email address/],
    [['invite', '--email', 'x@y.example'], /--party is required/],
    [['create-admin'], /--email is required/],
    [['verzin-iets'], /Unknown command "verzin-iets"/],
    [
      ['invite', '--party', 'volt', '--email', 'a@volt.example', '--email', 'geen adres', '--email', 'a@volt.example'],
      /--email 2 \("geen adres"\) is not a valid email address\.\n--email 3 \("a@volt\.example"\) is given twice\.\nNo invitation was made\./,
    ],
    [
      ['invite', '--party', 'volt', '--email', 'a@volt.example\r\nBcc: b@elders.example'],
      /--email 1 \("a@volt\.example\\r\\nBcc: b@elders\.example"\) is not a valid email address/,
    ],
    [['invite', '--party', 'volt', '--email', 'a@volt.example', '--locale', 'fr'], /--locale must be nl or en, not "fr"/],
    [['create-admin', '--email', 'a@campagne.example', '--email', 'b@campagne.example'], /create-admin takes one --email/],
    [[], /Usage:/],
  ])('%j fails with a clear message and exit code 1', async (args, message) => {
    const result = await runToExit({ DATA_DIR: dataDir }, CLI, args);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
    expect(result.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('outbox prints the queued mail, and a refused invite list wrote nothing', async () => {
    const result = await runToExit({ DATA_DIR: dataDir }, CLI, ['outbox']);
    expect(result.code).toBe(0);
    // The invitation of the test above, kept (no SMTP_URL); none of the refused ones.
    expect(result.output).toMatch(/^HELD +0× .* invite +rep@volt\.example {2}Uitnodiging: vertegenwoordig Volt Nederland bij /m);
    expect(result.output).not.toMatch(/a@volt\.example/);
    expect(lastLine(result.output)).toBe('0 failed, 0 pending, 1 held, 0 sent (SMTP_URL is not set: mail is kept, not sent)');
  });

  it('refuses to run while a server holds the PGlite folder, and says what to do', async () => {
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      const result = await runToExit({ DATA_DIR: dataDir }, CLI, ['create-admin', '--email', 'twee@campagne.example']);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/is in use by another Pledgeboard process/);
    } finally {
      await server.stop();
    }
  });
});

describe('the command line for parties and candidates (add-party, import-candidates)', () => {
  let dataDir: string;
  const KIESRAAD = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'kiesraad');
  const cli = (args: string[]) => runToExit({ DATA_DIR: dataDir }, CLI, args);
  const addParty = (slug: string, name: string, abbreviation: string, ...more: string[]) =>
    cli(['add-party', '--name', name, '--abbreviation', abbreviation, '--slug', slug, ...more]);
  const importFile = (file: string) => cli(['import-candidates', '--campaign', 'tweede-kamer-2025', '--file', file]);
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pb-cli-candidates-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('add-party adds a (fictional) party and prints its slug last', async () => {
    const proef = await addParty('proef', 'Partij voor de Proef', 'PvdP', '--website', 'https://example.org/proef', '--seats', '3');
    expect(proef.code, proef.output).toBe(0);
    expect(lastLine(proef.output)).toBe('proef');
    expect(proef.output).toContain('Added Partij voor de Proef (PvdP) to the campaign "tweede-kamer-2025"');
    const samen = await addParty('samen-verzonnen', 'Samen; Verzonnen', 'SV');
    expect(samen.code, samen.output).toBe(0);
    expect(lastLine(samen.output)).toBe('samen-verzonnen');
  });

  it.each([
    [['proef', 'Nog een Proef', 'NP'], /A party with slug "proef" exists already\. Nothing was added\./],
    [['Niet Goed', 'Slechte Slug', 'SS'], /--slug must be lower-case letters/],
    [['goed', 'Geen Adres', 'GA', '--website', 'geen adres'], /--website must be an https:\/\/ address/],
    [['goed', 'Te Veel Zetels', 'TVZ', '--seats', '151'], /--seats must be a whole number from 0 to 150/],
  ])('add-party %j is refused with a non-zero exit naming the option', async ([slug, name, abbreviation, ...more], message) => {
    const result = await addParty(slug!, name!, abbreviation!, ...more);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('add-party without --name says so', async () => {
    const result = await cli(['add-party', '--abbreviation', 'X', '--slug', 'x']);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/--name is required/);
  });

  it('import-candidates refuses a broken file naming its line and field, and an unmatched list; nothing is imported', async () => {
    const broken = await importFile(path.join(KIESRAAD, 'bad-position.csv'));
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/bad-position\.csv: line 6, field "Nr\.": "abc" is not a position/);
    expect(broken.output).toContain('Nothing was imported.');
    const other = path.join(dataDir, 'andere-partij.csv');
    const csv = (await readFile(path.join(KIESRAAD, 'two-districts.csv'), 'latin1')).replaceAll('Partij voor de Proef', 'Verzonnen Volkspartij');
    await writeFile(other, csv, 'latin1');
    const unmatched = await importFile(other);
    expect(unmatched.code).toBe(1);
    expect(unmatched.output).toMatch(/List 1 "Verzonnen Volkspartij" matches no party of the campaign "tweede-kamer-2025"/);
    expect(unmatched.output).toContain('Nothing was imported.');
    expect(unmatched.output).not.toMatch(/\n\s+at /);
  });

  it('import-candidates imports a good CSV (the first: all added), then updates', async () => {
    const first = await importFile(path.join(KIESRAAD, 'two-districts.csv'));
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('proef: 5 candidates');
    expect(lastLine(first.output)).toBe('Imported into "tweede-kamer-2025": 8 added, 0 updated, 0 withdrawn.');
    const again = await importFile(path.join(KIESRAAD, 'two-districts.eml.xml'));
    expect(again.code, again.output).toBe(0);
    expect(lastLine(again.output)).toBe('Imported into "tweede-kamer-2025": 0 added, 8 updated, 0 withdrawn.');
  });
});
