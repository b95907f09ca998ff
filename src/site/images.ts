/**
 * PNG pictures of the board for social cards (og:image) and print: the scoreboard, and one
 * party's pledges. Laid out with satori (flexbox to SVG), drawn with resvg. Stances keep their
 * own shapes here too: filled disc, half disc, disc with a cross, dashed ring.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import type { Goal, Locale } from '../domain/campaign.ts';
import { partyLabel } from '../domain/party-name.ts';
import type { BoardRow, Scoreboard } from '../domain/scoreboard.ts';
import { BOARD_STANCES, type BoardStance } from '../domain/stances.ts';
import { formatDate, stanceLabel } from '../i18n/ui.ts';

const IMAGE_WIDTH = 1200;
const IMAGE_HEIGHT = 630;

type Node = { type: string; props: { style?: Record<string, string | number>; children?: Node | Node[] | string } };
const h = (type: string, style: Record<string, string | number>, children?: Node | Node[] | string): Node => ({
  type,
  props: { style, children },
});

const COLOURS: Record<BoardStance, string> = { committed: '#16703a', partial: '#8a5300', declined: '#b3261e', none: '#5b6270' };

let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[]> | undefined;
function loadFonts() {
  const require = createRequire(import.meta.url);
  fonts ??= Promise.all(
    ([400, 700] as const).map(async (weight) => ({
      name: 'Noto Sans',
      data: await readFile(require.resolve(`@fontsource/noto-sans/files/noto-sans-latin-${weight}-normal.woff`)),
      weight,
      style: 'normal' as const,
    })),
  );
  return fonts;
}

function glyph(stance: BoardStance, size: number): Node {
  const base = { width: size, height: size, borderRadius: size, display: 'flex', alignItems: 'center', justifyContent: 'center', boxSizing: 'border-box' };
  if (stance === 'committed') return h('div', { ...base, background: COLOURS.committed });
  if (stance === 'partial') {
    return h('div', { ...base, border: `3px solid ${COLOURS.partial}`, backgroundImage: `linear-gradient(90deg, #ffffff 50%, ${COLOURS.partial} 50%)` });
  }
  if (stance === 'declined') {
    return h('div', { ...base, background: COLOURS.declined, color: '#fff', fontSize: size * 0.8, fontWeight: 700, lineHeight: 1 }, '×');
  }
  return h('div', { ...base, border: `3px dashed ${COLOURS.none}` });
}

function legend(locale: Locale): Node {
  return h(
    'div',
    { display: 'flex', gap: 28, fontSize: 22, color: '#1b1f24' },
    BOARD_STANCES.map((stance) => h('div', { display: 'flex', alignItems: 'center', gap: 8 }, [glyph(stance, 22), h('div', {}, stanceLabel(locale, stance))])),
  );
}

function frame(title: string, subtitle: string, body: Node, footer: Node): Node {
  return h(
    'div',
    {
      width: IMAGE_WIDTH,
      height: IMAGE_HEIGHT,
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      padding: '40px 56px',
      background: '#ffffff',
      fontFamily: 'Noto Sans',
      color: '#1b1f24',
    },
    [
      h('div', { fontSize: 44, fontWeight: 700 }, title),
      h('div', { fontSize: 24, color: '#4a5160', marginTop: 6, marginBottom: 20 }, subtitle),
      h('div', { display: 'flex', flexDirection: 'column', flexGrow: 1 }, body),
      footer,
    ],
  );
}

async function render(node: Node): Promise<Buffer> {
  const svg = await satori(node, { width: IMAGE_WIDTH, height: IMAGE_HEIGHT, fonts: await loadFonts() });
  return new Resvg(svg, { fitTo: { mode: 'width', value: IMAGE_WIDTH } }).render().asPng();
}

function asOfLine(locale: Locale, updatedAt: Date | null): string {
  if (!updatedAt) return '';
  return `${locale === 'nl' ? 'Stand van' : 'As of'} ${formatDate(locale, updatedAt, true)}`;
}

/** The whole board: a row per party (abbreviation), a column per goal. */
export function scoreboardImage(board: Scoreboard<Goal>, { title, locale }: { title: string; locale: Locale }): Promise<Buffer> {
  const rows = board.rows.slice(0, 16);
  const rowHeight = Math.min(40, Math.floor(360 / Math.max(rows.length, 1)));
  const glyphSize = Math.max(14, rowHeight - 12);
  const head = h('div', { display: 'flex', fontSize: 20, fontWeight: 700, color: '#4a5160', marginBottom: 6 }, [
    h('div', { width: 190 }, ''),
    ...board.goals.map((goal) => h('div', { width: 210, display: 'flex' }, `${goal.number}. ${goal.shortTitle}`)),
  ]);
  const body = rows.map((row) =>
    h('div', { display: 'flex', alignItems: 'center', height: rowHeight, fontSize: Math.min(22, rowHeight - 8), borderTop: '1px solid #d5d9e0' }, [
      h('div', { width: 190, fontWeight: 700 }, row.party.abbreviation),
      ...row.cells.map((cell) => h('div', { width: 210, display: 'flex' }, [glyph(cell.stance, glyphSize)])),
    ]),
  );
  return render(frame(title, asOfLine(locale, board.updatedAt), h('div', { display: 'flex', flexDirection: 'column' }, [head, ...body]), legend(locale)));
}

/** One party: a row per goal with stance glyph and words. */
export function partyImage(row: BoardRow, goals: readonly Goal[], { title, locale }: { title: string; locale: Locale }): Promise<Buffer> {
  const updated = row.cells.reduce<Date | null>(
    (latest, cell) => (cell.pledge && (!latest || cell.pledge.updatedAt > latest) ? cell.pledge.updatedAt : latest),
    null,
  );
  const body = goals.map((goal, i) => {
    const stance = row.cells[i]!.stance;
    return h('div', { display: 'flex', alignItems: 'center', gap: 20, height: 86, borderTop: '1px solid #d5d9e0', fontSize: 28 }, [
      glyph(stance, 40),
      h('div', { display: 'flex', flexDirection: 'column' }, [
        h('div', { fontWeight: 700 }, `${goal.number}. ${goal.shortTitle}`),
        h('div', { color: COLOURS[stance], fontSize: 24 }, stanceLabel(locale, stance)),
      ]),
    ]);
  });
  return render(
    frame(
      partyLabel(row.party),
      [title, asOfLine(locale, updated)].filter(Boolean).join(' · '),
      h('div', { display: 'flex', flexDirection: 'column' }, body),
      h('div', { display: 'flex' }, ''),
    ),
  );
}

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
