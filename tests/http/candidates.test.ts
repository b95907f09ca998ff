/**
 * The public side of candidates (issue 14): a party's list on its page, the champions page
 * with its filters, a page per candidate, candidates.json (against the OpenAPI schema) and
 * candidates.csv (csv-parse), the Atom feed of signatures (strict XML) and the embed of a
 * party's list; bad filters answer 400, unknown ids 404, the gender only where the list allows
 * it, a withdrawn candidate stays on the list marked. Fictional parties and candidates only
 * (tests/fixtures/kiesraad/two-districts.csv).
 */
import { readFile } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidates, candidateSignatures, users } from '../../src/db/schema.ts';
import { CLI_ACTOR } from '../../src/domain/actors.ts';
import { importCandidates } from '../../src/domain/candidate-import.ts';
import { mergeCandidateLists, parseCandidateListFile } from '../../src/domain/candidate-lists/index.ts';
import { candidatesCsvColumns } from '../../src/domain/candidates-data.ts';
import { readGoals } from '../../src/content-files.ts';
import { ENGINES } from '../helpers/engines.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { strictXmlErrors } from '../helpers/strict-xml.ts';
import { addTestParties, TEST_CAMPAIGN_ID } from '../fixtures/board.ts';
import { addTestCampaign } from '../fixtures/campaigns.ts';

const goals = await readGoals('nl');
const slugs = goals.map((g) => g.slug);
const CAMPAIGN = 'tweede-kamer-2025';
const SECOND = 'gemeenteraad-kandidaten-2030';
const FIXTURE = new URL('../fixtures/kiesraad/two-districts.csv', import.meta.url);
const PARTIES = [
  { slug: 'proef', name: 'Partij voor de Proef', abbreviation: 'PvdP', seats: 3, website: 'https://example.org/proef' },
  // The list's own name (with its semicolon): the import matches it by name.
  { slug: 'samen-verzonnen', name: 'Samen; Verzonnen', abbreviation: 'SV', seats: 1, website: 'https://example.org/sv' },
  { slug: 'zonder-lijst', name: 'Partij Zonder Lijst', abbreviation: 'PZL', seats: 0, website: 'https://example.org/pzl' },
];
const SIGNED_AT = new Date('2026-03-01T10:00:00Z');
const TRICKY = 'Ja, & <zeker> "altijd"';
const FORMULA = '=HYPERLINK("https://example.org")';

interface OpenApiDocument {
  components: object;
  paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> } }>;
}

interface JsonCandidate {
  id: number;
  gender: string | null;
  signatures: Record<string, unknown>;
}

/** The names in a page's candidate rows or champion items, in order. */
function idsInOrder(html: string): number[] {
  return [...html.matchAll(/data-candidate="(\d+)"/g)].map((m) => Number(m[1]));
}

