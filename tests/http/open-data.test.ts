/**
 * The open data, read with real parsers: JSON against the OpenAPI 3.1 schemas (Ajv), CSV with
 * csv-parse, Atom with a strict XML 1.0 parser (saxes), PNG with a PNG decoder. Plus the frozen views: pledges
 * changed at t1, t2 and t3, and `?at=` between them shows exactly the earlier state in HTML,
 * JSON and CSV.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { campaignParties, parties } from '../../src/db/schema.ts';
import { composeMail } from '../../src/domain/mail-texts.ts';
import { enqueueMail } from '../../src/domain/outbox.ts';
import { CSV_COLUMNS, wideCsvColumns } from '../../src/domain/pledges-csv.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { readGoals } from '../../src/content-files.ts';
import { ENGINES } from '../helpers/engines.ts';
import { responseValidator } from '../helpers/openapi-validator.ts';
import { stanceAfter, stanceBefore } from '../helpers/stance-in-html.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { strictXmlErrors } from '../helpers/strict-xml.ts';
import { TEST_PARTIES, testRep, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';

const goals = await readGoals('nl');
const [g1, g2] = [goals[0]!.slug, goals[1]!.slug];
const T1 = new Date('2026-02-01T10:00:00Z');
const T2 = new Date('2026-03-01T10:00:00Z');
const T3 = new Date('2026-04-01T10:00:00Z');
/** The first campaign's own address (content/campaign.yaml), which everything handed out names. */
const NL = '/campagnes/tweede-kamer-2025';
const EN = '/en/campaigns/tweede-kamer-2025';
const TRICKY = 'Wij zeggen: "ja", maar <niet> & \'misschien\';\nnieuwe regel, één keer.';

