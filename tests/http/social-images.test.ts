/**
 * The social images over HTTP: every address (both languages, both shapes, the scoreboard, a
 * party and a goal) answers a PNG of the promised size with the open data's caching headers;
 * an unknown goal or party is a 404 and a shape that does not exist a 400, never a 500. A goal
 * page's og:image is its own picture. And how long a first (uncached) picture takes.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignParties, parties } from '../../src/db/schema.ts';
import { readGoals } from '../../src/content-files.ts';
import { ENGINES } from '../helpers/engines.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { seedFullBoard, TEST_ACTOR } from '../fixtures/board.ts';

const goals = await readGoals('nl');
const goal = goals[0]!.slug;

describe.each(ENGINES)('social images on %s', (engine) => {
  let site: TestSite;
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, site.url), init);

  beforeAll(async () => {
    site = await startTestSite(engine, { PUBLIC_URL: 'https://board.example' });
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    const fifteen = Array.from({ length: 15 }, (_, i) => ({
      slug: `beeldpartij-${i + 1}`,
      name: `Beeldpartij ${i + 1}`,
      abbreviation: `BP${i + 1}`,
      seats: 30 - i,
      website: `https://example.org/beeld${i + 1}`,
    }));
    await seedFullBoard(site.db, goals, fifteen, { statement: () => 'Ja.', evidencePage: () => 1, actor: TEST_ACTOR });
  });
  afterAll(() => site?.close());

  it.each([
    ['/afbeelding/scorebord.png', 1200, 630],
    ['/afbeelding/scorebord.png?formaat=liggend', 1200, 630],
    ['/afbeelding/scorebord.png?formaat=vierkant', 1080, 1080],
    ['/en/image/scoreboard.png?format=square', 1080, 1080],
    [`/afbeelding/doel/${goal}.png`, 1200, 630],
    [`/afbeelding/doel/${goal}.png?formaat=vierkant`, 1080, 1080],
    [`/en/image/goal/${goal}.png`, 1200, 630],
    [`/en/image/goal/${goal}.png?format=square&at=2026-01-01T00:00:00Z`, 1080, 1080],
    ['/afbeelding/partij/beeldpartij-3.png?formaat=vierkant', 1080, 1080],
    ['/en/image/party/beeldpartij-3.png', 1200, 630],
  ])('%s: a %i×%i PNG with ETag and public caching', async (path, width, height) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
    expect([png.width, png.height]).toEqual([width, height]);
    const again = await get(path, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('the square is another picture than the wide one, and the goal another than the board', async () => {
    const bytes = async (path: string) => Buffer.from(await (await get(path)).arrayBuffer()).toString('base64');
    const wide = await bytes('/afbeelding/scorebord.png');
    expect(await bytes('/afbeelding/scorebord.png?formaat=vierkant')).not.toBe(wide);
    expect(await bytes(`/afbeelding/doel/${goal}.png`)).not.toBe(wide);
  });

  it.each([
    ['/afbeelding/doel/bestaat-niet.png', 404],
    ['/afbeelding/doel/%00.png', 404],
    ['/en/image/goal/nope.png?format=square', 404],
    ['/afbeelding/partij/bestaat-niet.png?formaat=vierkant', 404],
    ['/afbeelding/scorebord.png?formaat=rond', 400],
    ['/afbeelding/scorebord.png?formaat=', 400],
    ['/afbeelding/scorebord.png?formaat=square', 400],
    ['/en/image/scoreboard.png?format=vierkant', 400],
    [`/afbeelding/doel/${goal}.png?formaat=%00`, 400],
    ['/afbeelding/partij/beeldpartij-3.png?formaat=VIERKANT', 400],
    [`/afbeelding/doel/${goal}.png?at=gisteren`, 400],
  ])('%s: %i with a JSON message, not cached', async (path, status) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await response.json()).error).toBeTruthy();
  });

  it('says which shapes there are, in the words of the address', async () => {
    expect((await (await get('/afbeelding/scorebord.png?formaat=rond')).json()).error).toBe('formaat moet "liggend" of "vierkant" zijn');
    expect((await (await get('/en/image/scoreboard.png?format=round')).json()).error).toBe('format must be "landscape" or "square"');
  });

  it("a goal page's og:image is that goal's picture, in the page's language", async () => {
    const nl = await (await get(`/doelen/${goal}`)).text();
    expect(nl).toContain(`<meta property="og:image" content="https://board.example/campagnes/tweede-kamer-2025/afbeelding/doel/${goal}.png"`);
    const en = await (await get(`/en/goals/${goal}`)).text();
    expect(en).toContain(`<meta property="og:image" content="https://board.example/en/campaigns/tweede-kamer-2025/image/goal/${goal}.png"`);
  });

  it('draws a first (uncached) picture of the 15-party board quickly', async () => {
    // A moment no other request asked for, after the board was filled: the same 15 parties, drawn
    // anew rather than taken from a cache (after one picture has loaded the fonts).
    await (await get('/afbeelding/scorebord.png')).arrayBuffer();
    const times: number[] = [];
    for (const [i, path] of ['/afbeelding/scorebord.png', '/afbeelding/scorebord.png?formaat=vierkant', `/afbeelding/doel/${goal}.png`].entries()) {
      const at = new Date(Date.now() - 1000 - i * 1000).toISOString();
      const start = performance.now();
      const response = await get(`${path}${path.includes('?') ? '&' : '?'}at=${at}`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      times.push(performance.now() - start);
    }
    console.log(`social images, 15 parties, uncached: ${times.map((t) => `${Math.round(t)} ms`).join(', ')}`);
    // About 100 ms on an idle machine; the bound only catches a picture gone astray.
    for (const time of times) expect(time).toBeLessThan(5000);
  });
});
