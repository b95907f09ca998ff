import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readGoals } from '../../src/content-files.ts';
import type { DatabaseTarget } from '../../src/db/client.ts';
import { createPostgresDatabase, ENGINES } from '../helpers/engines.ts';
import { seedDatabase } from '../helpers/seed.ts';
import { stanceBefore } from '../helpers/stance-in-html.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { TEST_PARTIES } from '../fixtures/board.ts';

/** The contract of GET /api/v1/scoreboard.json as DESIGN.md states it. */
const boardStance = z.enum(['committed', 'partial', 'declined', 'none']);
const scoreboardContract = z.strictObject({
  campaign: z.object({ name: z.string().min(1) }),
  goals: z.array(z.strictObject({ slug: z.string(), number: z.int(), title: z.string().min(1) })),
  parties: z.array(
    z.strictObject({
      slug: z.string(),
      name: z.string(),
      pledges: z.record(
        z.string(),
        z.strictObject({
          stance: boardStance,
          statement: z.string().nullable(),
          evidenceUrl: z.string().nullable(),
          updatedAt: z.iso.datetime({ offset: true }).nullable(),
          statementHiddenReason: z.string().nullable(),
          // Added in v1.3 (additive): the campaign's correction of the version shown.
          correctedByCampaign: z.strictObject({ at: z.iso.datetime({ offset: true }), reason: z.string().nullable() }).nullable(),
          // Added in v1.7 (additive): the campaign's check of the version shown, and the party's reply.
          check: z.strictObject({
            status: z.enum(['verified', 'disputed', 'unchecked']),
            checkedAt: z.iso.datetime({ offset: true }).nullable(),
            reason: z.string().nullable(),
            quote: z.string().nullable(),
            page: z.int().nullable(),
            url: z.string().nullable(),
            // v1.8: text is null and hiddenReason set when the campaign hid the reply.
            reply: z.strictObject({ text: z.string().nullable(), at: z.iso.datetime({ offset: true }), hiddenReason: z.string().nullable() }).nullable(),
            // Added in v1.8 (additive): the evidence page as the check kept it, and what became of it since.
            evidence: z
              .strictObject({
                url: z.string(),
                finalUrl: z.string().nullable(),
                fetchedAt: z.iso.datetime({ offset: true }),
                httpStatus: z.int().nullable(),
                refusal: z.string().nullable(),
                contentType: z.string().nullable(),
                size: z.int().nullable(),
                sha256: z
                  .string()
                  .regex(/^[0-9a-f]{64}$/)
                  .nullable(),
                truncated: z.boolean(),
              })
              .nullable(),
            since: z.enum(['unchanged', 'changed', 'gone', 'unreachable']).nullable(),
            sinceFetchedAt: z.iso.datetime({ offset: true }).nullable(),
          }),
        }),
      ),
      // Added in v1.4 (additive): when the party was asked, reminded and first answered; never an address.
      outreach: z.strictObject({
        firstAskedAt: z.iso.datetime({ offset: true }).nullable(),
        reminders: z.int().min(0),
        lastRemindedAt: z.iso.datetime({ offset: true }).nullable(),
        firstAnsweredAt: z.iso.datetime({ offset: true }).nullable(),
      }),
    }),
  ),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
  // Added in v1.1 (additive): the moment of a frozen view, and the licence.
  asOf: z.iso.datetime({ offset: true }).nullable(),
  licence: z.strictObject({ name: z.literal('CC BY 4.0'), url: z.url() }),
});

const goals = await readGoals('nl');
const [goal1, goal2, goal3] = goals.map((g) => g.slug) as [string, string, string];
/** The words of the board's bottom row (the counts per goal), one "; " after each count. */
const countsText = (page: string) =>
  page
    .slice(page.indexOf('<tfoot>'), page.indexOf('</tfoot>'))
    .replaceAll('</li>', '; ')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ');
const HOSTILE = '<script>alert("x")</script> & "quotes"';

