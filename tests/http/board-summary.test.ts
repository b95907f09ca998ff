/**
 * The scoreboard's one line on top (issue 12): parties that commit to every goal and parties
 * that have not responded, counted as parties, in both languages, saying when a filter narrows
 * what it counts. Also the compare form on the board: a checkbox per party, sent by GET to the
 * compare page, which accepts the repeated parameter a form sends. Fictional parties.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoals } from '../../src/content-files.ts';
import { campaignParties, parties } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import type { Stance } from '../../src/domain/stances.ts';
import { TEST_ACTOR, TEST_PARTIES, testRep, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

const goals = await readGoals('nl');

/** The text of the summary paragraph, tags and extra spaces stripped. */
function summaryOf(html: string): string | null {
  const match = /<p class="board-summary"[^>]*>([\s\S]*?)<\/p>/.exec(html);
  return match
    ? match[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    : null;
}

describe('the summary line and the compare picks on the scoreboard', () => {
  let site: TestSite;
  const get = (pathname: string) => fetch(new URL(pathname, site.url), { redirect: 'manual' });
  const html = async (pathname: string) => {
    const response = await get(pathname);
    expect(response.status, pathname).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    site = await startTestSite('pglite');
    await site.db.delete(campaignParties);
    await site.db.delete(parties);
    await addTestParties(site.db, TEST_PARTIES);
    // A (10 seats): committed on every goal. B: said nothing. C: partly, on the first goal only.
    // Each in its own representative's name: only that is an answer (src/domain/answers.ts).
    const ids = new Map((await site.db.select({ id: parties.id, slug: parties.slug }).from(parties)).map((p) => [p.slug, p.id]));
    const pledge = async (partySlug: string, goalSlug: string, stance: Stance) => {
      const saved = await savePledge(site.db, {
        partySlug,
        goalSlug,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: 0,
        input: { stance, statement: 'Een verzonnen standpunt.' },
        actor: testRep(ids.get(partySlug)!),
        campaignId: TEST_CAMPAIGN_ID,
      });
      expect(saved.status).toBe('saved');
    };
    for (const goal of goals) await pledge('testpartij-a', goal.slug, 'committed');
    await pledge('testpartij-c', goals[0]!.slug, 'partial');
  });
  afterAll(() => site?.close());

  it('counts parties, not cells, in Dutch and English', async () => {
    expect(summaryOf(await html('/'))).toBe('1 van 3 partijen zegt alle 4 doelstellingen toe; 1 reageerde nog niet.');
    expect(summaryOf(await html('/en'))).toBe('1 of 3 parties commits to all 4 goals; 1 has not responded yet.');
  });

  it('says it counts the parties shown when a filter is on, and is left out when none is shown', async () => {
    // "No response" on some goal: B and C.
    expect(summaryOf(await html('/?standpunt=geen-reactie'))).toBe('0 van 2 getoonde partijen zeggen alle 4 doelstellingen toe; 1 reageerde nog niet.');
    expect(summaryOf(await html('/en?stance=committed'))).toBe('1 of 1 party shown commits to all 4 goals.');
    const none = await html('/?standpunt=niet-toegezegd');
    expect(summaryOf(none)).toBeNull();
    expect(none).toContain('Geen enkele partij past bij deze keuze.');
  });

  it('folds the filters away unless one is set, and no longer tells anyone to scroll sideways', async () => {
    const page = await html('/');
    expect(page).toMatch(/<details class="board-filters">\s*<summary>Filter en sorteer<\/summary>/);
    expect(page).not.toMatch(/Scroll opzij/i);
    expect(await html('/?sorteer=naam')).toMatch(/<details class="board-filters" open>/);
    expect(await html('/en')).toContain('<summary>Filter and sort</summary>');
  });

  it('sends the parties picked on the board to the compare page, by GET, without JavaScript', async () => {
    const page = await html('/');
    expect(page).toMatch(/<form method="get" action="\/vergelijk" class="board-compare">/);
    for (const party of TEST_PARTIES) {
      expect(page).toContain(`<input type="checkbox" name="partijen" value="${party.slug}"`);
      expect(page).toContain(`${party.name} vergelijken`);
    }
    expect(await html('/en')).toMatch(/<input type="checkbox" name="parties" value="testpartij-a"/);
    // What the form sends: the name repeated. The compare page answers with its shareable address.
    const sent = await get('/vergelijk?partijen=testpartij-a&partijen=testpartij-c');
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/vergelijk?partijen=testpartij-a,testpartij-c');
    const sentEn = await get('/en/compare?parties=testpartij-b&parties=testpartij-a');
    expect(sentEn.headers.get('location')).toBe('/en/compare?parties=testpartij-b,testpartij-a');
    expect(await html('/vergelijk?partijen=testpartij-a,testpartij-c')).toContain('Vergelijking van Testpartij A, Testpartij C');
  });

  it('links each stance on the board to its statement, named by the words, the party and the goal', async () => {
    const goal = goals[0]!;
    for (const [board, href, words, context] of [
      ['/', `/partijen/testpartij-c/doelen/${goal.slug}`, 'Gedeeltelijk', ` \\(Testpartij C, doel 1: `],
      ['/en', `/en/parties/testpartij-c/goals/${goal.slug}`, 'Partly committed', ` \\(Testpartij C, goal 1: `],
    ] as const) {
      const page = await html(board);
      const link = new RegExp(`<a class="board__cell-link" href="${href}">([\\s\\S]*?)</a>`).exec(page);
      expect(link, `${board} links ${href}`).not.toBeNull();
      const name = link![1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      expect(link![1], href).toContain('stance--partial');
      expect(name, href).toMatch(new RegExp(`^${words}${context}[^)]+\\)$`));
      // Every cell of every party is such a link.
      expect(page.match(/class="board__cell-link"/g), board).toHaveLength(TEST_PARTIES.length * goals.length);
      // Its page says the stance in words, with the statement.
      const statement = await html(href);
      expect(statement, href).toContain(words);
      expect(statement, href).toContain('Een verzonnen standpunt.');
    }
    // On the board as of a moment, the links keep that moment.
    const at = new Date().toISOString(); // after every party and pledge of this board was made
    const frozen = await html(`/?at=${at}`);
    expect(frozen).toContain(`class="board__cell-link" href="/partijen/testpartij-c/doelen/${goal.slug}?at=${encodeURIComponent(at)}"`);
  });
  it('counts a party whose stances only the campaign or the system filled in as not responded, as its page says', async () => {
    const save = (actor: Actor, goalSlug: string) =>
      savePledge(site.db, {
        partySlug: 'testpartij-b',
        goalSlug,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: 0,
        input: { stance: 'committed', statement: '' },
        actor,
        campaignId: TEST_CAMPAIGN_ID,
        correctionReason: actor.role === 'admin' ? 'Overgenomen uit het verkiezingsprogramma.' : null,
      });
    expect((await save({ userId: null, name: 'Campagneteam', role: 'admin', partyId: null, label: 'test' }, goals[0]!.slug)).status).toBe('saved');
    expect((await save(TEST_ACTOR, goals[1]!.slug)).status).toBe('saved');
    await site.app.boardVersion.refresh();
    expect(summaryOf(await html('/'))).toBe('1 van 3 partijen zegt alle 4 doelstellingen toe; 1 reageerde nog niet.');
    const page = await html('/partijen/testpartij-b');
    expect(page).toContain('nog geen antwoord');
    expect(page).toContain('Deze partij heeft nog op geen enkele doelstelling gereageerd.');
    expect(await html('/partijen/testpartij-c')).not.toContain('Deze partij heeft nog op geen enkele doelstelling gereageerd.');
  });
});
