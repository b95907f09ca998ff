/**
 * The social images are read in a feed, where a 1200-px picture is shown about 500 px wide, by
 * readers of whom about 1 in 20 men sees red and green alike. Measured here, on the pictures
 * themselves: the smallest text still has an x-height of 7 px at feed size, every party of a
 * 15-party board is on it, nothing runs off the edge, and the stance markers differ in shape
 * and in lightness (also after simulating deuteranopia and protanopia), not only in hue.
 */
import { STANCE_SHAPES, stanceBadgeHtml } from '../../../src/site/stance-badge.ts';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readGoals } from '../../../src/content-files.ts';
import { BOARD_STANCES, type BoardStance } from '../../../src/domain/stances.ts';
import {
  goalCard,
  LAYOUTS,
  MARKER_COLOURS,
  markerShapes,
  markerSvg,
  partyCard,
  renderCard,
  scoreboardCard,
  type Card,
  type CardSource,
  type ImageFormat,
  type Node,
} from '../../../src/site/images.ts';
import { SOCIAL_PARTIES, socialBoard } from '../../fixtures/social-board.ts';

const FEED_WIDTH = 500;
/** An x-height of 7 px: about the size of body text in a phone app, the least a feed reader can read in passing. */
const MIN_X_HEIGHT = 7;

const goals = await readGoals('nl');
const goalsEn = await readGoals('en');
const FORMATS: ImageFormat[] = ['landscape', 'square'];
const source = (format: ImageFormat, locale: 'nl' | 'en' = 'nl'): CardSource => ({
  locale,
  campaign: locale === 'nl' ? 'Houd kinderen veilig – óók online' : 'Keep children safe – online too',
  site: 'pledgeboard.voorbeeld.example',
  date: new Date('2026-11-30T14:05:00Z'),
  format,
});

/** Every card the endpoints draw, in both shapes and both languages, on a 15-party board. */
const CARDS: [string, Card][] = FORMATS.flatMap((format) =>
  (['nl', 'en'] as const).flatMap((locale) => {
    const g = locale === 'nl' ? goals : goalsEn;
    const board = socialBoard(g);
    return [
      [`scoreboard ${format} ${locale}`, scoreboardCard(board, source(format, locale))],
      [`scoreboard of 6 ${format} ${locale}`, scoreboardCard(socialBoard(g, 6), source(format, locale))],
      [`scoreboard of 40 ${format} ${locale}`, scoreboardCard(socialBoard(g, 40), source(format, locale))],
      [`goal ${format} ${locale}`, goalCard(board, g[2]!, source(format, locale))],
      [`goal of 40 ${format} ${locale}`, goalCard(socialBoard(g, 40), g[0]!, source(format, locale))],
      [`party ${format} ${locale}`, partyCard(board.rows[7]!, g, source(format, locale))],
    ] as [string, Card][];
  }),
);

/** The longest names the forms allow (20 wide letters), a long campaign name and address. */
const extremes = (format: ImageFormat): [string, Card][] => {
  const board = socialBoard(goals, 15);
  board.rows[0]!.party = { ...board.rows[0]!.party, abbreviation: 'W'.repeat(20), name: 'Wadden '.repeat(20) };
  const long = {
    ...source(format),
    campaign: 'Een campagne met een naam die nooit op één regel past, wat er ook gebeurt',
    site: 'een-heel-lang-adres.campagne-voorbeeld.example',
  };
  return [
    [`scoreboard with the longest names ${format}`, scoreboardCard(board, long)],
    [`goal with the longest names ${format}`, goalCard(board, goals[0]!, long)],
    [`party with the longest names ${format}`, partyCard(board.rows[0]!, goals, long)],
  ];
};
CARDS.push(...FORMATS.flatMap(extremes));

/** The texts of a card with the font size each is drawn at (sizes are inherited, as in CSS). */
function texts(node: Node | string, size = 16): { text: string; size: number }[] {
  if (typeof node === 'string') return node.trim() ? [{ text: node, size }] : [];
  const own = node.props.style?.fontSize;
  const here = typeof own === 'number' ? own : size;
  const children = node.props.children;
  if (node.type === 'svg' || children === undefined) return [];
  return (Array.isArray(children) ? children : [children]).flatMap((child) => texts(child, here));
}

function markerSizes(node: Node | string): number[] {
  if (typeof node === 'string') return [];
  if (node.type === 'svg') return [node.props.width as number];
  const children = node.props.children;
  return children === undefined ? [] : (Array.isArray(children) ? children : [children]).flatMap(markerSizes);
}

/**
 * How tall an x at this font size is once the picture is shown 500 px wide: a row of x's drawn by
 * the same pipeline, its ink rows counted at full size, scaled as the feed scales the picture.
 * Measures the real font, not an assumed x-height (Noto Sans: 17 px at 32 px).
 */
