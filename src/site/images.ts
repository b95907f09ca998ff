/**
 * PNG pictures of the board for social cards (og:image), feeds and print: the scoreboard, one
 * party, one goal; each 1200×630 (link previews) or 1080×1080 (square feeds). Laid out with
 * satori (flexbox to SVG), drawn with resvg.
 *
 * Made to be read in a feed, where a 1200-px picture is shown about 500 px wide: no text
 * smaller than 32 px (an x-height of about 7 px at that size), stance markers that differ by
 * shape and by lightness (the site's icons, with colours that stay apart for a reader with
 * deuteranopia), a word key, and a source line with the site's address.
 * tests/unit/site/social-images.test.ts holds the pictures to this.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import type { Goal, Locale } from '../domain/campaign.ts';
import { partyLabel } from '../domain/party-name.ts';
import type { BoardRow, Scoreboard } from '../domain/scoreboard.ts';
import { BOARD_STANCES, type BoardStance } from '../domain/stances.ts';
import { formatDate, stanceLabel, translator } from '../i18n/ui.ts';

export const IMAGE_FORMATS = ['landscape', 'square'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Everything a picture says besides the board: what it is, where it comes from, and when. */
export interface CardSource {
  locale: Locale;
  /** The campaign's name: the title and the source. */
  campaign: string;
  /** The site's address as a reader would type it (`board.example`). */
  site: string;
  /** The moment the numbers are from (the board's last change, or a frozen `?at=`). */
  date: Date | null;
  format: ImageFormat;
}

// ── What a picture is made of ────────────────────────────────────────────────────────────

type Style = Record<string, string | number>;
type Child = Node | string;
export interface Node {
  type: string;
  props: { style?: Style; children?: Child | Child[]; [attribute: string]: unknown };
}
/** A box; widths include padding and border, and a box never shrinks below its content's size. */
const h = (type: string, style: Style, children?: Child | Child[]): Node => ({
  type,
  props: { style: { boxSizing: 'border-box', flexShrink: 0, ...style }, children },
});

/** A laid-out picture, before drawing: the tests read its text sizes. */
export interface Card {
  width: number;
  height: number;
  node: Node;
}

interface Layout {
  width: number;
  height: number;
  padX: number;
  padY: number;
  /** The campaign or party name on top. */
  title: number;
  /** Every other text, the smallest on the picture. */
  text: number;
  /** A party list on a goal's picture: the point of that picture, so larger. */
  list: number;
  gap: number;
  rowMin: number;
  rowMax: number;
  /** Side-by-side groups of party rows when the parties do not fit under each other. */
  maxBlocks: number;
  blockGap: number;
}

/**
 * 32 px is the smallest text: at 500 px wide (a feed on a phone) that is 13.3 px, an x-height of
 * 7.1 px in Noto Sans (0.536 em), about the body text of a phone app.
 */
export const LAYOUTS: Record<ImageFormat, Layout> = {
  landscape: { width: 1200, height: 630, padX: 32, padY: 22, title: 44, text: 32, list: 36, gap: 12, rowMin: 42, rowMax: 66, maxBlocks: 3, blockGap: 24 },
  square: { width: 1080, height: 1080, padX: 44, padY: 40, title: 52, text: 34, list: 40, gap: 22, rowMin: 46, rowMax: 88, maxBlocks: 2, blockGap: 40 },
};

const LINE_HEIGHT = 1.2;
const line = (size: number) => Math.ceil(size * LINE_HEIGHT);

const INK = '#1b1f24';
const SOFT = '#4a5160';
const RULE = '#c9ced6';
const PAPER = '#ffffff';
const ACCENT = '#0b5cad';

/**
 * The stance colours of the pictures. Hue says yes (green) or no (red) as on the site; lightness
 * keeps them apart for everyone else: a dark committed disc and a light declined one (contrast
 * over 3:1 also under deuteranopia and protanopia), each over 3:1 against the white paper.
 */
export const MARKER_COLOURS: Record<BoardStance, string> = { committed: '#0a3d20', partial: '#8a5300', declined: '#e0653f', none: '#5b6270' };
const MARKER_INK = '#ffffff';

type Shape = [tag: 'circle' | 'path', attributes: Record<string, string | number>];

