/**
 * Issue 12's small things on the voter's pages: a seat count in the singular for one, a name
 * that is its own abbreviation shown once, and a Dutch statement on an English page announced
 * as Dutch in words (the lang attribute alone is heard by a screen reader, never seen).
 * Fictional parties on the demo board (fictional too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoals } from '../../src/content-files.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { TEST_ACTOR, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const goals = await readGoals('nl');
const goal = goals[0]!.slug;
const STATEMENT = 'Wij steunen dit doel volledig.';

describe("the voter's pages, in small things", () => {
  let site: TestSite;
  const html = async (pathname: string) => {
    const response = await fetch(new URL(pathname, site.url));
    expect(response.status, pathname).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1' });
    await addTestParties(site.db, [
      { slug: 'eenling', name: 'Eenlingpartij', abbreviation: 'ELP', seats: 1, website: null },
      { slug: 'kr8t', name: 'Kr8t', abbreviation: 'KR8T', seats: 2, website: null },
    ]);
    const saved = await savePledge(site.db, {
      partySlug: 'eenling',
      goalSlug: goal,
      goalSlugs: goals.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'committed', statement: STATEMENT },
      actor: TEST_ACTOR,
      campaignId: TEST_CAMPAIGN_ID,
    });
    expect(saved.status).toBe('saved');
  });
  afterAll(() => site?.close());

  it('says "1 seat" and "1 zetel", never "1 seats"', async () => {
    for (const page of [await html('/en/parties/eenling'), await html('/en')]) {
      expect(page).toMatch(/\b1 seat\b/);
      expect(page).not.toMatch(/\b1 seats\b/);
    }
    for (const page of [await html('/partijen/eenling'), await html('/')]) {
      expect(page).toMatch(/\b1 zetel\b/);
      expect(page).not.toMatch(/\b1 zetels\b/);
    }
    expect(await html('/en/parties/kr8t')).toMatch(/\b2 seats\b/);
  });

  it('shows a name once when the abbreviation is the same name', async () => {
    for (const pathname of ['/en/parties/kr8t', '/partijen/kr8t', '/vergelijk', '/', '/embed/partij/kr8t']) {
      const page = await html(pathname);
      expect(page, pathname).toContain('Kr8t');
      expect(page, pathname).not.toMatch(/Kr8t\s*(<[^>]+>\s*)*\(KR8T\)/);
      expect(page, pathname).not.toMatch(/KR8T ·/);
    }
    // A different abbreviation is still shown, a space apart from the name.
    for (const pathname of ['/en/parties/eenling', '/en/embed/party/eenling']) {
      expect(await html(pathname), pathname).toMatch(/Eenlingpartij\s+<span class="meta">\(ELP\)<\/span>/);
    }
  });

  it('says "In Dutch" before a Dutch statement on English pages, and not on Dutch ones', async () => {
    const note = /<span class="statement__lang" lang="en">In Dutch:<\/span>\s*Wij steunen/;
    for (const pathname of ['/en/parties/eenling', `/en/goals/${goal}`, '/en/compare?parties=eenling,kr8t', '/en/embed/party/eenling']) {
      const page = await html(pathname);
      expect(page, pathname).toContain(STATEMENT);
      expect(page, pathname).toMatch(note);
    }
    // The party page also shows the statement in its history: announced there too.
    expect((await html('/en/parties/eenling')).match(new RegExp(note.source, 'g'))).toHaveLength(2);
    expect(await html('/partijen/eenling')).not.toContain('class="statement__lang"');
  });
});

describe('the stance icons', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite('pglite', { DEMO: '1' });
  });
  afterAll(() => site?.close());

  // Each badge refers to its shape (`<use href="#stance-…">`), drawn once per page by the layout:
  // a page whose layout lost the shapes would show empty circles where the stances are.
  it('are drawn once per page, and every icon refers to a shape the page has', async () => {
    const pages = ['/', '/en', '/partijen/kompas', `/doelen/${goal}`, '/vergelijk?partijen=kompas,zeewind', '/partijen/kompas/doelen/' + goal];
    pages.push('/embed/scoreboard', '/embed/partij/kompas', `/embed/doel/${goal}`, '/en/embed/scoreboard?theme=dark');
    let corrected = 0;
    for (const pathname of pages) {
      const response = await fetch(new URL(pathname, site.url));
      expect(response.status, pathname).toBe(200);
      const page = await response.text();
      const used = new Set([...page.matchAll(/<use href="#([\w-]+)"/g)].map((m) => m[1]!));
      expect(used.size, pathname).toBeGreaterThan(0);
      for (const id of used) expect(page.split(`<symbol id="${id}"`).length - 1, `${pathname} #${id}`).toBe(1);
      if (used.has('correction-pencil')) corrected++;
    }
    // The demo board has a campaign correction (Kompas): its pencil is a shape too.
    expect(corrected).toBeGreaterThan(0);
  });
});