async function xHeightAtFeedSize(fontSize: number, pictureWidth: number): Promise<number> {
  const height = Math.ceil(fontSize * 2);
  const node: Node = {
    type: 'div',
    props: {
      style: { display: 'flex', width: pictureWidth, height, alignItems: 'center', background: '#fff', color: '#000', fontFamily: 'Noto Sans', fontSize },
      children: 'xxxxxxxxxx',
    },
  };
  const png = PNG.sync.read(await renderCard({ width: pictureWidth, height, node }));
  let rows = 0;
  for (let y = 0; y < png.height; y++) {
    let darkest = 255;
    for (let x = 0; x < png.width; x++) darkest = Math.min(darkest, png.data[(y * png.width + x) * 4]!);
    if (darkest < 128) rows++;
  }
  return (rows * FEED_WIDTH) / pictureWidth;
}

describe('social images at feed size (500 px wide)', () => {
  it.each(CARDS)('%s: no text is smaller than an x-height of 7 px', async (_, card) => {
    const smallest = Math.min(...texts(card.node).map((t) => t.size));
    expect(smallest).toBeGreaterThan(0);
    expect(await xHeightAtFeedSize(smallest, card.width)).toBeGreaterThanOrEqual(MIN_X_HEIGHT);
  });

  it.each(CARDS)('%s: no stance marker is smaller than 13 px', (_, card) => {
    for (const size of markerSizes(card.node)) expect((size * FEED_WIDTH) / card.width).toBeGreaterThanOrEqual(13);
  });

  it('the layouts: 32 px (1200 wide) and 34 px (1080 wide) are the smallest text, about 13.3 and 15.7 px in the feed', () => {
    expect((LAYOUTS.landscape.text * FEED_WIDTH) / LAYOUTS.landscape.width).toBeCloseTo(13.3, 1);
    expect((LAYOUTS.square.text * FEED_WIDTH) / LAYOUTS.square.width).toBeCloseTo(15.7, 1);
  });

  it.each(FORMATS)('%s: every one of 15 parties is on the scoreboard and on a goal card, with a word key and a source line', (format) => {
    const board = socialBoard(goals);
    for (const card of [scoreboardCard(board, source(format)), goalCard(board, goals[0]!, source(format))]) {
      const words = texts(card.node).map((t) => t.text);
      for (const party of SOCIAL_PARTIES) expect(words).toContain(party.abbreviation);
      expect(words.some((w) => w.startsWith('+ '))).toBe(false);
      for (const word of ['Toegezegd', 'Gedeeltelijk', 'Niet toegezegd', 'Geen reactie']) expect(words.some((w) => w.startsWith(word))).toBe(true);
      expect(words.some((w) => w.startsWith('Bron: Houd kinderen veilig – óók online, 30 november 2026'))).toBe(true);
      expect(words).toContain('pledgeboard.voorbeeld.example');
    }
  });

  it('a board too large for the picture ends with "+ N meer", counting every party left out', () => {
    const card = scoreboardCard(socialBoard(goals, 40), source('landscape'));
    const words = texts(card.node).map((t) => t.text);
    const more = words.find((w) => w.startsWith('+ '));
    const shown = socialBoard(goals, 40).rows.filter((row) => words.includes(row.party.abbreviation)).length;
    expect(more).toBe(`+ ${40 - shown} meer`);
  });

  it.each(CARDS)('%s: nothing runs into the margins', async (_, card) => {
    const png = PNG.sync.read(await renderCard(card));
    const layout = Object.values(LAYOUTS).find((l) => l.width === card.width)!;
    const ink = (x: number, y: number) => png.data[(y * png.width + x) * 4]! < 240;
    for (let y = png.height - layout.padY + 4; y < png.height; y++)
      for (let x = 0; x < png.width; x++) expect(ink(x, y), `bottom margin at ${x},${y}`).toBe(false);
    for (let y = 0; y < png.height; y++)
      for (let x = png.width - layout.padX + 4; x < png.width; x++) expect(ink(x, y), `right margin at ${x},${y}`).toBe(false);
  });
});

// ── Colour vision ────────────────────────────────────────────────────────────────────────

const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
/** Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB. */
const SIMULATIONS = {
  none: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  deuteranopia: [0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.01182, 0.04294, 0.968881],
  protanopia: [0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998],
} as const;
type Vision = keyof typeof SIMULATIONS;

/** Relative luminance (WCAG) of an sRGB colour as a reader with this vision sees it. */
function luminance([r, g, b]: number[], vision: Vision): number {
  const m = SIMULATIONS[vision];
  const [lr, lg, lb] = [r!, g!, b!].map((c) => linear(c / 255));
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const sr = clamp(m[0] * lr! + m[1] * lg! + m[2] * lb!);
  const sg = clamp(m[3] * lr! + m[4] * lg! + m[5] * lb!);
  const sb = clamp(m[6] * lr! + m[7] * lg! + m[8] * lb!);
  return 0.2126 * sr + 0.7152 * sg + 0.0722 * sb;
}
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