/** The same shapes as the site's badges (STANCE_SHAPES in src/site/stance-badge.ts, a 20×20 box), so the key matches. */
export function markerShapes(stance: BoardStance): Shape[] {
  const colour = MARKER_COLOURS[stance];
  switch (stance) {
    case 'committed':
      return [
        ['circle', { cx: 10, cy: 10, r: 9, fill: colour }],
        ['path', { d: 'M5.5 10.5l3 3 6-7', fill: 'none', stroke: MARKER_INK, 'stroke-width': 2.2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }],
      ];
    case 'partial':
      return [
        ['circle', { cx: 10, cy: 10, r: 8, fill: PAPER, stroke: colour, 'stroke-width': 2 }],
        ['path', { d: 'M10 2a8 8 0 0 1 0 16z', fill: colour }],
      ];
    case 'declined':
      return [
        ['circle', { cx: 10, cy: 10, r: 9, fill: colour }],
        ['path', { d: 'M6.5 6.5l7 7m0-7l-7 7', stroke: MARKER_INK, 'stroke-width': 2.2, 'stroke-linecap': 'round' }],
      ];
    case 'none':
      return [
        ['circle', { cx: 10, cy: 10, r: 8, fill: PAPER, stroke: colour, 'stroke-width': 2, 'stroke-dasharray': '3 2.3' }],
        ['path', { d: 'M6.5 10h7', stroke: colour, 'stroke-width': 2, 'stroke-linecap': 'round' }],
      ];
  }
}

/** A marker as an SVG document (for the tests that look at it on its own). */
export function markerSvg(stance: BoardStance, size: number): string {
  const shapes = markerShapes(stance)
    .map(
      ([tag, attributes]) =>
        `<${tag} ${Object.entries(attributes)
          .map(([k, v]) => `${k}="${v}"`)
          .join(' ')}/>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 20 20">${shapes}</svg>`;
}

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

function marker(stance: BoardStance, size: number): Node {
  return {
    type: 'svg',
    props: {
      width: size,
      height: size,
      viewBox: '0 0 20 20',
      style: { flexShrink: 0 },
      children: markerShapes(stance).map(([tag, attributes]) => ({
        type: tag,
        props: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [camel(k), v])),
      })),
    },
  };
}

// ── Measuring before satori does ─────────────────────────────────────────────────────────

/**
 * About how wide a text is in Noto Sans, a little on the wide side: enough to choose a layout
 * and to know how many names fit on a line (satori lays out the real thing).
 */
function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if (/[iljfrtI.,:;'!|()\-–·]/.test(ch)) em += 0.34;
    else if (/[mwMW]/.test(ch)) em += 0.92;
    else if (/[A-Z]/.test(ch)) em += 0.7;
    else if (ch === ' ') em += 0.27;
    else em += 0.58;
  }
  return em * size * (bold ? 1.07 : 1);
}

// ── Parts every picture has ──────────────────────────────────────────────────────────────

const oneLine: Style = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' };

function contentWidth(layout: Layout): number {
  return layout.width - 2 * layout.padX;
}

function sourceText(source: CardSource): string {
  const t = translator(source.locale);
  return `${t('embed.source')}: ${source.campaign}${source.date ? `, ${formatDate(source.locale, source.date)}` : ''}`;
}

/** The source line and the site's address: one line when they fit, else two. */
function footerLines(source: CardSource, layout: Layout): number {
  const width = textWidth(`${sourceText(source)} · ${source.site}`, layout.text);
  return width <= contentWidth(layout) ? 1 : 2;
}

function footer(source: CardSource, layout: Layout): Node {
  return h('div', { display: 'flex', flexWrap: 'wrap', columnGap: 14, color: SOFT, fontSize: layout.text, lineHeight: LINE_HEIGHT }, [
    h('div', { maxWidth: '100%', ...oneLine }, footerLines(source, layout) === 1 ? `${sourceText(source)} ·` : sourceText(source)),
    h('div', { color: ACCENT, fontWeight: 700 }, source.site),
  ]);
}

function stanceWords(source: CardSource): string[] {
  return BOARD_STANCES.map((stance) => stanceLabel(source.locale, stance));
}

const KEY_GAP = 30;

