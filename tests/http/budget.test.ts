/**
 * The scoreboard's weight with 15 parties: under 60 KB of HTML+CSS compressed (the CSS is
 * inlined), no script it needs to work, and nothing loaded from another site.
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignParties, parties } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { readGoals } from '../../src/content-files.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { seedFullBoard } from '../fixtures/board.ts';

const BUDGET = 60 * 1024;

describe('the scoreboard page budget', () => {
  let site: TestSite;
  let html = '';

  beforeAll(async () => {
    site = await startTestSite('pglite');
    // Exactly 15 parties on the board: the fictional ones below, none of the imported list.
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    const goals = await readGoals('nl');
    const fifteen = Array.from({ length: 15 }, (_, i) => ({
      slug: `begrotingspartij-${i + 1}`,
      name: `Begrotingspartij met een lange naam ${i + 1}`,
      abbreviation: `BP${i + 1}`,
      seats: 30 - i,
      website: `https://example.org/bp${i + 1}`,
    }));
    await seedFullBoard(site.db, goals, fifteen, { statement: () => 'x'.repeat(1000), evidencePage: () => 1, actor: SYSTEM_ACTOR });
    html = await (await fetch(site.url)).text();
  });
  afterAll(() => site?.close());

  it('shows all 15 parties', () => {
    expect(html.match(/<th scope="row">/g)?.length).toBe(15 + 1); // + the counts row
  });

  it(`is under ${BUDGET / 1024} KB compressed (HTML with its inlined CSS)`, () => {
    const raw = Buffer.byteLength(html);
    const gzip = gzipSync(html, { level: 9 }).length;
    const brotli = brotliCompressSync(html).length;
    console.log(`scoreboard, 15 parties: ${raw} bytes raw, ${gzip} gzip, ${brotli} brotli`);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/); // no CSS outside the page
    expect(gzip).toBeLessThan(BUDGET);
    expect(brotli).toBeLessThan(BUDGET);
  });

  it('loads no script, and nothing from another site', () => {
    expect(html).not.toMatch(/<script/i);
    // Tags that make a browser fetch something (canonical and alternate links only name pages).
    const fetching = [...html.matchAll(/<(link|img|iframe|source|video|audio|embed|object)\b[^>]*>/gi)]
      .map((m) => m[0])
      .filter((tag) => !/rel="(canonical|alternate)"/.test(tag));
    const urls = fetching.flatMap((tag) => [...tag.matchAll(/\s(?:src|href|data)="([^"]+)"/g)].map((m) => m[1]!));
    expect(urls.length).toBeGreaterThan(0); // the icon, at least
    expect(urls.filter((url) => /^(https?:)?\/\//.test(url))).toEqual([]);
  });
});
