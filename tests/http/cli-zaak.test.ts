/**
 * import-zaak, unlink-zaak and map-fraction (issue 15): a Zaak from a local HTTP server replaying saved
 * Tweede Kamer responses (tests/fixtures/tk/, fictional parties), or from a saved file; every
 * bad input exits non-zero naming the problem, and writes nothing.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { auditLog, parliamentItemImports, parliamentItems } from '../../src/db/schema.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { eq } from 'drizzle-orm';
import { runToExit } from '../helpers/server.ts';

const CLI = path.join(PROJECT_ROOT, 'src', 'cli.ts');
const TK = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'tk');
const lastLine = (output: string) => output.trim().split('\n').at(-1)!;
const GOAL = 'steun-voor-kinderen';

describe('import-zaak, unlink-zaak and map-fraction (npm run cli)', () => {
  let dataDir: string;
  let server: http.Server;
  let baseUrl: string;
  const cli = (args: string[], env: Record<string, string> = {}) => runToExit({ DATA_DIR: dataDir, TK_ODATA_URL: baseUrl, ...env }, CLI, args);
  const importZaak = (...args: string[]) => cli(['import-zaak', '--campaign', 'tweede-kamer-2025', '--goal', GOAL, ...args]);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pb-cli-zaak-'));
    const bodies = new Map([['2031Z01234', readFileSync(path.join(TK, 'motion.json'), 'utf8')]]);
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const number = /Nummer eq '([^']*)'/.exec(url.searchParams.get('$filter') ?? '')?.[1] ?? '';
      const body = bodies.get(number);
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(body ?? JSON.stringify({ error: { message: 'Not found' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/OData/v4/2.0/`;
    // Fictional parties named as the fixtures' fictional fractions (VB by its abbreviation).
    for (const [slug, name, abbreviation] of [
      ['kustpartij', 'Kustpartij', 'KP'],
      ['groen-dorp', 'Groen-Dorp', 'GD'],
      ['vrije-burgers', 'Vrije Burgers', 'VB'],
    ]) {
      const added = await cli(['add-party', '--name', name!, '--abbreviation', abbreviation!, '--slug', slug!]);
      expect(added.code, added.output).toBe(0);
    }
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('imports a Zaak online: prints the decision, the votes, the unmatched fraction and how to map it', async () => {
    const result = await importZaak('--number', '2031Z01234');
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('2031Z01234 (Motie): Bescherming van kinderen online');
    expect(result.output).toContain('Decision: Stemmen - aangenomen: Aangenomen. on 2031-03-11 (Met handopsteken)');
    expect(result.output).toContain('  Kustpartij (31): for → party kustpartij');
    expect(result.output).toContain('  VB (17): against (mistake reported) → party vrije-burgers');
    expect(result.output).toContain('  Polderunie (6): did not vote → NOT MATCHED (none)');
    expect(result.output).toContain('npm run cli -- map-fraction --campaign tweede-kamer-2025 --fraction "Polderunie" (--party SLUG | --none)\n');
    expect(lastLine(result.output)).toBe(`Linked 2031Z01234 on goal "${GOAL}" of "tweede-kamer-2025" (advances the goal).`);
  });

  it('maps a fraction once; a new import of the same Zaak updates it', async () => {
    const mapped = await cli(['map-fraction', '--campaign', 'tweede-kamer-2025', '--fraction', 'Polderunie', '--none']);
    expect(mapped.code, mapped.output).toBe(0);
    expect(lastLine(mapped.output)).toBe('no party of the campaign');
    const again = await importZaak('--file', path.join(TK, 'motion.json'), '--effect', 'undermines');
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('  Polderunie (6): did not vote → no party of the campaign');
    expect(again.output).not.toContain('map-fraction');
    expect(lastLine(again.output)).toBe(`Updated 2031Z01234 on goal "${GOAL}" of "tweede-kamer-2025" (undermines the goal).`);
  });

  it('prints what the parser cleaned up (duplicate vote rows) as warnings', async () => {
    const result = await importZaak('--file', path.join(TK, 'duplicate-votes.json'));
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/^Warning: /m);
  });

  it.each([
    [['--file', path.join(TK, 'broken-soort.json')], /value\[0\]\.Besluit\[\d+\]\.Stemming\[\d+\]\.Soort: [^\n]+\nNothing was imported\./],
    [['--file', path.join(TK, 'truncated.txt')], /truncated\.txt: not JSON .*\nNothing was imported\./],
    [['--file', path.join(TK, 'bestaat-niet.json')], /bestaat-niet\.json: cannot be read \(ENOENT\)/],
    [['--file', path.join(TK, 'motion.json'), '--number', '2031Z09999'], /Nothing was imported\./],
    [['--number', '2031-1234'], /"2031-1234" is not a zaak number: expected e\.g\. 2025Z19039/],
    [['--number', '2031Z04040'], /the Tweede Kamer's API answered 404/],
    [['--number', '2031Z01234', '--effect', 'zijwaarts'], /--effect must be advances or undermines, not "zijwaarts"/],
    [[], /--number or --file is required/],
  ])('import-zaak %j exits 1 naming the problem, writing nothing', async (args, message) => {
    const result = await importZaak(...args);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(message);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('names an unknown campaign or goal, and a network failure', async () => {
    const campaign = await cli(['import-zaak', '--campaign', 'bestaat-niet', '--goal', GOAL, '--file', path.join(TK, 'roll-call.json')]);
    expect(campaign.code).toBe(1);
    expect(campaign.output).toContain('There is no campaign with slug "bestaat-niet".');
    const goal = await cli(['import-zaak', '--campaign', 'tweede-kamer-2025', '--goal', 'bestaat-niet', '--file', path.join(TK, 'roll-call.json')]);
    expect(goal.code).toBe(1);
    expect(goal.output).toMatch(/The campaign "tweede-kamer-2025" has no goal "bestaat-niet" \(its goals: .*steun-voor-kinderen.*\)\. Nothing was imported\./);
    const offline = await cli(['import-zaak', '--campaign', 'tweede-kamer-2025', '--goal', GOAL, '--number', '2031Z01234'], {
      TK_ODATA_URL: 'http://127.0.0.1:9/OData/v4/2.0/',
    });
    expect(offline.code).toBe(1);
    expect(offline.output).toMatch(/could not reach the Tweede Kamer's API/);
  });

  it('wrote only the good imports (one item imported again, one more), each kept', async () => {
    const database = await openDatabase({ engine: 'pglite', dataDir });
    try {
      const rows = await database.db
        .select({ number: parliamentItems.zaakNumber, effect: parliamentItemImports.effect })
        .from(parliamentItemImports)
        .innerJoin(parliamentItems, eq(parliamentItems.id, parliamentItemImports.itemId))
        .orderBy(parliamentItems.zaakNumber, parliamentItemImports.id);
      expect(rows).toEqual([
        { number: '2031Z01234', effect: 'advances' },
        { number: '2031Z01234', effect: 'undermines' },
        { number: '2031Z01236', effect: 'advances' },
      ]);
      expect(await database.db.select().from(auditLog).where(eq(auditLog.action, 'parliament.item-linked'))).toHaveLength(3);
    } finally {
      await database.close();
    }
  });

  it('unlinks a Zaak with a reason; refuses one without a reason, with a control character in it, or not linked', async () => {
    const unlink = (...args: string[]) => cli(['unlink-zaak', '--campaign', 'tweede-kamer-2025', '--goal', GOAL, ...args]);
    const noReason = await unlink('--number', '2031Z01236');
    expect(noReason.code).toBe(1);
    expect(noReason.output).toContain(
      '--reason is required: a short reason, shown publicly on the item’s page, at most 300 characters, without control characters.',
    );
    const bell = await unlink('--number', '2031Z01236', '--reason', 'Verkeerd\u0007doel.');
    expect(bell.code).toBe(1);
    expect(bell.output).toContain(
      '--reason is required: a short reason, shown publicly on the item’s page, at most 300 characters, without control characters.',
    );
    const done = await unlink('--number', '2031z01236', '--reason', 'Verkeerd doel.');
    expect(done.code, done.output).toBe(0);
    expect(lastLine(done.output)).toBe(`Unlinked 2031Z01236 from goal "${GOAL}" of "tweede-kamer-2025".`);
    const again = await unlink('--number', '2031Z01236', '--reason', 'Nog eens.');
    expect(again.code).toBe(1);
    expect(again.output).toContain(`2031Z01236 is not linked to the goal "${GOAL}" of "tweede-kamer-2025". Nothing was changed.`);
    const database = await openDatabase({ engine: 'pglite', dataDir });
    try {
      expect(await database.db.select().from(auditLog).where(eq(auditLog.action, 'parliament.item-unlinked'))).toEqual([
        expect.objectContaining({ subject: '2031Z01236', actorLabel: 'cli', details: { goal: GOAL, reason: 'Verkeerd doel.' } }),
      ]);
    } finally {
      await database.close();
    }
  });
});