describe.each(ENGINES)('the built site on %s', (engine) => {
  let server: RunningServer;
  let cleanup: () => Promise<void>;

  const get = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, server.url), init);
  const html = async (pathname: string) => {
    const response = await get(pathname);
    expect(response.status, pathname).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    let target: DatabaseTarget;
    let env: Record<string, string>;
    if (engine === 'postgres') {
      const created = await createPostgresDatabase();
      target = { engine, url: created.url };
      env = { DATABASE_URL: created.url };
      cleanup = created.drop;
    } else {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-site-'));
      target = { engine, dataDir: dir };
      env = { DATA_DIR: dir };
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    await seedDatabase(
      target,
      TEST_PARTIES,
      [
        {
          party: 'testpartij-a',
          goal: goal1,
          stance: 'committed',
          statement: 'A zegt ja.',
          evidenceUrl: 'https://example.org/a/programma.pdf',
          evidencePage: 7,
        },
        { party: 'testpartij-a', goal: goal2, stance: 'declined', statement: 'A zegt nee.' },
        { party: 'testpartij-b', goal: goal1, stance: 'partial', statement: HOSTILE },
      ],
      goals.map((g) => g.slug),
    );
    server = await startServer(env);
  });

  afterAll(async () => {
    await server?.stop();
    await cleanup?.();
  });

  it('answers /healthz and /readyz', async () => {
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await get('/readyz')).status).toBe(200);
  });

  it('shows every party × goal on the scoreboard, "no response" apart from "declined"', async () => {
    const page = await html('/');
    for (const party of TEST_PARTIES) expect(page).toContain(party.name);
    for (const goal of goals) expect(page).toContain(goal.shortTitle);
    expect(page).toContain('stance--committed');
    expect(page).toContain('Niet toegezegd');
    expect(page).toContain('Geen reactie');
    // 3 parties × 4 goals = 12 cells in the table's body.
    const body = page.slice(page.indexOf('<tbody>'), page.indexOf('</tbody>'));
    expect(body.match(/class="stance stance--/g)).toHaveLength(12);
    expect(page).toContain('Laatst bijgewerkt');
  });

  it('sorts and filters from the query string, in Dutch and in English words', async () => {
    const order = (page: string) => [...page.matchAll(/class="board__party-name" href="\/(?:en\/)?(?:partijen|parties)\/([^"]+)"/g)].map((m) => m[1]);
    // Seats: B 20, A 10, C 5. Commitments: A (1 committed), B (1 partial), C (none).
    expect(order(await html('/'))).toEqual(['testpartij-b', 'testpartij-a', 'testpartij-c']);
    expect(order(await html('/?sorteer=naam'))).toEqual(['testpartij-a', 'testpartij-b', 'testpartij-c']);
    expect(order(await html('/en?sort=commitments'))).toEqual(['testpartij-a', 'testpartij-b', 'testpartij-c']);
    expect(order(await html('/?sorteer=zetels'))).toEqual(['testpartij-b', 'testpartij-a', 'testpartij-c']);

    const filtered = await html(`/?standpunt=geen-reactie&doel=${goal1}`);
    expect(order(filtered)).toEqual(['testpartij-c']);
    expect(filtered).toContain('1 van de 3 partijen getoond.');
    // The bottom row counts the parties shown, not the whole board.
    expect(countsText(filtered)).toMatch(/0 toegezegd; 0 gedeeltelijk; 0 niet toegezegd; 1 geen reactie/);
    const english = await html('/en?stance=declined');
    expect(order(english)).toEqual(['testpartij-a']);
    expect(english).toContain('Showing 1 of 3 parties.');
  });

  it("shows each party's commitments out of four, and the totals of the whole board", async () => {
    const page = await html('/');
    const rowOf = (slug: string) => page.slice(page.indexOf(`/partijen/${slug}"`), page.indexOf('</tr>', page.indexOf(`/partijen/${slug}"`)));
    expect(rowOf('testpartij-a')).toContain('<td class="board__total">1 / 4</td>');
    expect(rowOf('testpartij-b')).toContain('<td class="board__total">0 / 4</td>');
    expect(page).toContain('<strong>Alle standpunten samen:</strong> 1 toegezegd · 1 gedeeltelijk · 1 niet toegezegd · 9 geen reactie');
    expect(await html('/en')).toContain('<strong>All stances together:</strong> 1 committed · 1 partly committed · 1 declined · 9 no response');
  });

  it('explains each stance in a legend, on the scoreboard and the about page, in both languages', async () => {
    const legends = {
      nl: [
        'neemt de doelstelling over',
        'neemt een deel van de doelstelling over',
        'de doelstelling niet over te nemen',
        'Dat is iets anders dan niet toezeggen.',
      ],
      en: ['includes the goal in its election manifesto', 'includes part of the goal', 'will not include the goal', 'That is not the same as declining.'],
    };
    for (const [pathname, locale] of [
      ['/', 'nl'],
      ['/over', 'nl'],
      ['/en', 'en'],
      ['/en/about', 'en'],
    ] as const) {
      const page = await html(pathname);
      for (const text of legends[locale]) expect(page, `${pathname}: ${text}`).toContain(text);
    }
  });

  it("writes dates in each language's own words", async () => {
    const month = (names: string) => new RegExp(`(Laatst bijgewerkt|Last updated): <time datetime="[^"]+">\\d{1,2} (${names}) \\d{4}`);
    expect(await html('/')).toMatch(month('januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december'));
    expect(await html('/en')).toMatch(month('January|February|March|April|May|June|July|August|September|October|November|December'));
  });

  it('the about page says who runs the board, how pledges are collected and checked, the licence, and where to report a mistake', async () => {
    for (const [pathname, words] of [
      [
        '/over',
        ['Wie zit erachter?', 'Terre des Hommes Nederland', 'Hoe komen de standpunten hier?', 'Hoe controleren we dat?', 'CC BY 4.0', 'Klopt er iets niet?'],
      ],
      ['/en/about', ['Who is behind it?', 'Terre des Hommes', 'How do the stances get here?', 'How do we check it?', 'CC BY 4.0', 'Something wrong?']],
    ] as const) {
      const page = await html(pathname);
      for (const text of words) expect(page, `${pathname}: ${text}`).toContain(text);
      expect(page, pathname).toContain('<a href="https://www.terredeshommes.nl">www.terredeshommes.nl</a>');
    }
  });

  it('says so when a party has not responded to any goal, and not otherwise', async () => {
    expect(await html('/partijen/testpartij-c')).toContain('Deze partij heeft nog op geen enkele doelstelling gereageerd.');
    expect(await html('/en/parties/testpartij-c')).toContain('This party has not yet responded on any of the goals.');
    expect(await html('/partijen/testpartij-a')).not.toContain('Deze partij heeft nog op geen enkele doelstelling gereageerd.');
  });

  it("groups a goal's parties by stance, those that did not respond apart", async () => {
    const page = await html(`/doelen/${goal1}`);
    const stanceOf = (slug: string) => stanceBefore(page, new RegExp(`href="/partijen/${slug}"`));
    expect(stanceOf('testpartij-a')).toBe('committed');
    expect(stanceOf('testpartij-b')).toBe('partial');
    expect(stanceOf('testpartij-c')).toBe('none');
  });

  it('compares parties side by side; unknown ones are left out with a note, one is a start, too many is refused', async () => {
    const two = await html('/vergelijk?partijen=testpartij-a,testpartij-b');
    expect(two).toContain('>Vergelijking van Testpartij A, Testpartij B</h1>');
    expect(two.match(/class="compare-grid compare-grid--2"/g)).toHaveLength(goals.length);
    expect(await html('/en/compare?parties=testpartij-c,testpartij-a,testpartij-b')).toContain('>Comparison of Testpartij C, Testpartij A, Testpartij B</h1>');
    for (const [query, status, message] of [
      // One party: a start (the party page's link), with the others to choose from.
      ['?partijen=testpartij-a', 200, 'Kies hieronder nog minstens één partij om met Testpartij A te vergelijken.'],
      // Unknown parties are named and left out; the rest is compared.
      ['?partijen=testpartij-a,verzonnen,testpartij-b', 200, 'Deze partijen staan niet op het scorebord en zijn weggelaten: verzonnen.'],
      ['?partijen=a,b,c,d,e', 200, 'Deze partijen staan niet op het scorebord en zijn weggelaten: a, b, c, d, e.'],
      // Doubled slugs count once.
      ['?partijen=testpartij-a,TESTPARTIJ-A,testpartij-b', 200, '>Vergelijking van Testpartij A, Testpartij B</h1>'],
      ['?partijen=%00,testpartij-a,,%20,testpartij-b', 200, '>Vergelijking van Testpartij A, Testpartij B</h1>'],
    ] as const) {
      const response = await get(`/vergelijk${query}`);
      expect(response.status, query).toBe(status);
      expect(await response.text(), query).toContain(message);
    }
    const english = await get('/en/compare?parties=testpartij-a,made-up');
    expect(english.status).toBe(200);
    const englishPage = await english.text();
    expect(englishPage).toContain('These parties are not on the scoreboard and were left out: made-up.');
    expect(englishPage).toContain('Choose at least one more party below to compare with Testpartij A.');
    expect(englishPage).toMatch(/<input type="checkbox" name="parties" value="testpartij-a" checked>/);
    // The form's checkboxes send the parameter twice; the shareable address is a comma list.
    const boxes = await get('/vergelijk?partijen=testpartij-a&partijen=testpartij-b', { redirect: 'manual' });
    expect(boxes.status).toBe(303);
    expect(boxes.headers.get('location')).toBe('/vergelijk?partijen=testpartij-a,testpartij-b');
    const englishBoxes = await get('/en/compare?parties=testpartij-a&parties=testpartij-a&parties=testpartij-c', { redirect: 'manual' });
    expect(englishBoxes.headers.get('location')).toBe('/en/compare?parties=testpartij-a,testpartij-c');
  });

  it('the language switch keeps the page and its sorting and filtering', async () => {
    const switchOf = (page: string) =>
      /<a href="([^"]+)" hreflang="(?:en|nl)" lang="(?:en|nl)" class="language-switch"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    expect(switchOf(await html('/?sorteer=naam&standpunt=niet-toegezegd'))).toBe('/en?sort=name&stance=declined');
    expect(switchOf(await html(`/en/goals/${goal2}`))).toBe(`/doelen/${goal2}`);
    expect(switchOf(await html('/en/parties/testpartij-b'))).toBe('/partijen/testpartij-b');
  });

  it('counts each stance per goal', async () => {
    const page = await html('/');
    // Goal 1: A committed, B partial, C no response.
    expect(countsText(page)).toMatch(/1 toegezegd; 1 gedeeltelijk; 0 niet toegezegd; 1 geen reactie/);
  });

  it('works without JavaScript: no script on any public page', async () => {
    for (const pathname of ['/', `/doelen/${goal1}`, '/partijen/testpartij-a', '/vergelijk?partijen=testpartij-a,testpartij-b', '/over', '/en/about']) {
      expect(await html(pathname)).not.toMatch(/<script/i);
    }
  });

  it('shows a goal with its measures, manifesto text and what each party said', async () => {
    const page = await html(`/doelen/${goal1}`);
    expect(page).toContain(goals[0]!.title);
    expect(page).toContain(goals[0]!.measures[0]!.slice(0, 40));
    expect(page).toContain(goals[0]!.manifestoText.slice(0, 40));
    expect(page).toContain('A zegt ja.');
    expect(page).toContain('seksueel kindermisbruikmateriaal (CSAM)');
  });

  it('escapes a statement instead of running it', async () => {
    const page = await html(`/doelen/${goal1}`);
    expect(page).not.toContain(HOSTILE);
    expect(page).toContain('&lt;script&gt;');
  });

  it("shows a party's stance, statement and evidence link per goal", async () => {
    const page = await html('/partijen/testpartij-a');
    expect(page).toContain('A zegt ja.');
    expect(page).toContain('href="https://example.org/a/programma.pdf"');
    expect(page).toMatch(/pagina 7/);
    expect(page).toContain('Deze partij heeft op deze doelstelling nog niet gereageerd.');
  });

  it('answers 404 with a page for an unknown party, goal or path', async () => {
    for (const pathname of ['/partijen/bestaat-niet', '/doelen/bestaat-niet', '/nergens']) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(404);
      expect(await response.text()).toContain('Pagina niet gevonden');
    }
  });

  it('serves the scoreboard JSON exactly as the contract says', async () => {
    const response = await get('/api/v1/scoreboard.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = scoreboardContract.parse(await response.json());
    expect(body.goals.map((g) => g.slug)).toEqual(goals.map((g) => g.slug));
    expect(body.parties.map((p) => p.slug)).toEqual(['testpartij-b', 'testpartij-a', 'testpartij-c']);
    const a = body.parties.find((p) => p.slug === 'testpartij-a')!;
    expect(Object.keys(a.pledges)).toEqual(goals.map((g) => g.slug));
    expect(a.pledges[goal1]).toMatchObject({ stance: 'committed', statement: 'A zegt ja.', evidenceUrl: 'https://example.org/a/programma.pdf' });
    expect(a.pledges[goal2]!.stance).toBe('declined');
    expect(a.pledges[goal3]).toEqual({
      stance: 'none',
      statement: null,
      evidenceUrl: null,
      updatedAt: null,
      statementHiddenReason: null,
      correctedByCampaign: null,
      check: {
        status: 'unchecked',
        checkedAt: null,
        reason: null,
        quote: null,
        page: null,
        url: null,
        reply: null,
        evidence: null,
        since: null,
        sinceFetchedAt: null,
      },
    });
    expect(body.parties.find((p) => p.slug === 'testpartij-b')!.pledges[goal1]!.statement).toBe(HOSTILE);
  });

  it('gives goal titles in English with ?lang=en, and a 400 for an unknown language', async () => {
    const en = (await (await get('/api/v1/scoreboard.json?lang=en')).json()) as { goals: { title: string }[] };
    expect(en.goals[0]!.title).toMatch(/^Remove child sexual abuse/);
    const bad = await get('/api/v1/scoreboard.json?lang=fr');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'lang must be "nl" or "en"' });
  });

  it('refuses to be framed outside /embed', async () => {
    const response = await get('/');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
