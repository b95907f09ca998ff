/**
 * What every answer of the built site says about itself: HTML and data name their character
 * set, the permissions policy names current features only, and a query parameter no page
 * reads does not cost a render (nor a cache entry) of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSite, type TestSite } from '../helpers/site.ts';

describe('the answers of the front', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1' });
  });
  afterAll(() => site?.close());

  const get = (path: string, init?: RequestInit) => fetch(new URL(path, site.url), init);

  it('names the character set of every page and data file', async () => {
    const expected: Record<string, string> = {
      '/': 'text/html; charset=utf-8',
      '/en': 'text/html; charset=utf-8',
      '/inloggen': 'text/html; charset=utf-8',
      '/bestaat-niet': 'text/html; charset=utf-8',
      '/embed/scorebord': 'text/html; charset=utf-8',
      '/api/v1/scoreboard.json': 'application/json; charset=utf-8',
      '/feed.xml': 'application/atom+xml; charset=utf-8',
    };
    for (const [path, type] of Object.entries(expected)) {
      expect((await get(path)).headers.get('content-type'), path).toBe(type);
    }
    expect((await get('/api/v1/pledges.csv')).headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
  });

  it('sends a permissions policy without the obsolete interest-cohort', async () => {
    const policy = (await get('/')).headers.get('permissions-policy')!;
    expect(policy).not.toContain('interest-cohort');
    expect(policy).toContain('browsing-topics=()');
    expect(policy).toContain('camera=()');
  });

  it('answers a query parameter no page reads from the copy without it', async () => {
    await get('/');
    for (const path of ['/?utm_source=nieuwsbrief', '/?x=1&y=2', '/?', '/?&&']) {
      const response = await get(path);
      expect(response.headers.get('x-pledgeboard-cache'), path).toBe('hit');
    }
    // The ones pages read still count, in any order, the unknown ones left out.
    const sorted = await get('/?sorteer=naam&standpunt=toegezegd');
    expect(sorted.headers.get('x-pledgeboard-cache')).toBe('miss');
    for (const path of ['/?standpunt=toegezegd&sorteer=naam', '/?utm_source=x&sorteer=naam&standpunt=toegezegd']) {
      expect((await get(path)).headers.get('x-pledgeboard-cache'), path).toBe('hit');
    }
  });

  it('keeps a doubled parameter, both values in their order, for the page to judge', async () => {
    // The compare page turns the checkboxes' `?partijen=a&partijen=b` into `?partijen=a,b`.
    const doubled = await get('/vergelijk?partijen=partij-a&onbekend=1&partijen=partij-b', { redirect: 'manual' });
    expect(doubled.status).toBe(303);
    expect(doubled.headers.get('location')).toBe('/vergelijk?partijen=partij-a,partij-b');
  });
});
