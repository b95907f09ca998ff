/**
 * The scoreboard's rows, written as strings (src/site/board-rows.ts): everything a party typed
 * is escaped, each stance links to its statement with words that say whose and which, and a
 * frozen board's links keep their moment.
 */
import { describe, expect, it } from 'vitest';
import type { StanceRow } from '../../../src/domain/scoreboard.ts';
import { boardRowsHtml } from '../../../src/site/board-rows.ts';

const goals = [
  { slug: 'eerste-doel', number: 1, shortTitle: 'Eerste & beste' },
  { slug: 'tweede-doel', number: 2, shortTitle: 'Tweede' },
];
const row = (name: string, abbreviation: string, seats: number, stances: ['committed' | 'partial' | 'declined' | 'none', boolean][]): StanceRow => ({
  party: { id: 1, slug: 'a-b', name, abbreviation, seats, website: null, retiredAt: null, createdAt: new Date(0), updatedAt: new Date(0) },
  cells: stances.map(([stance, corrected], i) => ({ goalSlug: goals[i]!.slug, stance, corrected, byParty: !corrected && stance !== 'none', checked: null })),
  counts: { committed: 0, partial: 0, declined: 0, none: 0 },
});

describe('the scoreboard rows', () => {
  const evil = row('<b>"Partij" & \'co\'</b>', 'P&C', 1, [
    ['committed', false],
    ['declined', true],
  ]);

  it('escape every name, abbreviation and word they show', () => {
    const html = boardRowsHtml([evil], { locale: 'nl', goals, siteUrl: '', narrow: true, atQuery: '', pick: 'partijen' });
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;&quot;Partij&quot; &amp; &#39;co&#39;&lt;/b&gt;');
    expect(html).toContain('<span class="board__abbr">P&amp;C</span>');
    // The words after each stance name the party and the goal, escaped as well.
    expect(html).toContain('<span class="visually-hidden"> (&lt;b&gt;&quot;Partij&quot; &amp; &#39;co&#39;&lt;/b&gt;, doel 1: Eerste &amp; beste)</span>');
    expect(html).toContain('1 zetel</span>');
    expect(html).toContain('<td class="board__total">1 / 2</td>');
    expect(html).toContain('<input type="checkbox" name="partijen" value="a-b" id="pick-a-b">');
  });

  it('link each stance to its statement, keeping a frozen moment and an embed’s new tab', () => {
    const atQuery = '?at=2026-05-01T12%3A00%3A00.000Z';
    const html = boardRowsHtml([evil], { locale: 'en', goals, siteUrl: 'https://site.example', linkTarget: '_blank', narrow: true, atQuery });
    expect(html).toContain(`href="https://site.example/en/parties/a-b/goals/eerste-doel${atQuery}" target="_blank" rel="noopener"`);
    expect(html).toContain(`href="https://site.example/en/parties/a-b${atQuery}" target="_blank" rel="noopener"`);
    expect(html).toContain('goal 2: Tweede');
    // The campaign's correction is marked where it is.
    expect(html.split('data-correction-mark').length - 1).toBe(1);
    expect(html).not.toContain('board__pick');
  });

  it('outside the scoreboard page (the embed) show the badges without links', () => {
    const html = boardRowsHtml([evil], { locale: 'nl', goals, siteUrl: '', narrow: false, atQuery: '' });
    expect(html).not.toContain('board__cell-link');
    expect(html.match(/<td><span class="stance stance--(\w+)"/g)).toHaveLength(2);
    expect(html).toContain('<span class="board__seats">P&amp;C · 1 zetel</span>');
  });
});