/** The word key in one row when it fits, else two rows of two. */
function keyRows(source: CardSource, layout: Layout): 1 | 2 {
  const glyph = Math.round(layout.text * 1.05);
  const total = stanceWords(source).reduce((sum, word) => sum + glyph + 10 + textWidth(word, layout.text), 0) + KEY_GAP * (BOARD_STANCES.length - 1);
  return total <= contentWidth(layout) ? 1 : 2;
}

function stanceKey(source: CardSource, layout: Layout): Node {
  const glyph = Math.round(layout.text * 1.05);
  const rows = keyRows(source, layout);
  return h(
    'div',
    { display: 'flex', flexWrap: 'wrap', columnGap: KEY_GAP, fontSize: layout.text, lineHeight: LINE_HEIGHT, color: INK },
    BOARD_STANCES.map((stance) =>
      h('div', { display: 'flex', alignItems: 'center', gap: 10, width: rows === 2 ? (contentWidth(layout) - KEY_GAP) / 2 : undefined } as Style, [
        marker(stance, glyph),
        h('div', {}, stanceLabel(source.locale, stance)),
      ]),
    ),
  );
}

function frame(layout: Layout, title: string, parts: Node[]): Card {
  const node = h(
    'div',
    {
      width: layout.width,
      height: layout.height,
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      gap: layout.gap,
      padding: `${layout.padY}px ${layout.padX}px`,
      background: PAPER,
      fontFamily: 'Noto Sans',
      fontSize: layout.text,
      lineHeight: LINE_HEIGHT,
      color: INK,
    },
    [h('div', { fontSize: layout.title, fontWeight: 700, lineHeight: 1.15, ...oneLine }, title), ...parts],
  );
  return { width: layout.width, height: layout.height, node };
}

/** Room left for the body once the title, the other parts and the gaps are counted. */
function bodyRoom(layout: Layout, otherParts: number[]): number {
  const parts = [Math.ceil(layout.title * 1.15), ...otherParts];
  return layout.height - 2 * layout.padY - parts.reduce((a, b) => a + b, 0) - layout.gap * parts.length;
}

// ── The scoreboard ───────────────────────────────────────────────────────────────────────

interface BoardPlan {
  /** Groups of party rows side by side (goals numbered, their names in a key underneath). */
  blocks: number;
  rowsPerBlock: number;
  rowHeight: number;
  /** Parties shown; the rest are counted in a last "+ N more" row. */
  shown: number;
  abbreviationWidth: number;
  abbreviationSize: number;
  cellWidth: number;
  glyph: number;
}

/** A stance column: wide enough for its marker, narrow enough that a row still reads as one. */
const CELL_MIN = 40;
const CELL_MAX = 120;
const BLOCK_PADDING = 14;

const GOAL_KEY_GAP = 16;
const GOAL_NUMBER_WIDTH = 1;

/** The goals' names under the board in two columns, or in one when a name would not fit in half. */
function goalKeyColumns(goals: readonly Goal[], layout: Layout): 1 | 2 {
  const half = contentWidth(layout) / 2 - GOAL_KEY_GAP - GOAL_NUMBER_WIDTH * layout.text;
  // More than four goals: two columns anyway (names cut short), or the key would crowd out the board.
  return goals.length > 4 || goals.every((goal) => textWidth(goal.shortTitle, layout.text) <= half) ? 2 : 1;
}