describe.each(ENGINES)('candidates on %s', (engine) => {
  let site: TestSite;
  let document: OpenApiDocument;
  const id: Record<string, number> = {};
  const get = (path: string) => fetch(new URL(path, site.url));
  const text = async (path: string) => (await get(path)).text();

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    await addTestParties(db, PARTIES);
    const lists = mergeCandidateLists(parseCandidateListFile(await readFile(FIXTURE)).lists);
    expect((await importCandidates(db, TEST_CAMPAIGN_ID, lists, { actor: CLI_ACTOR })).status).toBe('done');
    for (const row of await db.select().from(candidates)) id[row.firstName ?? row.lastName] = row.id;
    // Each candidate signs with their own account (a placeholder hash: nobody signs in here).
    const sign = async (who: string, choices: [string, boolean, string?][], at = SIGNED_AT) => {
      const [user] = await db
        .insert(users)
        .values({ email: `${who.toLowerCase()}@kandidaat.example`, displayName: who, role: 'candidate', candidateId: id[who]!, passwordHash: 'placeholder' })
        .returning({ id: users.id });
      await db
        .insert(candidateSignatures)
        .values(
          choices.map(([goalSlug, committed, statement = '']) => ({ candidateId: id[who]!, goalSlug, committed, statement, byUserId: user!.id, signedAt: at })),
        );
    };
    const all = (statement?: string): [string, boolean, string?][] => slugs.map((slug, i) => [slug, true, i === 0 ? statement : undefined]);
    await sign('Anna', all(TRICKY));
    await sign('Cas', all());
    await sign('Zoë', [
      [slugs[0]!, true],
      [slugs[1]!, false, FORMULA],
    ]);
    await sign('Gerrit', all());
    await sign('Jet', all(), new Date('2026-03-02T10:00:00Z'));
    await db
      .update(candidates)
      .set({ withdrawnAt: new Date('2026-03-05T10:00:00Z') })
      .where(eq(candidates.id, id.Cas!));
    await db
      .update(candidates)
      .set({ electedAt: new Date('2026-03-20T10:00:00Z') })
      .where(eq(candidates.id, id.Jet!));
    await addTestCampaign(db, { slug: SECOND });
    await site.app.boardVersion.refresh();
    document = await (await get('/api/v1/openapi.json')).json();
  });
  afterAll(() => site?.close());

  describe("a party's page", () => {
    it('lists its candidates in list order, with what each signed per goal, in words', async () => {
      const html = await text('/partijen/proef');
      expect(html).toContain('Kandidaten op de lijst');
      const expected = (await site.db.select().from(candidates).where(eq(candidates.lastName, 'Testmans')))[0]!.partyId;
      const order = await site.db
        .select({ id: candidates.id })
        .from(candidates)
        .where(eq(candidates.partyId, expected))
        .orderBy(asc(candidates.position), asc(candidates.id));
      expect(idsInOrder(html)).toEqual(order.map((r) => r.id));
      expect(html).toContain('Anna van der Voorbeeld');
      expect(html).toContain('Proefdorp');
      const zoe = html.slice(html.indexOf(`data-candidate="${id['Zoë']}"`), html.indexOf('</tr>', html.indexOf(`data-candidate="${id['Zoë']}"`)));
      expect(zoe).toContain('>Toegezegd</span>');
      expect(zoe).toContain('Niet toegezegd');
      expect(zoe).toContain('Niet getekend');
      // The list publishes gender: shown.
      expect(html).toMatch(/<th scope="col"[^>]*>Geslacht<\/th>/);
      expect(html).toMatch(/<td class="candidate-table__wide">vrouw<\/td>/);
      // On a phone under the name instead: the same words.
      expect(html).toContain('Proefdorp · vrouw</span>');
    });

    it('keeps a withdrawn candidate on the list, marked, and marks the elected', async () => {
      const html = await text('/partijen/proef');
      const cas = html.slice(html.indexOf(`data-candidate="${id.Cas}"`) - 60, html.indexOf('</tr>', html.indexOf(`data-candidate="${id.Cas}"`)));
      expect(cas).toContain('candidate--withdrawn');
      expect(cas).toContain('Teruggetrokken');
      const jet = html.slice(html.indexOf(`data-candidate="${id.Jet}"`), html.indexOf('</tr>', html.indexOf(`data-candidate="${id.Jet}"`)));
      expect(jet).toContain('Gekozen');
    });

    it('hides the gender where the list does not allow it, and has no section without candidates', async () => {
      const html = await text('/partijen/samen-verzonnen');
      expect(html).toContain('Gerrit Bedachtsma');
      expect(html).not.toContain('Geslacht');
      expect(html).not.toMatch(/(>|· )(man|vrouw)</);
      const english = await text('/en/parties/samen-verzonnen');
      expect(english).toContain('Candidates on the list');
      expect(english).not.toContain('Gender');
      const empty = await text('/partijen/zonder-lijst');
      expect(empty).not.toContain('Kandidaten op de lijst');
      expect(empty).not.toContain('aria-labelledby="candidates-caption');
    });
  });

  describe('the champions page', () => {
    it('shows the candidates who signed all goals, not the withdrawn, in both languages, linked from the nav', async () => {
      const response = await get('/kandidaten');
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(new Set(idsInOrder(html))).toEqual(new Set([id.Anna, id.Jet, id.Gerrit]));
      expect(html).not.toContain('Testmans');
      expect(html).not.toContain('Fictiefsma');
      expect(html).toContain('href="/kandidaten" aria-current="page"');
      const english = await text('/en/candidates');
      expect(english).toContain('Candidates who signed everything');
      expect(new Set(idsInOrder(english))).toEqual(new Set([id.Anna, id.Jet, id.Gerrit]));
      expect(english).toContain(`href="/en/candidates/${id.Anna}"`);
    });

    it('filters by party and by place of residence with a GET form', async () => {
      const html = await text('/kandidaten');
      expect(html).toMatch(/<form method="get" action="\/kandidaten"/);
      expect(html).toContain('name="partij"');
      expect(html).toContain('name="woonplaats"');
      expect(idsInOrder(await text('/kandidaten?partij=samen-verzonnen'))).toEqual([id.Gerrit]);
      expect(new Set(idsInOrder(await text('/kandidaten?woonplaats=proefdorp')))).toEqual(new Set([id.Anna, id.Gerrit]));
      expect(idsInOrder(await text('/kandidaten?partij=proef&woonplaats=Proefdorp'))).toEqual([id.Anna]);
      expect(idsInOrder(await text('/en/candidates?party=proef&place=Zuidhaven'))).toEqual([id.Jet]);
      // The same value twice is the same filter; an empty one is none.
      expect(idsInOrder(await text('/kandidaten?partij=samen-verzonnen&partij=samen-verzonnen&woonplaats='))).toEqual([id.Gerrit]);
      const none = await get('/kandidaten?partij=proef&woonplaats=Brussel');
      expect(none.status).toBe(200);
      expect(await none.text()).toContain('Geen kandidaat met deze keuze.');
    });

    it('answers a doubled or made-up filter with a 400 and the whole list, never a 500', async () => {
      for (const query of [
        'partij=proef&partij=samen-verzonnen',
        'partij=Geen%20Slug',
        'partij=onbekende-partij',
        'woonplaats=a&woonplaats=b',
        'woonplaats=x%0Ay',
        'woonplaats=%00',
        `woonplaats=${'x'.repeat(101)}`,
        'partij=%E2%80%AE',
      ]) {
        const response = await get(`/kandidaten?${query}`);
        expect(response.status, query).toBe(400);
        const html = await response.text();
        expect(html, query).toContain('Deze keuze bestaat niet');
        expect(new Set(idsInOrder(html)), query).toEqual(new Set([id.Anna, id.Jet, id.Gerrit]));
      }
      expect((await get('/en/candidates?party=a&party=b')).status).toBe(400);
    });

    it("works at the campaign's own address, and shows only that campaign's candidates", async () => {
      const html = await text(`/campagnes/${CAMPAIGN}/kandidaten`);
      expect(html).toContain(`href="/campagnes/${CAMPAIGN}/kandidaten/${id.Anna}"`);
      expect((await get(`/en/campaigns/${CAMPAIGN}/candidates?party=proef`)).status).toBe(200);
      const other = await get(`/campagnes/${SECOND}/kandidaten`);
      expect(other.status).toBe(200);
      const otherHtml = await other.text();
      expect(idsInOrder(otherHtml)).toEqual([]);
      expect(otherHtml).toContain('Nog geen kandidaat heeft alle doelstellingen getekend.');
    });
  });

  describe("a candidate's page", () => {
    it('shows the party, the standings per district, and each signature with statement and date', async () => {
      const response = await get(`/kandidaten/${id.Anna}`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<h1');
      expect(html).toContain('Anna van der Voorbeeld');
      expect(html).toContain('href="/partijen/proef#kandidaten"');
      expect(html).toContain('Ja, &amp; &lt;zeker&gt; &quot;altijd&quot;');
      expect(html).toContain('1 maart 2026');
      expect(html).toContain('Tekende alle doelstellingen');
      // Two districts: 1 (list 1, no. 1) and 2 (list 1, no. 3).
      const districts = html.slice(html.indexOf('id="kieskringen"'));
      expect(districts.match(/<tr>/g)).toHaveLength(3);
      expect(html).toContain('data-gender');
      expect(html).toContain('vrouw');
      const english = await text(`/en/candidates/${id.Anna}`);
      expect(english).toContain('Signed on');
      expect(english).toContain('href="/en/parties/proef#kandidaten"');
    });

    it('marks withdrawn and elected, and hides a gender the list does not publish', async () => {
      const cas = await text(`/kandidaten/${id.Cas}`);
      expect(cas).toContain('Teruggetrokken');
      expect(cas).toContain('staat niet meer op de lijst');
      expect(cas).not.toContain('Tekende alle doelstellingen');
      expect(await text(`/kandidaten/${id.Jet}`)).toContain('Gekozen bij de verkiezing.');
      const gerrit = await text(`/kandidaten/${id.Gerrit}`);
      expect(gerrit).not.toContain('data-gender');
      expect(gerrit).not.toMatch(/Geslacht/);
      const zoe = await text(`/kandidaten/${id['Zoë']}`);
      expect(zoe).toContain('Niet getekend');
      expect(zoe).toContain('Niet toegezegd');
    });

    it('is a 404 for an unknown id, junk, or a candidate of another campaign', async () => {
      for (const path of [
        '/kandidaten/999999',
        '/kandidaten/0',
        '/kandidaten/abc',
        '/kandidaten/1e3',
        '/kandidaten/-1',
        `/kandidaten/${'9'.repeat(30)}`,
        '/en/candidates/999999',
      ]) {
        expect((await get(path)).status, path).toBe(404);
      }
      expect((await get(`/campagnes/${SECOND}/kandidaten/${id.Anna}`)).status).toBe(404);
      expect((await get(`/campagnes/${CAMPAIGN}/kandidaten/${id.Anna}`)).status).toBe(200);
    });
  });

  describe('open data', () => {
    const validator = () => {
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema({ $id: 'openapi', components: document.components });
      return (path: string, data: unknown) => {
        const schema = document.paths[path]?.get.responses['200']?.content?.['application/json']?.schema;
        if (!schema?.$ref) return [`no JSON schema for ${path}`];
        const validate = ajv.compile({ $ref: `openapi${schema.$ref}` });
        return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
      };
    };

    it('candidates.json follows its schema, at both addresses, with the gender only where publishable', async () => {
      const errorsOf = validator();
      const response = await get('/api/v1/candidates.json');
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const body = await response.json();
      expect(errorsOf('/api/v1/candidates.json', body)).toEqual([]);
      expect(body.candidates).toHaveLength(8);
      const of = (candidateId: number) => (body.candidates as JsonCandidate[]).find((c) => c.id === candidateId)!;
      expect(of(id.Anna!)).toMatchObject({
        party: { slug: 'proef', name: 'Partij voor de Proef' },
        position: 1,
        name: 'Anna van der Voorbeeld',
        initials: 'A.B.',
        firstName: 'Anna',
        prefix: 'van der',
        lastName: 'Voorbeeld',
        gender: 'female',
        place: 'Proefdorp',
        districts: [
          { number: 1, listNumber: 1, position: 1 },
          { number: 2, listNumber: 1, position: 3 },
        ],
        elected: false,
        withdrawn: false,
        signed: true,
      });
      expect(of(id.Anna!).signatures[slugs[0]!]).toEqual({ committed: true, statement: TRICKY, signedAt: SIGNED_AT.toISOString() });
      expect(of(id.Gerrit!).gender).toBeNull();
      expect(of(id.Cas!)).toMatchObject({ withdrawn: true, signed: true });
      expect(of(id.Jet!)).toMatchObject({ elected: true });
      expect(of(id['Zoë']!)).toMatchObject({ signed: false });
      expect(Object.keys(of(id['Zoë']!).signatures)).toEqual(slugs.slice(0, 2));
      // The per-campaign copy, described in OpenAPI too.
      const scoped = await (await get(`/api/v1/campaigns/${CAMPAIGN}/candidates.json`)).json();
      expect(errorsOf('/api/v1/campaigns/{campaign}/candidates.json', scoped)).toEqual([]);
      expect(scoped.candidates).toEqual(body.candidates);
      const other = await (await get(`/api/v1/campaigns/${SECOND}/candidates.json`)).json();
      expect(other.candidates).toEqual([]);
      // What the schema refuses: a gender that is not one, a missing field.
      const bad = structuredClone(body);
      bad.candidates[0].gender = 'X';
      expect(errorsOf('/api/v1/candidates.json', bad)).not.toEqual([]);
      delete bad.candidates[0].gender;
      expect(errorsOf('/api/v1/candidates.json', bad)).not.toEqual([]);
    });

    it('refuses at=, a CSV option on the JSON, and a bad language with a 400', async () => {
      for (const query of ['at=2026-03-01T00:00:00Z', 'sep=comma', 'lang=fr', 'lang=nl&lang=en']) {
        const response = await get(`/api/v1/candidates.json?${query}`);
        expect(response.status, query).toBe(400);
        expect(Object.keys(await response.json())).toEqual(['error']);
      }
      expect((await get('/api/v1/candidates.csv?sep=tab')).status).toBe(400);
      expect((await get('/api/v1/candidates.csv?sep=comma&sep=semicolon')).status).toBe(400);
    });

    it('candidates.csv parses, one row per candidate, formulas defused, gender only where publishable', async () => {
      const response = await get('/api/v1/candidates.csv');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/csv');
      const csv = await response.text();
      const header = parseCsv(csv, { bom: true, to: 1 })[0];
      expect(header).toEqual(candidatesCsvColumns(goals));
      const rows: Record<string, string>[] = parseCsv(csv, { bom: true, columns: true });
      expect(rows).toHaveLength(8);
      const row = (candidateId: number) => rows.find((r) => r.candidate_id === String(candidateId))!;
      expect(row(id.Anna!)).toMatchObject({
        party_slug: 'proef',
        name: 'Anna van der Voorbeeld',
        gender: 'female',
        districts: '1:1/1 2:1/3',
        signed_all: 'yes',
        goal1_committed: 'yes',
        goal1_statement: TRICKY,
      });
      expect(row(id['Zoë']!)).toMatchObject({ goal2_committed: 'no', goal2_statement: `'${FORMULA}`, goal3_committed: '', signed_all: 'no' });
      expect(row(id.Gerrit!).gender).toBe('');
      expect(row(id.Cas!).withdrawn).toBe('yes');
      expect(row(id.Jet!).elected).toBe('yes');
      const semicolon = await text(`/api/v1/campaigns/${CAMPAIGN}/candidates.csv?sep=semicolon`);
      expect(parseCsv(semicolon, { bom: true, columns: true, delimiter: ';' })).toEqual(rows);
    });

    it('the Atom feed of signatures is strict XML, newest first, linking to each candidate', async () => {
      const response = await get('/kandidaten/feed.xml');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/atom+xml');
      const xml = await response.text();
      expect(strictXmlErrors(xml)).toEqual([]);
      const entries = xml.split('<entry>').slice(1);
      expect(entries).toHaveLength(slugs.length * 4 + 2);
      expect(entries[0]).toContain('Jet Ontwerp');
      expect(xml).toContain(`${site.origin}/campagnes/${CAMPAIGN}/kandidaten/${id.Anna}`);
      expect(xml).toContain('Ja, &amp; &lt;zeker&gt; &quot;altijd&quot;');
      expect(xml).toContain('Niet toegezegd');
      const english = await text('/en/candidates/feed.xml');
      expect(strictXmlErrors(english)).toEqual([]);
      expect(english).toContain('Not committed');
      expect(await text('/kandidaten')).toContain(`href="/campagnes/${CAMPAIGN}/kandidaten/feed.xml"`);
    });

    it('Pers & data links the files and the feed', async () => {
      const html = await text('/pers-en-data');
      expect(html).toContain(`/api/v1/campaigns/${CAMPAIGN}/candidates.json`);
      expect(html).toContain(`/api/v1/campaigns/${CAMPAIGN}/candidates.csv`);
      expect(html).toContain(`/campagnes/${CAMPAIGN}/kandidaten/feed.xml`);
    });
  });

  describe("the embed of a party's list", () => {
    it("shows the list, links opening the campaign's own pages, in both languages", async () => {
      const response = await get('/embed/partij/proef/kandidaten');
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(idsInOrder(html)).toEqual(idsInOrder(await text('/partijen/proef')));
      expect(html).toContain(`href="/campagnes/${CAMPAIGN}/kandidaten/${id.Anna}" target="_blank" rel="noopener"`);
      expect(html).toContain('Teruggetrokken');
      const english = await get('/en/embed/party/proef/candidates?theme=dark');
      expect(english.status).toBe(200);
      expect(await english.text()).toContain('Not signed');
      expect((await get(`/campagnes/${CAMPAIGN}/embed/partij/proef/kandidaten`)).status).toBe(200);
    });

    it('answers a bad option with 400 and an unknown party with 404', async () => {
      expect((await get('/embed/partij/proef/kandidaten?theme=paars')).status).toBe(400);
      expect((await get('/embed/partij/proef/kandidaten?at=2026-03-01T00:00:00Z')).status).toBe(400);
      expect((await get('/embed/partij/onbekend/kandidaten')).status).toBe(404);
      const empty = await get('/embed/partij/zonder-lijst/kandidaten');
      expect(empty.status).toBe(200);
      expect(await empty.text()).toContain('nog) geen kandidaten');
    });
  });
});
