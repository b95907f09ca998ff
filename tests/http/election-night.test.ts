/**
 * Election night with the real site: cached public pages change as soon as a pledge is saved,
 * on this instance at once and on another instance (same Postgres) within a second; pages for
 * signed-in people are never cached; public pages carry headers a CDN can follow.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { openDatabase } from '../../src/db/client.ts';
import { campaignParties, parties } from '../../src/db/schema.ts';
import { systemActorNamed } from '../../src/domain/actors.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount, signInOverHttp } from '../helpers/accounts.ts';
import { createPostgresDatabase, ENGINES } from '../helpers/engines.ts';
import { FormClient } from '../helpers/form-client.ts';
import { pledgeFormFields } from '../helpers/pledge-form.ts';
import { seedDatabase } from '../helpers/seed.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { stanceAfter } from '../helpers/stance-in-html.ts';
import { TEST_PARTIES, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';

const goals = await readGoals('nl');
const goal = goals[0]!.slug;

interface BoardJson {
  parties: { slug: string; pledges: Record<string, { stance: string; statement: string | null }> }[];
}
const stanceOf = (board: BoardJson, party: string, goalSlug = goal) => board.parties.find((p) => p.slug === party)?.pledges[goalSlug]?.stance;

describe.each(ENGINES)('the response cache with the real site, on %s', (engine) => {
  let site: TestSite;
  let rep: FormClient;

  beforeAll(async () => {
    site = await startTestSite(engine);
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    await site.app.boardVersion.refresh();
    const account = await createAccount(site.db, { email: 'rep@partij-a.example', party: 'testpartij-a' });
    rep = new FormClient(site.url);
    const { token } = await createSession(site.db, account.user.id);
    rep.cookies.set(SESSION_COOKIE, token);
  });
  afterAll(() => site?.close());

  it('public pages and data say how caches may keep them', async () => {
    for (const path of ['/', `/doelen/${goal}`, '/partijen/testpartij-a', '/en/compare', '/embed/scoreboard', '/api/v1/scoreboard.json', '/feed.xml']) {
      const response = await fetch(new URL(path, site.url));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toMatch(/^public, .*s-maxage=\d+.*stale-while-revalidate=\d+.*stale-if-error=\d+/);
    }
    const frozen = await fetch(new URL('/?at=2026-01-01T00:00:00Z', site.url));
    // Short enough that a statement hidden later is gone from browsers and CDNs within minutes.
    const frozenPolicy = frozen.headers.get('cache-control')!;
    expect(frozenPolicy).toMatch(/^public, /);
    expect(Number(/max-age=(\d+)/.exec(frozenPolicy)![1])).toBeLessThanOrEqual(60);
    expect(Number(/s-maxage=(\d+)/.exec(frozenPolicy)![1])).toBeLessThanOrEqual(300);
  });

  it('pages, embeds and every open-data endpoint come from the cache, compressed, with a 304 for their ETag', async () => {
    const paths = [
      '/',
      '/en',
      `/doelen/${goal}`,
      '/partijen/testpartij-a',
      '/en/compare?parties=testpartij-a,testpartij-b',
      '/embed/scoreboard',
      '/embed/partij/testpartij-a',
      `/embed/doel/${goal}`,
      '/api/v1/scoreboard.json',
      '/api/v1/pledges.csv',
      '/api/v1/events.json',
      '/api/v1/openapi.json',
      '/feed.xml',
      '/partijen/testpartij-a/feed.xml',
      `/doelen/${goal}/feed.xml`,
      `/oembed?url=${encodeURIComponent(new URL('/embed/scoreboard', site.url).href)}`,
    ];
    for (const path of paths) {
      const url = new URL(path, site.url);
      await fetch(url);
      const again = await fetch(url, { headers: { 'accept-encoding': 'br' } });
      expect(again.status, path).toBe(200);
      expect(again.headers.get('x-pledgeboard-cache'), path).toBe('hit');
      expect(again.headers.get('content-encoding'), path).toBe('br');
      const etag = again.headers.get('etag')!;
      expect(etag, path).toMatch(/^"[^"]+"$/);
      const revalidated = await fetch(url, { headers: { 'if-none-match': etag } });
      expect(revalidated.status, path).toBe(304);
      expect(revalidated.headers.get('etag'), path).toBe(etag);
    }
  });

  it('a saved pledge shows on the very next request of every cached page', async () => {
    // Each page's own sign of party A's stance on the goal: not just any badge or word on it
    // (the scoreboard's legend shows every stance, whatever the board holds).
    const rowOfA = /class="board__party-name" href="[^"]*\/partijen\/testpartij-a"/;
    const showsSave: Record<string, (body: string) => boolean> = {
      '/': (html) => stanceAfter(html, rowOfA) === 'committed',
      '/partijen/testpartij-a': (html) => html.includes('Vers van de pers.'),
      '/api/v1/scoreboard.json': (json) => stanceOf(JSON.parse(json) as BoardJson, 'testpartij-a') === 'committed',
      '/en/parties/testpartij-a': (html) => html.includes('Vers van de pers.'),
    };
    for (const [path, showsIt] of Object.entries(showsSave)) {
      await fetch(new URL(path, site.url));
      const cached = await fetch(new URL(path, site.url));
      expect(cached.headers.get('x-pledgeboard-cache'), path).toBe('hit');
      expect(showsIt(await cached.text()), `${path} before the save`).toBe(false);
    }
    const saved = await rep.submit('/mijn-partij', 'savePledges', pledgeFormFields('testpartij-a', goal, { statement: 'Vers van de pers.' }));
    expect(saved.status).toBe(303);
    for (const [path, showsIt] of Object.entries(showsSave)) {
      const response = await fetch(new URL(path, site.url));
      expect(response.headers.get('x-pledgeboard-cache'), path).toBe('miss');
      expect(showsIt(await response.text()), `${path} after the save`).toBe(true);
    }
  });

  it('an admin renaming a party or hiding a statement shows on the very next request too', async () => {
    const account = await createAccount(site.db, { email: 'beheer@campagne.example', totp: true });
    const admin = new FormClient(site.url);
    await signInOverHttp(admin, account);
    const paths = ['/', '/partijen/testpartij-a', '/api/v1/scoreboard.json', '/embed/scoreboard'];
    const warm = async () => {
      for (const path of paths) {
        await fetch(new URL(path, site.url));
        expect((await fetch(new URL(path, site.url))).headers.get('x-pledgeboard-cache'), path).toBe('hit');
      }
    };
    await warm();
    const renamed = await admin.submit('/beheer/partijen/testpartij-a', 'updateParty', {
      slug: 'testpartij-a',
      name: 'Hernoemde Partij',
      abbreviation: 'TPA',
      seats: '10',
      website: '',
    });
    expect(renamed.status).toBe(303);
    for (const path of paths) {
      const response = await fetch(new URL(path, site.url));
      expect(response.headers.get('x-pledgeboard-cache'), path).toBe('miss');
      expect(await response.text(), path).toContain('Hernoemde Partij');
    }
    await warm();
    const hidden = await admin.submit('/beheer/partijen/testpartij-a', 'moderateStatement', {
      party: 'testpartij-a',
      goal,
      hide: 'true',
      reason: 'Verborgen voor de test',
    });
    expect(hidden.status).toBe(303);
    for (const path of ['/partijen/testpartij-a', '/api/v1/scoreboard.json']) {
      const response = await fetch(new URL(path, site.url));
      expect(response.headers.get('x-pledgeboard-cache'), path).toBe('miss');
      const body = await response.text();
      expect(body, path).toContain('Verborgen voor de test');
      expect(body, path).not.toContain('Vers van de pers.');
    }
  });

  it('a forged Host header never reaches the copy other readers get', async () => {
    const forged = await new Promise<string>((resolve, reject) => {
      const url = new URL('/partijen/testpartij-b', site.url);
      http
        .get({ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'kwaad.example' } }, (res) => {
          let body = '';
          res
            .setEncoding('utf8')
            .on('data', (chunk: string) => (body += chunk))
            .on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    expect(forged).toContain('kwaad.example'); // that reader asked for it: their canonical says so
    const honest = await (await fetch(new URL('/partijen/testpartij-b', site.url))).text();
    expect(honest).not.toContain('kwaad.example');
    expect(honest).toContain(`<link rel="canonical" href="${site.origin}/campagnes/tweede-kamer-2025/partijen/testpartij-b"`);
  });

  it('never serves or stores a page seen by a signed-in person', async () => {
    const response = await rep.get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-pledgeboard-cache')).toBeNull();
    expect(await response.text()).toContain('Mijn partij');
    const anonymous = await (await fetch(new URL('/', site.url))).text();
    expect(anonymous).not.toContain('Mijn partij');
  });

  it('takes `pb_session =<token>` (a space before =) as signed in too: its page and renewed cookie reach no one else', async () => {
    const account = await createAccount(site.db, { email: 'rep@partij-b.example', party: 'testpartij-b' });
    // A session due for renewal: its page sends the cookie again.
    const { token } = await createSession(site.db, account.user.id, { now: new Date(Date.now() - 10 * 24 * 60 * 60 * 1000) });
    const url = new URL('/en/parties/testpartij-b', site.url);
    const [signedIn, ...anonymous] = await Promise.all([
      fetch(url, { headers: { cookie: `${SESSION_COOKIE} =${token}` } }),
      ...Array.from({ length: 5 }, () => fetch(url)),
    ]);
    expect(signedIn.headers.get('x-pledgeboard-cache')).toBeNull();
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=${token}`))).toBe(true);
    expect(await signedIn.text()).toContain('My party');
    for (const response of [...anonymous, await fetch(url)]) {
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await response.text()).not.toContain('My party');
    }
  });

  it('while readers keep asking during a save, they get the previous board or the new one, never an error, and soon only the new', async () => {
    const other = goals[1]!.slug;
    const url = new URL('/api/v1/scoreboard.json', site.url);
    await fetch(url);
    const before = await fetch(url);
    expect(before.headers.get('x-pledgeboard-cache')).toBe('hit');
    const oldEtag = before.headers.get('etag');
    expect(stanceOf((await before.json()) as BoardJson, 'testpartij-a', other)).toBe('none');

    interface Answer {
      startedAt: number;
      status: number;
      state: string | null;
      etag: string | null;
      cacheControl: string | null;
      stance: string | undefined;
    }
    const answers: Answer[] = [];
    let reading = true;
    const reader = async () => {
      while (reading) {
        const startedAt = performance.now();
        const response = await fetch(url);
        const text = await response.text();
        answers.push({
          startedAt,
          status: response.status,
          state: response.headers.get('x-pledgeboard-cache'),
          etag: response.headers.get('etag'),
          cacheControl: response.headers.get('cache-control'),
          stance: response.status === 200 ? stanceOf(JSON.parse(text) as BoardJson, 'testpartij-a', other) : undefined,
        });
      }
    };
    const readers = Array.from({ length: 8 }, reader);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const saved = await rep.submit(
      '/mijn-partij',
      'savePledges',
      pledgeFormFields('testpartij-a', other, { stance: 'partial', statement: 'Terwijl iedereen kijkt.' }),
    );
    const savedAt = performance.now();
    expect(saved.status).toBe(303);
    // The representative (signed in) sees their own save at once, from no cache.
    const own = await rep.get('/api/v1/scoreboard.json');
    expect(own.headers.get('x-pledgeboard-cache')).toBeNull();
    expect(stanceOf((await own.json()) as BoardJson, 'testpartij-a', other)).toBe('partial');
    expect(await (await rep.get('/partijen/testpartij-a')).text()).toContain('Terwijl iedereen kijkt.');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    reading = false;
    await Promise.all(readers);

    const count = (state: string) => answers.filter((a) => a.state === state).length;
    console.log(`${answers.length} answers during and after a save: ${count('hit')} hit, ${count('stale')} stale, ${count('miss')} miss`);
    // Eight readers asking back to back: while the first after the save waits for the new
    // render, others come, and are not made to wait. On Postgres the render waits for the
    // database, so others do come meanwhile. PGlite runs its queries on the server's own thread:
    // the render holds it from start to end, and a reader who asked meanwhile is only read once
    // it is done, when the new copy is there; it may then never see the previous one. (The rule
    // itself is shown without timing in tests/unit/front-cache.test.ts, "after a write, while
    // the new copy renders".)
    if (engine === 'postgres') expect(count('stale')).toBeGreaterThan(0);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(['hit', 'stale', 'miss']).toContain(answer.state);
      if (answer.state === 'stale') {
        // The previous board, with its own ETag, and no claim to be fresh.
        expect(answer.stance).toBe('none');
        expect(answer.etag).toBe(oldEtag);
        expect(answer.cacheControl).toBe('public, no-cache');
      }
      if (answer.stance === 'partial') expect(answer.etag).not.toBe(oldEtag);
    }
    // Soon after the save (a second: a render takes some milliseconds, more on a busy
    // machine), only the new board.
    const late = answers.filter((a) => a.startedAt > savedAt + 1000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((a) => a.stance === 'partial' && a.state === 'hit')).toBe(true);
  });
});

describe.runIf(ENGINES.includes('postgres'))('two instances on one Postgres', () => {
  let one: RunningServer;
  let two: RunningServer;
  let url: string;
  let drop: () => Promise<void>;
  let repCookie: string;

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    url = created.url;
    drop = created.drop;
    await seedDatabase(
      { engine: 'postgres', url },
      TEST_PARTIES,
      [],
      goals.map((g) => g.slug),
    );
    const database = await openDatabase({ engine: 'postgres', url });
    const account = await createAccount(database.db, { email: 'rep@partij-b.example', party: 'testpartij-b' });
    repCookie = (await createSession(database.db, account.user.id)).token;
    await database.close();
    [one, two] = await Promise.all([startServer({ DATABASE_URL: url, INSTANCE_NAME: 'een' }), startServer({ DATABASE_URL: url, INSTANCE_NAME: 'twee' })]);
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await drop?.();
  });

  async function waitFor(server: RunningServer, check: (board: BoardJson) => boolean): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < 5000) {
      const board = (await (await fetch(new URL('/api/v1/scoreboard.json', server.url))).json()) as BoardJson;
      if (check(board)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('not visible within 5 s');
  }

  it('a save on one instance is visible on the other within one second', async () => {
    // Both have the board cached.
    for (const server of [one, two]) {
      await fetch(new URL('/api/v1/scoreboard.json', server.url));
      expect((await fetch(new URL('/api/v1/scoreboard.json', server.url))).headers.get('x-pledgeboard-cache')).toBe('hit');
    }
    const client = new FormClient(one.url);
    client.cookies.set(SESSION_COOKIE, repCookie);
    const saved = await client.submit(
      '/mijn-partij',
      'savePledges',
      pledgeFormFields('testpartij-b', goal, { stance: 'partial', statement: 'Via instantie een.' }),
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get('x-served-by')).toBe('een');
    const onOne = await waitFor(one, (board) => stanceOf(board, 'testpartij-b') === 'partial');
    const onTwo = await waitFor(two, (board) => stanceOf(board, 'testpartij-b') === 'partial');
    console.log(`visible on the writing instance after ${onOne.toFixed(0)} ms, on the other after ${onTwo.toFixed(0)} ms`);
    expect(onTwo).toBeLessThan(1000);
  });

  it('a write by another tool (e.g. the command line) reaches both instances within one second', async () => {
    const database = await openDatabase({ engine: 'postgres', url });
    try {
      await savePledge(database.db, {
        partySlug: 'testpartij-c',
        goalSlug: goal,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: 0,
        input: { stance: 'declined', statement: '' },
        actor: systemActorNamed('Ander gereedschap'),
        campaignId: TEST_CAMPAIGN_ID,
      });
    } finally {
      await database.close();
    }
    const times = await Promise.all([one, two].map((server) => waitFor(server, (board) => stanceOf(board, 'testpartij-c') === 'declined')));
    expect(Math.max(...times)).toBeLessThan(1000);
  });
});