function planScoreboard(board: Scoreboard<Goal>, source: CardSource): BoardPlan {
  const layout = LAYOUTS[source.format];
  const width = contentWidth(layout);
  const goals = Math.max(board.goals.length, 1);
  const n = Math.max(board.rows.length, 1);
  const room = bodyRoom(layout, [
    line(layout.text) * keyRows(source, layout),
    line(layout.text), // goal numbers
    line(layout.text) * Math.ceil(board.goals.length / goalKeyColumns(board.goals, layout)), // goal key
    line(layout.text) * footerLines(source, layout),
  ]);
  const rowsFit = Math.max(1, Math.floor(room / layout.rowMin));
  const blockWidthOf = (blocks: number) => (width - (blocks - 1) * layout.blockGap) / blocks - (blocks > 1 ? BLOCK_PADDING : 0);
  let blocks = 1;
  while (blocks < layout.maxBlocks && (Math.ceil(n / blocks) > rowsFit || blockWidthOf(blocks) < goals * CELL_MIN + 3 * layout.text)) {
    if (blockWidthOf(blocks + 1) < goals * CELL_MIN + 2 * layout.text) break;
    blocks++;
  }
  const rowsPerBlock = Math.min(Math.ceil(n / blocks), rowsFit);
  const shown = board.rows.length <= blocks * rowsPerBlock ? board.rows.length : blocks * rowsPerBlock - 1;
  const rowHeight = Math.min(layout.rowMax, Math.floor(room / rowsPerBlock));
  // Few parties: taller rows, and names and markers that grow with them.
  const abbreviationSize = Math.min(layout.list, Math.max(layout.text, Math.round(rowHeight * 0.5)));
  const widest = Math.max(0, ...board.rows.slice(0, shown).map((row) => textWidth(row.party.abbreviation, abbreviationSize, true)));
  const blockWidth = blockWidthOf(blocks);
  const abbreviationWidth = Math.min(Math.max(widest, 2 * abbreviationSize) + 16, blockWidth - goals * CELL_MIN);
  const cellWidth = Math.min(CELL_MAX, (blockWidth - abbreviationWidth) / goals);
  const glyph = Math.floor(Math.min(rowHeight - 12, layout.text * 1.7, cellWidth - 8));
  return { blocks, rowsPerBlock, rowHeight, shown, abbreviationWidth, abbreviationSize, cellWidth, glyph };
}

/** The whole board: a row per party (abbreviation), a column per goal, with a word key. */
export function scoreboardCard(board: Scoreboard<Goal>, source: CardSource): Card {
  const layout = LAYOUTS[source.format];
  const t = translator(source.locale);
  const plan = planScoreboard(board, source);
  const rule = `2px solid ${RULE}`;

  const entries: (BoardRow | { more: number })[] = board.rows.slice(0, plan.shown);
  if (plan.shown < board.rows.length) entries.push({ more: board.rows.length - plan.shown });
  const row = (entry: BoardRow | { more: number }, first: boolean) =>
    h(
      'div',
      { display: 'flex', alignItems: 'center', height: plan.rowHeight, borderTop: first ? 'none' : rule },
      'more' in entry
        ? [h('div', { color: SOFT, fontWeight: 700 }, t('image.more', { count: String(entry.more) }))]
        : [
            h(
              'div',
              { width: plan.abbreviationWidth, fontSize: plan.abbreviationSize, fontWeight: 700, paddingRight: 8, ...oneLine },
              entry.party.abbreviation,
            ),
            ...entry.cells.map((cell) => h('div', { width: plan.cellWidth, display: 'flex', justifyContent: 'center' }, [marker(cell.stance, plan.glyph)])),
          ],
    );
  const head = h('div', { display: 'flex', height: line(layout.text), fontWeight: 700, color: SOFT }, [
    h('div', { width: plan.abbreviationWidth }, ''),
    ...board.goals.map((goal) => h('div', { width: plan.cellWidth, display: 'flex', justifyContent: 'center' }, String(goal.number))),
  ]);
  const blocks = Array.from({ length: plan.blocks }, (_, b) => entries.slice(b * plan.rowsPerBlock, (b + 1) * plan.rowsPerBlock));
  const table = h(
    'div',
    { display: 'flex', gap: layout.blockGap, flexGrow: 1 },
    blocks.map((rows, b) =>
      h('div', { display: 'flex', flexDirection: 'column', paddingLeft: b > 0 ? BLOCK_PADDING : 0, borderLeft: b > 0 ? rule : 'none' }, [
        head,
        ...rows.map((entry, i) => row(entry, i === 0)),
      ]),
    ),
  );
  const goalKey = h(
    'div',
    { display: 'flex', flexWrap: 'wrap' },
    board.goals.map((goal) =>
      h('div', { display: 'flex', width: `${100 / goalKeyColumns(board.goals, layout)}%`, paddingRight: GOAL_KEY_GAP }, [
        h('div', { fontWeight: 700, color: SOFT, width: GOAL_NUMBER_WIDTH * layout.text }, String(goal.number)),
        h('div', { flexShrink: 1, ...oneLine }, goal.shortTitle),
      ]),
    ),
  );
  return frame(layout, source.campaign, [stanceKey(source, layout), table, goalKey, footer(source, layout)]);
}