describe.each(ENGINES)('open data on %s', (engine) => {
  let site: TestSite;
  let errorsOf: ReturnType<typeof responseValidator>;
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, site.url), init);

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    await db.delete(campaignParties);
    await db.delete(parties);
    // Parties existed before any pledge (the board at T1 must show them).
    await addTestParties(
      db,
      TEST_PARTIES.map((p) => ({ ...p, createdAt: new Date('2026-01-01T00:00:00Z') })),
    );
    const ids = new Map((await db.select({ id: parties.id, slug: parties.slug }).from(parties)).map((p) => [p.slug, p.id]));
    const save = (party: string, goal: string, baseVersion: number, stance: 'committed' | 'partial' | 'declined', statement: string, now: Date) =>
      savePledge(db, {
        partySlug: party,
        goalSlug: goal,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion,
        input: { stance, statement, evidenceUrl: 'https://example.org/p.pdf', evidencePage: 3 },
        actor: testRep(ids.get(party)!, 'Vera Test'),
        campaignId: TEST_CAMPAIGN_ID,
        now,
      });
    // t1: A commits on goal 1. t2: A changes to partial; B declines goal 2. t3: A declines.
    await save('testpartij-a', g1, 0, 'committed', 'Eerst ja.', T1);
    await save('testpartij-a', g1, 1, 'partial', 'Toen deels.', T2);
    await save('testpartij-b', g2, 0, 'declined', TRICKY, T2);
    await save('testpartij-a', g1, 2, 'declined', '=SUM(1,2) toch niet.', T3);
    errorsOf = responseValidator(await (await get('/api/v1/openapi.json')).json());
  });
  afterAll(() => site?.close());

  it('publishes a valid OpenAPI 3.1 document', async () => {
    const response = await get('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    const document = await response.json();
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('scoreboard.json matches its schema, with the licence', async () => {
    const body = await (await get('/api/v1/scoreboard.json')).json();
    expect(errorsOf('/api/v1/scoreboard.json', 200, body)).toEqual([]);
    expect(body.licence).toEqual({ name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' });
  });

  it('scoreboard.json says per cell whether the campaign corrected it (added in 1.3), as its schema says', async () => {
    const document = await (await get('/api/v1/openapi.json')).json();
    expect(document.info.version).toMatch(/^1\.(?:[3-9]|\d{2,})\.\d+$/);
    const body = await (await get('/api/v1/scoreboard.json')).json();
    // Every cell carries the field; these pledges are the parties' own words.
    for (const party of body.parties) for (const pledge of Object.values(party.pledges)) expect(pledge).toHaveProperty('correctedByCampaign', null);
    // A correction's shape (the live one is tested in tests/http/pages-compare.test.ts), and what the schema refuses.
    const cell = body.parties[0].pledges[g1];
    cell.correctedByCampaign = { at: '2026-03-01T10:00:00.000Z', reason: null };
    expect(errorsOf('/api/v1/scoreboard.json', 200, body)).toEqual([]);
    cell.correctedByCampaign = { at: '2026-03-01T10:00:00.000Z', reason: 'De bron wees naar de verkeerde pagina.' };
    expect(errorsOf('/api/v1/scoreboard.json', 200, body)).toEqual([]);
    cell.correctedByCampaign = { reason: null };
    expect(errorsOf('/api/v1/scoreboard.json', 200, body)).not.toEqual([]);
    cell.correctedByCampaign = true;
    expect(errorsOf('/api/v1/scoreboard.json', 200, body)).not.toEqual([]);
  });

  it('scoreboard.json gives every party its outreach (added in 1.4), as its schema says, never an address', async () => {
    const document = await (await get('/api/v1/openapi.json')).json();
    expect(document.info.version).toBe('1.8.0');
    const { db } = site;
    const [a] = await db.select({ id: parties.id }).from(parties).where(eq(parties.slug, 'testpartij-a'));
    await db.transaction((tx) =>
      enqueueMail(tx, {
        kind: 'invite',
        to: 'vertegenwoordiger@partij-a.example',
        locale: 'nl',
        fromName: 'Campagne',
        content: composeMail('nl', { subject: 'Uitnodiging', campaignName: 'Campagne', blocks: [] }),
        partyId: a!.id,
        campaignId: TEST_CAMPAIGN_ID,
        held: true,
      }),
    );
    await site.app.boardVersion.refresh();
    const response = await get('/api/v1/scoreboard.json');
    const text = await response.text();
    expect(text).not.toContain('vertegenwoordiger@partij-a.example');
    const body = JSON.parse(text);
    expect(errorsOf('/api/v1/scoreboard.json', 200, body)).toEqual([]);
    const outreach = body.parties.find((p: { slug: string }) => p.slug === 'testpartij-a').outreach;
    expect(outreach.firstAskedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(outreach).toMatchObject({ reminders: 0, lastRemindedAt: null });
    // Saved by the party's representative (not a correction): answered at t1.
    expect(outreach.firstAnsweredAt).toBe(T1.toISOString());
    // What the schema refuses: a missing field, a negative count, an address in place of a time.
    const party = body.parties[0];
    for (const bad of [{ reminders: 0 }, { ...outreach, reminders: -1 }, { ...outreach, firstAskedAt: 'a@b.example' }, { ...outreach, to: 'a@b.example' }]) {
      party.outreach = bad;
      expect(errorsOf('/api/v1/scoreboard.json', 200, body)).not.toEqual([]);
    }
    // Frozen before the invitation: not asked yet.
    const frozen = await (await get(`/api/v1/scoreboard.json?at=${encodeURIComponent(T3.toISOString())}`)).json();
    expect(errorsOf('/api/v1/scoreboard.json', 200, frozen)).toEqual([]);
    expect(frozen.parties.find((p: { slug: string }) => p.slug === 'testpartij-a').outreach).toEqual({
      firstAskedAt: null,
      reminders: 0,
      lastRemindedAt: null,
      firstAnsweredAt: T1.toISOString(),
    });
  });

  it('events.json matches its schema and pages through every change', async () => {
    const seen: number[] = [];
    let next: string | null = '/api/v1/events.json?limit=2';
    while (next) {
      const response = await get(next);
      expect(response.status).toBe(200);
      const page = await response.json();
      expect(errorsOf('/api/v1/events.json', 200, page)).toEqual([]);
      seen.push(...page.events.map((e: { id: number }) => e.id));
      next = page.next;
    }
    expect(seen).toHaveLength(4);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen); // newest first
    const forB = await (await get('/api/v1/events.json?party=testpartij-b')).json();
    expect(forB.events.map((e: { party: { slug: string } }) => e.party.slug)).toEqual(['testpartij-b']);
    expect(forB.events[0].statement.after).toBe(TRICKY);
  });

  it('answers bad parameters with 400 or 404 and a message', async () => {
    for (const [path, status] of [
      ['/api/v1/events.json?limit=0', 400],
      ['/api/v1/events.json?before=abc', 400],
      ['/api/v1/events.json?checksBefore=0', 400],
      ['/api/v1/events.json?repliesBefore=x', 400],
      ['/api/v1/events.json?party=verzonnen', 404],
      ['/api/v1/scoreboard.json?at=gisteren', 400],
      ['/api/v1/scoreboard.json?at=2999-01-01T00:00:00Z', 400],
      ['/api/v1/pledges.csv?lang=fr', 400],
      ['/api/v1/pledges.csv?sep=tab', 400],
      ['/api/v1/pledges.csv?sep=semicolon&sep=comma', 400],
      ['/api/v1/pledges-wide.csv?sep=', 400],
      ['/api/v1/pledges-wide.csv?sep=SEMICOLON', 400],
      ['/api/v1/pledges-wide.csv?at=morgen', 400],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(errorsOf(path.split('?')[0]!, status, await response.json()), path).toEqual([]);
    }
  });

  it('pledges.csv is RFC 4180 UTF-8 with a BOM: one row per party × goal, read back intact', async () => {
    const response = await get('/api/v1/pledges.csv');
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('\r\n');
    const rows = parseCsv<Record<string, string>>(text, { bom: true, columns: true });
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(TEST_PARTIES.length * goals.length);
    const b2 = rows.find((r) => r.party_slug === 'testpartij-b' && r.goal_slug === g2)!;
    expect(b2).toMatchObject({ stance: 'declined', statement: TRICKY, evidence_url: 'https://example.org/p.pdf', evidence_page: '3' });
    const a1 = rows.find((r) => r.party_slug === 'testpartij-a' && r.goal_slug === g1)!;
    expect(a1.statement).toBe("'=SUM(1,2) toch niet."); // defused for spreadsheets
    expect(rows.find((r) => r.party_slug === 'testpartij-c')!.stance).toBe('none');
  });

  it('pledges-wide.csv: one row per party, four columns per goal, read back intact', async () => {
    const response = await get('/api/v1/pledges-wide.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe('inline; filename="pledgeboard-wide-live.csv"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv<Record<string, string>>(new TextDecoder().decode(bytes), { bom: true, columns: true });
    expect(Object.keys(rows[0]!)).toEqual(wideCsvColumns(goals));
    expect(rows.map((r) => r.party_slug).sort()).toEqual(TEST_PARTIES.map((p) => p.slug).sort());
    const b = rows.find((r) => r.party_slug === 'testpartij-b')!;
    expect(b).toMatchObject({ goal1_stance: 'none', goal2_stance: 'declined', goal2_statement: TRICKY, goals_committed: '0', updated_at: T2.toISOString() });
    const a = rows.find((r) => r.party_slug === 'testpartij-a')!;
    expect(a.goal1_statement).toBe("'=SUM(1,2) toch niet."); // defused for spreadsheets
  });

  it('?sep=semicolon: both CSV files for a Dutch spreadsheet, with a BOM, the semicolon in a statement quoted', async () => {
    for (const [path, filename, columns] of [
      ['/api/v1/pledges.csv?sep=semicolon', 'pledgeboard-live-semicolon.csv', [...CSV_COLUMNS]],
      ['/api/v1/pledges-wide.csv?sep=semicolon', 'pledgeboard-wide-live-semicolon.csv', wideCsvColumns(goals)],
      ['/api/v1/pledges-wide.csv?sep=semicolon&at=2026-03-15T00:00:00Z', 'pledgeboard-wide-2026-03-15T000000-semicolon.csv', wideCsvColumns(goals)],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('text/csv; charset=utf-8; header=present');
      expect(response.headers.get('content-disposition'), path).toBe(`inline; filename="${filename}"`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(0, 3)], path).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes); // drops the BOM
      expect(text.slice(0, text.indexOf('\r\n')), path).toBe(columns.join(';'));
      const rows = parseCsv<Record<string, string>>(text, { bom: true, columns: true, delimiter: ';' });
      const statements = rows.flatMap((r) =>
        Object.entries(r)
          .filter(([k]) => k.endsWith('statement'))
          .map(([, v]) => v),
      );
      expect(statements, path).toContain(TRICKY); // its "; " and line break survive
    }
    // The comma file is not the semicolon file: each is kept apart in the response cache.
    const comma = await get('/api/v1/pledges.csv');
    const semicolon = await get('/api/v1/pledges.csv?sep=semicolon');
    expect(comma.headers.get('etag')).not.toBe(semicolon.headers.get('etag'));
    expect((await get('/api/v1/pledges.csv?sep=comma')).headers.get('etag')).toBe(comma.headers.get('etag'));
  });

  it('Atom feeds are well-formed Atom: all changes, one party, one goal', async () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', htmlEntities: true });
    for (const [path, entries] of [
      ['/feed.xml', 4],
      ['/partijen/testpartij-a/feed.xml', 3],
      [`/en/goals/${g2}/feed.xml`, 1],
    ] as const) {
      const response = await get(path);
      expect(response.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
      const xml = await response.text();
      expect(strictXmlErrors(xml), path).toEqual([]); // a strict XML 1.0 parser, as feed readers use
      const { feed } = parser.parse(xml);
      expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
      for (const field of ['id', 'title', 'updated', 'author']) expect(feed[field], `${path} ${field}`).toBeDefined();
      const links = [feed.link].flat();
      expect(links.some((l: Record<string, string>) => l['@rel'] === 'self')).toBe(true);
      const list = [feed.entry ?? []].flat();
      expect(list).toHaveLength(entries);
      for (const entry of list) {
        for (const field of ['id', 'title', 'updated', 'content', 'link', 'author']) expect(entry[field], `${path} entry ${field}`).toBeDefined();
        expect(Number.isNaN(Date.parse(entry.updated))).toBe(false);
      }
    }
    const { feed } = parser.parse(await (await get('/partijen/testpartij-b/feed.xml')).text());
    expect(feed.entry.content['#text']).toContain(TRICKY.split('\n')[0]);
  });

  it('draws the scoreboard and a party as 1200×630 PNGs, used as og:image', async () => {
    for (const path of ['/afbeelding/scorebord.png', '/en/image/party/testpartij-a.png']) {
      const response = await get(path);
      expect(response.headers.get('content-type')).toBe('image/png');
      const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
      expect([png.width, png.height]).toEqual([1200, 630]);
    }
    const page = await (await get('/partijen/testpartij-a')).text();
    expect(page).toMatch(/<meta property="og:image" content="http:\/\/127\.0\.0\.1:\d+\/campagnes\/tweede-kamer-2025\/afbeelding\/partij\/testpartij-a\.png"/);
  });

  it('every data response has an ETag, Cache-Control and open CORS; a known ETag gets 304', async () => {
    const oembed = `/oembed?url=${encodeURIComponent(`${site.origin}/partijen/testpartij-a`)}`;
    for (const path of [
      '/api/v1/scoreboard.json',
      '/api/v1/events.json',
      '/api/v1/pledges.csv',
      '/api/v1/pledges.csv?sep=semicolon',
      '/api/v1/pledges-wide.csv',
      '/api/v1/pledges-wide.csv?sep=semicolon&at=2026-03-15T00:00:00Z',
      '/api/v1/openapi.json',
      '/feed.xml',
      `/en/goals/${g1}/feed.xml`,
      '/afbeelding/scorebord.png',
      oembed,
    ]) {
      const response = await get(path);
      const etag = response.headers.get('etag');
      expect(etag, path).toMatch(/^"[\w-]+"$/);
      expect(response.headers.get('cache-control'), path).toMatch(/public, max-age=\d+/);
      expect(response.headers.get('access-control-allow-origin'), path).toBe('*');
      const again = await get(path, { headers: { 'if-none-match': etag! } });
      expect(again.status, path).toBe(304);
    }
    const preflight = await get('/api/v1/scoreboard.json', {
      method: 'OPTIONS',
      headers: { origin: 'https://krant.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
  });

  describe('frozen views: ?at= shows exactly the earlier state', () => {
    const between = {
      beforeAll: '2026-01-15T00:00:00Z',
      t1: '2026-02-15T00:00:00Z',
      t2: '2026-03-15T00:00:00Z',
      now: null,
    } as const;
    const expected = {
      beforeAll: { stance: 'none', statement: null },
      t1: { stance: 'committed', statement: 'Eerst ja.' },
      t2: { stance: 'partial', statement: 'Toen deels.' },
      now: { stance: 'declined', statement: '=SUM(1,2) toch niet.' },
    } as const;

    for (const [moment, at] of Object.entries(between) as [keyof typeof between, string | null][]) {
      it(`at ${moment}: JSON, CSV and HTML agree`, async () => {
        const query = at ? `?at=${encodeURIComponent(at)}` : '';
        const json = await (await get(`/api/v1/scoreboard.json${query}`)).json();
        const a = json.parties.find((p: { slug: string }) => p.slug === 'testpartij-a');
        expect(a.pledges[g1]).toMatchObject(expected[moment]);
        expect(json.asOf).toBe(at ? new Date(at).toISOString() : null);
        // B declined goal 2 at t2.
        const b = json.parties.find((p: { slug: string }) => p.slug === 'testpartij-b');
        expect(b.pledges[g2].stance).toBe(moment === 'beforeAll' || moment === 't1' ? 'none' : 'declined');

        const csv = parseCsv<Record<string, string>>(await (await get(`/api/v1/pledges.csv${query}`)).text(), { bom: true, columns: true });
        const row = csv.find((r) => r.party_slug === 'testpartij-a' && r.goal_slug === g1)!;
        expect(row.stance).toBe(expected[moment].stance);
        expect(row.statement!.replace(/^'/, '')).toBe(expected[moment].statement ?? '');

        const html = await (await get(`/partijen/testpartij-a${query}`)).text();
        const section = html.slice(html.indexOf('<ol class="pledge-list">'), html.indexOf('</ol>', html.indexOf('<ol class="pledge-list">')));
        expect(section).toContain(`stance--${expected[moment].stance}`);
        for (const other of Object.values(expected)) {
          if (other.statement && other.statement !== expected[moment].statement) expect(section).not.toContain(other.statement.replace('=', ''));
        }
        if (at) expect(html).toContain('Zo stond het hier op');

        const events = await (await get(`/api/v1/events.json${query}`)).json();
        expect(events.events).toHaveLength({ beforeAll: 0, t1: 1, t2: 3, now: 4 }[moment]);

        // The other pages and the embeds show the same moment: party A's stance on goal 1.
        const amp = at ? `&at=${encodeURIComponent(at)}` : '';
        const rowOfA = /class="board__party-name" href="[^"]*\/partijen\/testpartij-a(?:\?at=[^"]*)?"/;
        const want = expected[moment].stance;
        expect(stanceAfter(await (await get(`/${query}`)).text(), rowOfA), 'scoreboard').toBe(want);
        expect(stanceAfter(await (await get(`/embed/scoreboard${query}`)).text(), rowOfA), 'scoreboard embed').toBe(want);
        expect(stanceAfter(await (await get(`/embed/partij/testpartij-a${query}`)).text(), /class="embed-list__head"/), 'party embed').toBe(want);
        // (An embed links to the campaign's own address.)
        expect(stanceBefore(await (await get(`/embed/doel/${g1}${query}`)).text(), /href="\/campagnes\/[^/"]+\/partijen\/testpartij-a"/), 'goal embed').toBe(
          want,
        );
        expect(stanceAfter(await (await get(`/vergelijk?partijen=testpartij-a,testpartij-b${amp}`)).text(), /class="compare-goal"/), 'compare').toBe(want);
        const goalPage = await (await get(`/doelen/${g1}${query}`)).text();
        expect(stanceBefore(goalPage, /href="\/partijen\/testpartij-a"/), 'goal page').toBe(want);
      });
    }
  });

  it('oEmbed answers rich iframes for pages and embeds, 404 for others, 501 for XML', async () => {
    const party = `${site.origin}/partijen/testpartij-a`;
    const response = await get(`/oembed?url=${encodeURIComponent(party)}&format=json&maxwidth=500`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(errorsOf('/oembed', 200, body)).toEqual([]);
    expect(body).toMatchObject({ version: '1.0', type: 'rich', width: 500 });
    expect(body.html).toContain(`src="${site.origin}${NL}/embed/partij/testpartij-a"`);
    expect(body.html).toContain(`<script src="${site.origin}/embed.js" async></script>`);
    const english = await (await get(`/oembed?url=${encodeURIComponent(`${site.origin}/en/goals/${g2}?at=2026-03-15T00:00:00Z`)}`)).json();
    expect(english.html).toContain(`${EN}/embed/goal/${g2}?at=2026-03-15T00%3A00%3A00Z`);
    expect((await get(`/oembed?url=${encodeURIComponent(party)}&format=xml`)).status).toBe(501);
    expect((await get(`/oembed?url=${encodeURIComponent('https://elders.example/partijen/x')}`)).status).toBe(404);
    expect((await get(`/oembed?url=${encodeURIComponent(`${site.origin}/beheer`)}`)).status).toBe(404);
    expect((await get('/oembed')).status).toBe(400);
    // A moment JavaScript takes but the database does not (year -1, +275760): 400, never a 500.
    for (const at of ['-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 'gisteren']) {
      expect((await get(`/oembed?url=${encodeURIComponent(`${party}?at=${at}`)}`)).status, at).toBe(400);
    }
    // An embed address its embed answers with 400 gets no snippet either, and says why.
    for (const query of ['theme=paars', 'lang=fr', 'goals=verzonnen', `goals=${g2}&goals=verzonnen`]) {
      const refused = await get(`/oembed?url=${encodeURIComponent(`${site.origin}/embed/scoreboard?${query}`)}`);
      expect(refused.status, query).toBe(400);
      expect((await refused.json()).error, query).toMatch(/^the embed refuses this address: /);
      expect((await get(`/embed/scoreboard?${query}`)).status, query).toBe(400);
    }
    // Every kind of public page and embed, in both languages, maps to the embed of the same thing.
    const expected: [string, string][] = [
      ['/', `${NL}/embed/scoreboard`],
      ['/en', `${EN}/embed/scoreboard`],
      ['/vergelijk?partijen=testpartij-a,testpartij-b', `${NL}/embed/scoreboard?parties=testpartij-a%2Ctestpartij-b`],
      ['/en/about', `${EN}/embed/scoreboard`],
      ['/insluiten', `${NL}/embed/scoreboard`],
      ['/en/press-and-data', `${EN}/embed/scoreboard`],
      [`/doelen/${g2}`, `${NL}/embed/doel/${g2}`],
      ['/en/parties/testpartij-a', `${EN}/embed/party/testpartij-a`],
      ['/embed/scoreboard?lang=en&theme=dark', `${NL}/embed/scoreboard?lang=en&theme=dark`],
      ['/en/embed/party/testpartij-a', `${EN}/embed/party/testpartij-a`],
      [`/embed/doel/${g2}`, `${NL}/embed/doel/${g2}`],
      [`${NL}/partijen/testpartij-a`, `${NL}/embed/partij/testpartij-a`],
      [`${EN}/goals/${g2}`, `${EN}/embed/goal/${g2}`],
    ];
    for (const [page, embed] of expected) {
      const answer = await get(`/oembed?url=${encodeURIComponent(site.origin + page)}`);
      expect(answer.status, page).toBe(200);
      expect((await answer.json()).html, page).toContain(`src="${site.origin}${embed.replace(/&/g, '&amp;')}"`);
    }
    // A party or goal that does not exist has no embed.
    for (const page of [
      '/partijen/verzonnen',
      '/en/goals/verzonnen',
      '/embed/partij/verzonnen',
      '/vergelijk?partijen=testpartij-a,verzonnen',
      '/embed/scoreboard?parties=verzonnen',
    ]) {
      expect((await get(`/oembed?url=${encodeURIComponent(site.origin + page)}`)).status, page).toBe(404);
    }
    const page = await (await get('/')).text();
    expect(page).toMatch(/<link rel="alternate" type="application\/json\+oembed" href="\/oembed\?url=[^"]+&amp;format=json"/);
  });
});
