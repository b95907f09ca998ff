/**
 * Candidates in Beheer over HTTP (issue 14): an admin uploads the Kiesraad's file (CSV or
 * EML_NL 230) and sees what was imported per party; a file that does not parse (a bad field, a
 * truncated XML, a NUL), a list that matches no party, a file too big are refused whole with
 * their line and field (or lists) shown, and nothing is written. An admin marks a candidate
 * elected and the public candidate page says so. A representative and an anonymous visitor can
 * do neither; an archived campaign refuses both with 409. Fictional parties and candidates only.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaigns, candidates } from '../../src/db/schema.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties, TEST_CAMPAIGN_ID } from '../fixtures/board.ts';
import { addTestCampaign } from '../fixtures/campaigns.ts';

const PAGE = '/beheer/kandidaten';
const SECOND = 'gemeenteraad-upload-2030';
const PARTIES = [
  { slug: 'proef', name: 'Partij voor de Proef', abbreviation: 'PvdP', seats: 3, website: 'https://example.org/proef' },
  { slug: 'samen-verzonnen', name: 'Samen; Verzonnen', abbreviation: 'SV', seats: 1, website: 'https://example.org/sv' },
];

const fixture = (name: string) => readFile(new URL(`../fixtures/kiesraad/${name}`, import.meta.url));
const fileOf = async (name: string, bytes?: Buffer) => new File([new Uint8Array(bytes ?? (await fixture(name)))], name);

describe.each(ENGINES)('candidates in Beheer on %s', (engine) => {
  let site: TestSite;
  let admin: FormClient;
  let rep: FormClient;
  let anonymous: FormClient;

  const candidateCount = async () => (await site.db.select().from(candidates)).length;
  const unchanged = async (run: () => Promise<void>) => {
    const before = await databaseFingerprint(site.db);
    await run();
    expect(await databaseFingerprint(site.db)).toEqual(before);
  };
  const upload = (client: FormClient, file: File, page = PAGE) => client.submit(page, 'importCandidateFile', { file }, { encoding: 'multipart' });

  beforeAll(async () => {
    site = await startTestSite(engine);
    await addTestParties(site.db, PARTIES);
    await addTestCampaign(site.db, { slug: SECOND });
    admin = new FormClient(site.url);
    rep = new FormClient(site.url);
    anonymous = new FormClient(site.url);
    await signInOverHttp(admin, await createAccount(site.db, { email: 'beheer@campagne.example', totp: true }));
    await signInOverHttp(rep, await createAccount(site.db, { email: 'rep@proef.example', party: 'proef', totp: true }));
  });
  afterAll(() => site?.close());

  it('shows the upload form and every party with no candidates yet, in both languages', async () => {
    const html = await (await admin.get(PAGE)).text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('type="file"');
    expect(html).toMatch(/data-party="proef"[\s\S]*?data-count="candidates">\s*0\s*</);
    expect(html).toContain('aria-current="page"');
    const en = await admin.get('/en/admin/candidates');
    expect(en.status).toBe(200);
    expect(await en.text()).toContain('Import candidate lists');
  });

  it('a broken file is refused whole, naming its line and field; nothing is written', async () => {
    await unchanged(async () => {
      const bad = await upload(admin, await fileOf('bad-position.csv'));
      expect(bad.status).toBe(400);
      const html = await bad.text();
      expect(html).toContain('Dit bestand kon niet worden gelezen. Er is niets geïmporteerd.');
      expect(html).toContain('Regel 6, veld Nr.');
      // In the page's language (the command line says it in English).
      expect(html).toContain('is geen plaats');
      const truncated = await upload(admin, await fileOf('truncated.eml.xml'));
      expect(truncated.status).toBe(400);
      const xml = await truncated.text();
      expect(xml).toContain('Regel 68');
      expect(xml).toContain('de XML houdt te vroeg op');
      const english = await upload(admin, await fileOf('bad-position.csv'), '/en/admin/candidates');
      expect(english.status).toBe(400);
      expect(await english.text()).toContain('is not a position');
      // A NUL in a name: refused where it stands.
      const csv = (await fixture('two-districts.csv')).toString('latin1');
      const withNul = csv.replace('Testmans', 'Test\u0000mans');
      expect(withNul).not.toBe(csv);
      const nul = await upload(admin, await fileOf('nul.csv', Buffer.from(withNul, 'latin1')));
      expect(nul.status).toBe(400);
      expect(await nul.text()).toMatch(/Regel \d+, veld Achternaam/);
      expect((await upload(admin, new File([], 'leeg.csv'))).status).toBe(400);
    });
    expect(await candidateCount()).toBe(0);
  });

  it('a list that matches no party of the campaign is named, with a hint; nothing is written', async () => {
    const csv = (await fixture('two-districts.csv')).toString('latin1').replaceAll('Partij voor de Proef', 'Verzonnen Volkspartij');
    await unchanged(async () => {
      const response = await upload(admin, await fileOf('andere.csv', Buffer.from(csv, 'latin1')));
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('Niet elke lijst hoort bij een partij van deze campagne.');
      expect(html).toContain('Lijst 1 ‘Verzonnen Volkspartij’: geen partij van deze campagne heeft deze naam of afkorting.');
      expect(html).toContain('Voeg de partij toe');
      // Two lists of the file for one party: which one is its list is not guessed, and said so.
      const twice = (await fixture('two-districts.csv')).toString('latin1').replaceAll('Partij voor de Proef', 'SV');
      const shared = await upload(admin, await fileOf('twee.csv', Buffer.from(twice, 'latin1')));
      expect(shared.status).toBe(400);
      const sharedHtml = await shared.text();
      // Both lists are named, with the party they both match.
      expect(sharedHtml).toContain('Lijst 1 ‘SV’: hoort bij Samen; Verzonnen, net als een andere lijst in het bestand.');
      expect(sharedHtml).toMatch(/Lijst 2 ‘Samen[^’]*’: hoort bij Samen; Verzonnen, net als een andere lijst in het bestand\./);
      // Another campaign's address imports into that campaign: it has none of these parties.
      const other = await upload(admin, await fileOf('two-districts.csv'), `/campagnes/${SECOND}/beheer/kandidaten`);
      expect(other.status).toBe(400);
      expect(await other.text()).toContain('Lijst 1 ‘Partij voor de Proef’');
    });
  });

  it('a file over 50 MB is refused with 413, and any other action’s body over 1 MB too', async () => {
    await unchanged(async () => {
      const big = await upload(admin, new File([new Uint8Array(50 * 1024 * 1024 + 1)], 'groot.csv'));
      expect(big.status).toBe(413);
      expect(await big.text()).toContain('Dit bestand is groter dan 50 MB.');
      const huge = await upload(admin, new File([new Uint8Array(51 * 1024 * 1024)], 'groter.csv'));
      expect(huge.status).toBe(413);
      const other = await admin.submit('/beheer/partijen', 'createParty', { slug: 'te-groot', name: 'x'.repeat(2 * 1024 * 1024) });
      expect(other.status).toBe(413);
      // A body that does not say its length (chunked) is not read at all: it could be any size.
      const chunked = await new Promise<number>((resolve, reject) => {
        const request = http.request(
          new URL('/inloggen?_action=signIn', site.url),
          { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: site.origin } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        request.write('email=a%40b.example&password=x');
        request.end();
      });
      expect(chunked).toBe(413);
    });
  });

  it('refuses an upload from anyone but an admin before reading it', async () => {
    await unchanged(async () => {
      const anonymousUpload = await anonymous.submit(
        PAGE,
        'importCandidateFile',
        { file: new File([new Uint8Array(10 * 1024 * 1024)], 'x.csv') },
        { encoding: 'multipart' },
      );
      expect(anonymousUpload.status).toBe(403);
      const repUpload = await rep.submit(PAGE, 'importCandidateFile', { file: new File(['a'], 'x.csv') }, { encoding: 'multipart' });
      expect(repUpload.status).toBe(403);
    });
  });

  it('a representative and an anonymous visitor can neither see the page nor upload', async () => {
    expect((await rep.get(PAGE)).status).toBe(403);
    expect([303, 401]).toContain((await anonymous.get(PAGE)).status);
    await unchanged(async () => {
      for (const client of [rep, anonymous]) {
        expect([401, 403]).toContain((await upload(client, await fileOf('two-districts.csv'))).status);
        expect([401, 403]).toContain((await client.callAction('importCandidateFile', { file: await fileOf('two-districts.csv') })).status);
      }
    });
  });

  it('imports the CSV, then the EML as an update, with a summary per party', async () => {
    const response = await upload(admin, await fileOf('two-districts.csv'));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Geïmporteerd: 8 nieuw, 0 bijgewerkt, 0 teruggetrokken.');
    expect(html).toContain('Partij voor de Proef: 5 kandidaten op de lijst');
    expect(await candidateCount()).toBe(8);
    const again = await upload(admin, await fileOf('two-districts.eml.xml'));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('0 nieuw, 8 bijgewerkt, 0 teruggetrokken.');
    expect(await candidateCount()).toBe(8);
    const page = await (await admin.get(PAGE)).text();
    expect(page).toMatch(/data-party="proef"[\s\S]*?data-count="candidates">\s*5\s*</);
    expect(page).toMatch(/data-party="samen-verzonnen"[\s\S]*?data-count="candidates">\s*3\s*</);
  });

  it('an admin marks a candidate elected in list order, and the public page shows it', async () => {
    const proef = await site.db
      .select()
      .from(candidates)
      .where(eq(candidates.campaignId, TEST_CAMPAIGN_ID))
      .orderBy(asc(candidates.partyId), asc(candidates.position));
    const list = await (await admin.get(`${PAGE}?partij=proef`)).text();
    const ids = [...list.matchAll(/data-candidate="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toEqual(proef.filter((c) => c.partyId === proef[0]!.partyId).map((c) => c.id));
    const first = ids[0]!;
    expect(list).toContain('Markeer als gekozen<span class="visually-hidden">');
    expect(await (await admin.get('/en/admin/candidates?party=proef')).text()).toContain('Mark elected<span class="visually-hidden">');
    const marked = await admin.submit(`${PAGE}?partij=proef`, 'setCandidateElected', { candidate: String(first), elected: 'true', party: 'proef' });
    expect(marked.status).toBe(303);
    expect(marked.headers.get('location')).toBe(`${PAGE}?partij=proef#kandidaat-${first}`);
    const [row] = await site.db.select().from(candidates).where(eq(candidates.id, first));
    expect(row!.electedAt).not.toBeNull();
    expect(await (await fetch(new URL(`/kandidaten/${first}`, site.url))).text()).toContain('Gekozen bij de verkiezing.');
    expect(await (await fetch(new URL(`/en/candidates/${first}`, site.url))).text()).toContain('Elected');
    const audits = await site.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'candidate.elected')));
    expect(audits).toHaveLength(1);
    const after = await (await admin.get(`${PAGE}?partij=proef`)).text();
    expect(after).toMatch(/data-party="proef"[\s\S]*?data-count="elected">\s*1\s*</);
    // And back.
    expect((await admin.submit(PAGE, 'setCandidateElected', { candidate: String(first), elected: 'false' })).status).toBe(303);
    expect(await (await fetch(new URL(`/kandidaten/${first}`, site.url))).text()).not.toContain('Gekozen bij de verkiezing.');
    expect(await site.db.select().from(auditLog).where(eq(auditLog.action, 'candidate.unelected'))).toHaveLength(1);
    // Another campaign's candidate is not this campaign's: 404, nothing changed.
    await unchanged(async () => {
      const response = await admin.submit(`/campagnes/${SECOND}/beheer/kandidaten`, 'setCandidateElected', { candidate: String(first), elected: 'true' });
      expect(response.status).toBe(404);
    });
  });

  it('a representative and an anonymous visitor cannot mark anyone elected', async () => {
    const [one] = await site.db.select().from(candidates).limit(1);
    await unchanged(async () => {
      for (const client of [rep, anonymous]) {
        expect([401, 403]).toContain((await client.submit(PAGE, 'setCandidateElected', { candidate: String(one!.id), elected: 'true' })).status);
      }
    });
  });

  it('an archived campaign refuses both with 409, and writes nothing', async () => {
    const [one] = await site.db.select().from(candidates).limit(1);
    await site.db.update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    await site.app.boardVersion.refresh();
    try {
      await unchanged(async () => {
        const uploaded = await upload(admin, await fileOf('two-districts.csv'));
        expect(uploaded.status).toBe(409);
        expect(await uploaded.text()).toContain('gearchiveerd');
        expect((await admin.submit(PAGE, 'setCandidateElected', { candidate: String(one!.id), elected: 'true' })).status).toBe(409);
      });
      const page = await (await admin.get(`${PAGE}?partij=proef`)).text();
      expect(page).not.toContain('type="file"');
      expect(page).not.toContain('setCandidateElected');
    } finally {
      await site.db.update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
      await site.app.boardVersion.refresh();
    }
  });
});