// ── One goal: every party, grouped by stance ─────────────────────────────────────────────

/** Lines a list of names takes at this width (the same packing as the flex-wrap below). */
function packedLines(items: readonly string[], size: number, width: number, gap: number): number {
  let lines = 1;
  let used = 0;
  for (const item of items) {
    const w = textWidth(item, size, true);
    if (used > 0 && used + gap + w > width) {
      lines++;
      used = w;
    } else used += (used > 0 ? gap : 0) + w;
  }
  return lines;
}

export function goalCard(board: Scoreboard<Goal>, goal: Goal, source: CardSource): Card {
  const layout = LAYOUTS[source.format];
  const t = translator(source.locale);
  const index = board.goals.findIndex((g) => g.slug === goal.slug);
  const groups = BOARD_STANCES.map((stance) => ({
    stance,
    names: board.rows.filter((row) => row.cells[index]?.stance === stance).map((row) => row.party.abbreviation),
  }));
  const room = bodyRoom(layout, [line(layout.text) * footerLines(source, layout)]);
  const labelFor = (g: (typeof groups)[number]) => `${stanceLabel(source.locale, g.stance)} (${g.names.length})`;
  const groupGap = 16;

  /** The sizes at a party-name size: names beside the label on wide pictures, under it on narrow. */
  function sizes(list: number) {
    const label = Math.max(layout.text, Math.round(list * 0.8));
    const glyph = Math.round(list * 1.15);
    const labelWidth = glyph + 14 + Math.max(...groups.map((g) => textWidth(labelFor(g), label, true))) + 28;
    const beside = contentWidth(layout) - labelWidth >= contentWidth(layout) * 0.45;
    const listWidth = beside ? contentWidth(layout) - labelWidth : contentWidth(layout) - glyph - 14;
    const nameGap = Math.round(list * 0.7);
    const height = (items: string[][]) =>
      items.reduce((sum, names) => {
        const lines = packedLines(names, list, listWidth, nameGap);
        return sum + (beside ? Math.max(lines * line(list), glyph) : line(label) + lines * line(list)) + groupGap;
      }, -groupGap);
    return { list, label, glyph, labelWidth, beside, listWidth, nameGap, height };
  }

  // The largest names that let every party be shown; at the smallest, the longest lists are
  // shortened (ending in "+ N more") until every group fits.
  let size = sizes(layout.list);
  for (let list = Math.round(layout.list * 1.6); list > layout.list; list -= 2) {
    const candidate = sizes(list);
    const widest = Math.max(0, ...groups.flatMap((g) => g.names.map((name) => textWidth(name, list, true))));
    if (widest <= candidate.listWidth && candidate.height(groups.map((g) => g.names)) <= room) {
      size = candidate;
      break;
    }
  }
  const lists = groups.map((g) => [...g.names]);
  const hidden = groups.map(() => 0);
  const shownItems = (i: number) => (hidden[i]! > 0 ? [...lists[i]!, t('image.more', { count: String(hidden[i]) })] : lists[i]!);
  while (size.height(groups.map((_, i) => shownItems(i))) > room) {
    const longest = lists.reduce((best, list, i) => (list.length > lists[best]!.length ? i : best), 0);
    if (lists[longest]!.length === 0) break;
    lists[longest]!.pop();
    hidden[longest]!++;
  }

  const body = groups.map((g, i) => {
    const items = shownItems(i);
    const label = h(
      'div',
      { display: 'flex', alignItems: 'center', gap: 14, width: size.beside ? size.labelWidth : undefined, fontSize: size.label, fontWeight: 700 } as Style,
      [marker(g.stance, size.glyph), h('div', {}, labelFor(g))],
    );
    const list = h(
      'div',
      {
        display: 'flex',
        flexWrap: 'wrap',
        columnGap: size.nameGap,
        fontSize: size.list,
        lineHeight: LINE_HEIGHT,
        fontWeight: 700,
        width: size.listWidth,
        marginLeft: size.beside ? 0 : size.glyph + 14,
      },
      items.length > 0
        ? items.map((name) => h('div', { maxWidth: size.listWidth, ...oneLine }, name))
        : [h('div', { color: SOFT, fontWeight: 400, fontSize: size.label }, `– ${t('image.noParties')}`)],
    );
    return h(
      'div',
      {
        display: 'flex',
        flexDirection: size.beside ? 'row' : 'column',
        alignItems: size.beside ? 'center' : 'flex-start',
        paddingTop: i > 0 ? groupGap / 2 : 0,
        paddingBottom: groupGap / 2,
        borderTop: i > 0 ? `2px solid ${RULE}` : 'none',
      },
      [label, list],
    );
  });

  return frame(layout, `${t('image.goal', { number: String(goal.number) })} · ${goal.shortTitle}`, [
    h('div', { display: 'flex', flexDirection: 'column', flexGrow: 1, justifyContent: 'center' }, body),
    footer(source, layout),
  ]);
}