const SIZE = 60;
/** A marker as drawn (resvg), as the luminance each pixel has for a reader with this vision. */
function drawn(stance: BoardStance, vision: Vision): Float64Array {
  const png = PNG.sync.read(new Resvg(markerSvg(stance, SIZE), { background: '#ffffff' }).render().asPng());
  const out = new Float64Array(SIZE * SIZE);
  for (let i = 0; i < SIZE * SIZE; i++) out[i] = luminance([png.data[i * 4]!, png.data[i * 4 + 1]!, png.data[i * 4 + 2]!], vision);
  return out;
}

/** The colour that covers most of a marker's disc: its fill (or ring), as drawn. */
function dominantColour(stance: BoardStance): number[] {
  const png = PNG.sync.read(new Resvg(markerSvg(stance, SIZE), { background: '#ffffff' }).render().asPng());
  const counts = new Map<string, number>();
  for (let i = 0; i < SIZE * SIZE; i++) {
    const rgb = [png.data[i * 4]!, png.data[i * 4 + 1]!, png.data[i * 4 + 2]!];
    if (rgb.every((c) => c > 235)) continue; // paper and the white mark
    const key = rgb.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])[0]![0]
    .split(',')
    .map(Number);
}

describe('stance markers for readers with colour-vision deficiency', () => {
  it('draw the colours the card says', () => {
    for (const stance of BOARD_STANCES) {
      const hex = MARKER_COLOURS[stance];
      expect(dominantColour(stance)).toEqual([1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    }
  });

  // Protanopia darkens red more than any red that stays 3:1 against white can make up for; its
  // readers still get 2.5:1, and the shapes.
  it.each([
    ['none', 3],
    ['deuteranopia', 3],
    ['protanopia', 2.5],
  ] as [Vision, number][])('with %s vision, committed and declined differ in lightness by at least %s:1', (vision, least) => {
    const committed = luminance(dominantColour('committed'), vision);
    const declined = luminance(dominantColour('declined'), vision);
    expect(contrast(committed, declined)).toBeGreaterThanOrEqual(least);
  });

  it.each(Object.keys(SIMULATIONS) as Vision[])('with %s vision, every marker stands out from the paper by at least 3:1', (vision) => {
    for (const stance of BOARD_STANCES) expect(contrast(luminance(dominantColour(stance), vision), 1), stance).toBeGreaterThanOrEqual(3);
  });

  it.each(['deuteranopia', 'protanopia'] as Vision[])('with %s vision, in grey, every two markers still look different', (vision) => {
    const images = Object.fromEntries(BOARD_STANCES.map((s) => [s, drawn(s, vision)]));
    for (const [i, a] of BOARD_STANCES.entries()) {
      for (const b of BOARD_STANCES.slice(i + 1)) {
        let difference = 0;
        for (let p = 0; p < SIZE * SIZE; p++) difference += Math.abs(images[a]![p]! - images[b]![p]!);
        // Mean difference over the whole square; the circle is about 64 % of it.
        expect(difference / (SIZE * SIZE), `${a} vs ${b}`).toBeGreaterThanOrEqual(0.12);
      }
    }
  });

  it('never by colour alone: the shapes (ink where the paper is not) differ between every two markers', () => {
    const shape = (stance: BoardStance) => drawn(stance, 'none').map((l) => (l < 0.5 ? 1 : 0));
    const shapes = Object.fromEntries(BOARD_STANCES.map((s) => [s, shape(s)]));
    for (const [i, a] of BOARD_STANCES.entries()) {
      for (const b of BOARD_STANCES.slice(i + 1)) {
        let differ = 0;
        for (let p = 0; p < SIZE * SIZE; p++) if (shapes[a]![p] !== shapes[b]![p]) differ++;
        expect(differ / (SIZE * SIZE), `${a} vs ${b}`).toBeGreaterThanOrEqual(0.1);
      }
    }
  });

  it("are the site's own icons (src/site/stance-badge.ts, every StanceBadge), so the key means the same", () => {
    for (const stance of BOARD_STANCES) {
      expect(stanceBadgeHtml('nl', stance), stance).toContain(`<use href="#stance-${stance}">`);
      for (const [tag, attributes] of markerShapes(stance)) {
        if (tag === 'path') expect(STANCE_SHAPES[stance], stance).toContain(`d="${attributes.d}"`);
        else expect(STANCE_SHAPES[stance], stance).toContain(`r="${attributes.r}"`);
      }
    }
  });
});
