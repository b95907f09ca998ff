/**
 * The voter's pages for one party, one goal, one stance and a comparison, over HTTP on the
 * built site: compare's choices (comma list or repeated, unknown, doubled, too many), the
 * party page's glance, last update and compare link, the permalink of a single stance (and
 * its 404s), and a correction by the campaign shown wherever the stance is (board cell,
 * embeds, party, goal, permalink and compare pages, and the JSON).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignParties, parties } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/actors.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { stanceAfter } from '../helpers/stance-in-html.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_ACTOR, TEST_PARTIES, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';

const goals = await readGoals('nl');
const [g1, g2] = [goals[0]!.slug, goals[1]!.slug];
const EXTRA = ['d', 'e', 'f', 'g'].map((letter, i) => ({
  slug: `testpartij-${letter}`,
  name: `Testpartij ${letter.toUpperCase()}`,
  abbreviation: `TP${letter.toUpperCase()}`,
  seats: 4 - i,
  website: null,
}));
const CREATED = new Date('2026-01-01T00:00:00Z');
const SAVED = new Date('2026-02-03T10:00:00Z');
const CORRECTED = new Date('2026-02-10T12:00:00Z');

describe.each(ENGINES)('party, goal, permalink and compare pages on %s', (engine) => {
  let site: TestSite;
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, site.url), init);
  const html = async (path: string) => {
    const response = await get(path);
    expect(response.status, path).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    await db.delete(campaignParties);
    await db.delete(parties);
    await addTestParties(
      db,
      [...TEST_PARTIES, ...EXTRA].map((p) => ({ ...p, createdAt: CREATED })),
    );
    const admin = await createAccount(db, { email: 'beheer@campagne.example', name: 'Bert Bakker' });
    const campaign: Actor = { userId: admin.user.id, name: 'Bert Bakker', role: 'admin', partyId: null, label: admin.email };
    const save = (
      party: string,
      goal: string,
      baseVersion: number,
      stance: 'committed' | 'partial' | 'declined',
      statement: string,
      now: Date,
      actor = TEST_ACTOR,
    ) =>
      savePledge(db, {
        partySlug: party,
        goalSlug: goal,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion,
        input: { stance, statement, evidenceUrl: 'https://example.org/programma.pdf', evidencePage: 4 },
        actor,
        campaignId: TEST_CAMPAIGN_ID,
        correctionReason: actor === campaign ? 'De partij zegt deels ja.' : null,
        now,
      });
    await save('testpartij-a', g1, 0, 'committed', 'A zegt ja.', SAVED);
    await save('testpartij-a', g2, 0, 'declined', 'A zegt nee.', SAVED);
    await save('testpartij-b', g1, 0, 'committed', 'B zegt ja, op de verkeerde pagina.', SAVED);
    // The campaign corrects B's goal 1: a partial commitment, not a full one.
    const corrected = await save('testpartij-b', g1, 1, 'partial', 'B zegt deels ja.', CORRECTED, campaign);
    expect(corrected.status).toBe('saved');
  });
  afterAll(() => site?.close());

  describe('compare', () => {
    it('shows a matrix (goals × parties by abbreviation, icon and words), then the statements per goal', async () => {
      const page = await html('/vergelijk?partijen=testpartij-a,testpartij-b');
      const matrix = page.slice(page.indexOf('<table class="compare-matrix'), page.indexOf('</table>'));
      expect(matrix).toContain('<caption id="compare-caption">Standpunten naast elkaar</caption>');
      expect(matrix).toMatch(/<span class="compare-matrix__abbr">TPA<\/span><span class="compare-matrix__name">Testpartij A<\/span>/);
      expect(matrix.match(/<tbody>/g)).toHaveLength(goals.length);
      expect(matrix.match(/<td headers="/g)).toHaveLength(goals.length * 2);
      expect(matrix.match(/class="stance__label"/g)).toHaveLength(goals.length * 2);
      expect(stanceAfter(matrix, /<td headers="m-[^ ]+ m-party-testpartij-a"/)).toBe('committed');
      // The statements follow the matrix, grouped per goal, each with its permalink.
      expect(page.indexOf('</table>')).toBeLessThan(page.indexOf('class="compare-goal"'));
      expect(page.match(/class="compare-goal"/g)).toHaveLength(goals.length);
      expect(page).toContain(`href="/partijen/testpartij-a/doelen/${g1}"`);
      expect(page).toContain('A zegt ja.');
      // And the parties to choose again, checked.
      expect(page).toMatch(/<form method="get" action="\/vergelijk" class="compare-form" id="kiezen">/);
      expect(page).toMatch(/<input type="checkbox" name="partijen" value="testpartij-b" checked>/);
      expect(page).toMatch(/<input type="checkbox" name="partijen" value="testpartij-c">/);
    });

    it('six parties scroll inside a labelled region; seven are refused with a message', async () => {
      const six = await html('/vergelijk?partijen=testpartij-a,testpartij-b,testpartij-c,testpartij-d,testpartij-e,testpartij-f');
      expect(six).toMatch(/<div class="compare-matrix-region compare-matrix-region--scrolls" role="region" aria-labelledby="compare-caption" tabindex="0">/);
      expect(six).toContain('Schuif de tabel opzij om alle partijen te zien.');
      const four = await html('/vergelijk?partijen=testpartij-a,testpartij-b,testpartij-c,testpartij-d');
      expect(four).toMatch(/<div class="compare-matrix-region" role="region" aria-labelledby="compare-caption">/);
      const seven = await get('/en/compare?parties=testpartij-a,testpartij-b,testpartij-c,testpartij-d,testpartij-e,testpartij-f,testpartij-g');
      expect(seven.status).toBe(400);
      const body = await seven.text();
      expect(body).toContain('Choose at most six parties to compare.');
      expect(body).not.toContain('<table class="compare-matrix');
      expect(body).toMatch(/<input type="checkbox" name="parties" value="testpartij-g" checked>/);
    });

    it('takes repeated and comma-separated parameters, counts a doubled party once, and never fails on junk', async () => {
      const repeated = await get('/vergelijk?partijen=testpartij-a&partijen=testpartij-b,testpartij-a&partijen=verzonnen', { redirect: 'manual' });
      expect(repeated.status).toBe(303);
      expect(repeated.headers.get('location')).toBe('/vergelijk?partijen=testpartij-a,testpartij-b,verzonnen');
      const followed = await html(repeated.headers.get('location')!);
      expect(followed).toContain('>Vergelijking van Testpartij A, Testpartij B</h1>');
      expect(followed).toContain('zijn weggelaten: verzonnen.');
      // Picked on a frozen board: the comparison keeps its moment.
      const frozen = await get('/vergelijk?partijen=testpartij-a&partijen=testpartij-b&at=2026-02-05T00%3A00%3A00Z', { redirect: 'manual' });
      expect(frozen.headers.get('location')).toBe('/vergelijk?partijen=testpartij-a,testpartij-b&at=2026-02-05T00%3A00%3A00Z');
      for (const junk of ['%00%01', '%3Cscript%3E', 'x'.repeat(3000), ',,,', '%E2%80%AE', '%ZZ']) {
        const response = await get(`/vergelijk?partijen=${junk}`);
        expect(response.status, junk).toBeLessThan(500);
        const text = await response.text();
        expect(text).not.toContain('<script>');
        // eslint-disable-next-line no-control-regex
        expect(text).not.toMatch(/[\u0000-\u0008]/);
      }
    });
  });

  describe('party page', () => {
    it('says "n of 4" near the top, when the party was last updated, and links to compare with it', async () => {
      const page = await html('/partijen/testpartij-a');
      const top = page.slice(0, page.indexOf('Standpunten per doelstelling</h2>'));
      expect(top).toContain(`<strong>1 van ${goals.length}</strong> doelstellingen toegezegd`);
      expect(top).toContain(`Laatst bijgewerkt: <time datetime="${SAVED.toISOString()}">3 februari 2026</time>`);
      expect(top).toContain('href="/vergelijk?partijen=testpartij-a"');
      expect(page).toContain(`href="/partijen/testpartij-a/doelen/${g1}"`);
      const english = await html('/en/parties/testpartij-a');
      expect(english).toContain(`<strong>1 of ${goals.length}</strong> goals committed`);
      expect(english).toContain('href="/en/compare?parties=testpartij-a"');
      // The latest change counts, a correction by the campaign too.
      expect(await html('/partijen/testpartij-b')).toContain(`<time datetime="${CORRECTED.toISOString()}">10 februari 2026</time>`);
      // A party that never pledged: not yet.
      const silent = await html('/partijen/testpartij-c');
      expect(silent).toContain('Laatst bijgewerkt: nog niet');
      expect(silent).toContain(`<strong>0 van ${goals.length}</strong>`);
      expect(await html('/en/parties/testpartij-c')).toContain('Last updated: not yet');
      // A frozen view: as it was then.
      expect(await html('/partijen/testpartij-b?at=2026-02-05T00:00:00Z')).toContain(`Laatst bijgewerkt: <time datetime="${SAVED.toISOString()}">`);
    });
  });

  describe('a single stance (permalink)', () => {
    it('shows the stance, statement, evidence, date and history, with its own title and canonical address', async () => {
      const page = await html(`/partijen/testpartij-a/doelen/${g2}`);
      expect(page).toMatch(new RegExp(`<title>Testpartij A over ‘${goals[1]!.shortTitle}’ · `));
      expect(page).toContain(`<link rel="canonical" href="${site.origin}/campagnes/tweede-kamer-2025/partijen/testpartij-a/doelen/${g2}">`);
      expect(page).toContain(`<meta property="og:url" content="${site.origin}/campagnes/tweede-kamer-2025/partijen/testpartij-a/doelen/${g2}">`);
      expect(page).toMatch(/<meta property="og:description" content="Testpartij A \(TPA\): niet toegezegd op doelstelling 2/);
      expect(stanceAfter(page, /class="card permalink__card"/)).toBe('declined');
      expect(page).toContain('A zegt nee.');
      expect(page).toMatch(/<a href="https:\/\/example.org\/programma.pdf" rel="nofollow noopener" class="evidence">[^]*?pagina 4/);
      expect(page).toContain(`datetime="${SAVED.toISOString()}"`);
      expect(page).toContain('Geschiedenis van dit standpunt</h2>');
      expect(page).toContain('href="/partijen/testpartij-a#geschiedenis"');
      // Only this goal's history.
      const history = page.slice(page.indexOf('Geschiedenis van dit standpunt'));
      expect(history).toContain('A zegt nee.');
      expect(history).not.toContain('A zegt ja.');
      const english = await html(`/en/parties/testpartij-a/goals/${g2}`);
      expect(english).toContain(`<link rel="canonical" href="${site.origin}/en/campaigns/tweede-kamer-2025/parties/testpartij-a/goals/${g2}">`);
      expect(english).toContain('In Dutch:');
      // A party that said nothing: a page that says so.
      expect(await html(`/partijen/testpartij-c/doelen/${g1}`)).toContain('Deze partij heeft op deze doelstelling nog niet gereageerd.');
    });

    it('is linked from the party, goal and compare pages', async () => {
      const permalink = `href="/partijen/testpartij-a/doelen/${g1}"`;
      expect(await html('/partijen/testpartij-a')).toContain(permalink);
      expect(await html(`/doelen/${g1}`)).toContain(permalink);
      expect(await html('/vergelijk?partijen=testpartij-a,testpartij-b')).toContain(permalink);
    });

    it('answers 404 for a party or goal we do not know', async () => {
      for (const path of [
        `/partijen/verzonnen/doelen/${g1}`,
        '/partijen/testpartij-a/doelen/verzonnen',
        `/en/parties/made-up/goals/${g1}`,
        '/en/parties/testpartij-a/goals/made-up',
        `/partijen/testpartij-a/doelen/${g1}/extra`,
        `/partijen/%00/doelen/${g1}`,
      ]) {
        expect((await get(path)).status, path).toBe(404);
      }
    });
  });

  describe('a correction by the campaign is shown where the stance is', () => {
    const note =
      /<strong class="role-marker" data-role-marker>Correctie door het campagneteam<\/strong> op\s*<time datetime="2026-02-10T12:00:00.000Z">10 februari 2026<\/time>\.\s*Reden: De partij zegt deels ja\./;

    it('in the board cell and the embeds', async () => {
      const board = await html('/');
      const rowOfB = board.slice(board.indexOf('href="/partijen/testpartij-b"'));
      const cellB1 = rowOfB.slice(rowOfB.indexOf('<td'), rowOfB.indexOf('</td>'));
      expect(cellB1).toContain('stance--partial');
      expect(cellB1).toContain('data-correction-mark');
      expect(cellB1).toContain('<span class="visually-hidden">, gecorrigeerd door het campagneteam</span>');
      const rowOfA = board.slice(board.indexOf('href="/partijen/testpartij-a"'));
      expect(rowOfA.slice(0, rowOfA.indexOf('</tr>'))).not.toContain('data-correction-mark');
      expect(await html('/embed/scoreboard')).toContain('data-correction-mark');
      expect(await html(`/embed/doel/${g1}`)).toContain('data-correction-mark');
      expect(await html('/embed/partij/testpartij-b')).toMatch(note);
      expect(await html('/embed/partij/testpartij-a')).not.toContain('data-correction');
    });

    it('on the party, goal, permalink and compare pages, in words with the date', async () => {
      for (const path of ['/partijen/testpartij-b', `/doelen/${g1}`, `/partijen/testpartij-b/doelen/${g1}`, '/vergelijk?partijen=testpartij-a,testpartij-b']) {
        expect(await html(path), path).toMatch(note);
      }
      expect(await html(`/en/parties/testpartij-b/goals/${g1}`)).toMatch(
        /Correction by the campaign team<\/strong> on\s*<time datetime="2026-02-10T12:00:00.000Z">/,
      );
      expect(await html(`/partijen/testpartij-a/doelen/${g1}`)).not.toContain('data-correction');
      // Before the correction, a frozen view shows the party's own words, unmarked.
      expect(await html(`/partijen/testpartij-b/doelen/${g1}?at=2026-02-05T00:00:00Z`)).not.toContain('data-correction');
    });

    it('in scoreboard.json, per cell', async () => {
      type Board = { parties: { slug: string; pledges: Record<string, { correctedByCampaign: unknown }> }[] };
      const body = (await (await get('/api/v1/scoreboard.json')).json()) as Board;
      const pledgesOf = (slug: string) => body.parties.find((p) => p.slug === slug)!.pledges;
      expect(pledgesOf('testpartij-b')[g1]).toMatchObject({
        stance: 'partial',
        correctedByCampaign: { at: CORRECTED.toISOString(), reason: 'De partij zegt deels ja.' },
      });
      expect(pledgesOf('testpartij-a')[g1]!.correctedByCampaign).toBeNull();
      expect(pledgesOf('testpartij-c')[g1]!.correctedByCampaign).toBeNull();
      const before = (await (await get('/api/v1/scoreboard.json?at=2026-02-05T00:00:00Z')).json()) as Board;
      expect(before.parties.find((p) => p.slug === 'testpartij-b')!.pledges[g1]!.correctedByCampaign).toBeNull();
      const after = (await (await get('/api/v1/scoreboard.json?at=2026-02-11T00:00:00Z')).json()) as Board;
      expect(after.parties.find((p) => p.slug === 'testpartij-b')!.pledges[g1]!.correctedByCampaign).toEqual({
        at: CORRECTED.toISOString(),
        reason: 'De partij zegt deels ja.',
      });
    });
  });
});