// ── One party: its stance on every goal ──────────────────────────────────────────────────

export function partyCard(row: BoardRow, goals: readonly Goal[], source: CardSource): Card {
  const layout = LAYOUTS[source.format];
  const square = source.format === 'square';
  const room = bodyRoom(layout, [line(layout.text) * footerLines(source, layout)]);
  const rowHeight = Math.min(Math.floor(room / Math.max(goals.length, 1)), square ? 190 : 110);
  // The stance is what the picture is for: larger than the goal's name above it.
  const stanceSize = Math.max(layout.text, Math.min(square ? 48 : 38, rowHeight - line(layout.text) - 16));
  const glyph = Math.min(rowHeight - 20, Math.round(stanceSize * 1.5));
  const body = goals.map((goal, i) => {
    const stance = row.cells[i]!.stance;
    return h('div', { display: 'flex', alignItems: 'center', gap: 24, height: rowHeight, borderTop: i > 0 ? `2px solid ${RULE}` : 'none' }, [
      marker(stance, glyph),
      h('div', { display: 'flex', flexDirection: 'column', flexShrink: 1, minWidth: 0 }, [
        h('div', { color: SOFT, ...oneLine }, `${goal.number}. ${goal.shortTitle}`),
        h('div', { fontSize: stanceSize, fontWeight: 700, lineHeight: LINE_HEIGHT }, stanceLabel(source.locale, stance)),
      ]),
    ]);
  });
  return frame(layout, partyLabel(row.party), [
    h('div', { display: 'flex', flexDirection: 'column', flexGrow: 1, justifyContent: 'center' }, body),
    footer(source, layout),
  ]);
}

// ── Drawing ──────────────────────────────────────────────────────────────────────────────

let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[]> | undefined;
function loadFonts() {
  const require = createRequire(import.meta.url);
  // Latin, then Latin Extended for names such as "Łódź" or "Şahin". Satori looks for a missing
  // letter in the other fonts only when they have another name.
  const subsets = [
    ['latin', 'Noto Sans'],
    ['latin-ext', 'Noto Sans Latin Extended'],
  ] as const;
  fonts ??= Promise.all(
    subsets.flatMap(([subset, name]) =>
      ([400, 700] as const).map(async (weight) => ({
        name,
        data: await readFile(require.resolve(`@fontsource/noto-sans/files/noto-sans-${subset}-${weight}-normal.woff`)),
        weight,
        style: 'normal' as const,
      })),
    ),
  );
  return fonts;
}

export async function renderCard(card: Card): Promise<Buffer> {
  const svg = await satori(card.node as Parameters<typeof satori>[0], { width: card.width, height: card.height, fonts: await loadFonts() });
  return new Resvg(svg, { fitTo: { mode: 'width', value: card.width } }).render().asPng();
}

export const scoreboardImage = (board: Scoreboard<Goal>, source: CardSource) => renderCard(scoreboardCard(board, source));
export const goalImage = (board: Scoreboard<Goal>, goal: Goal, source: CardSource) => renderCard(goalCard(board, goal, source));
export const partyImage = (row: BoardRow, goals: readonly Goal[], source: CardSource) => renderCard(partyCard(row, goals, source));

/** A few recent pictures, by a key that changes whenever the data does. */
const cache = new Map<string, Buffer>();
export async function cachedImage(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const hit = cache.get(key);
  if (hit) return hit;
  const image = await make();
  if (cache.size >= 100) cache.delete(cache.keys().next().value!);
  cache.set(key, image);
  return image;
}
