/**
 * A stance as icon + words, as HTML: the markup of StanceBadge.astro. Each stance has its own
 * shape (check, half disc, cross, dashed ring) as well as its own colour, so it reads without
 * colour and in greyscale print.
 *
 * Written once per language and stance and reused: the scoreboard shows one in every cell,
 * and an Astro component per cell was a good part of rendering a large board (issue 12). The
 * shapes are drawn once per page, as symbols in `stanceSymbolsHtml` (every layout carries it),
 * and each badge refers to its symbol: inline, the four shapes were 330 of a board cell's 600
 * bytes, and a 1,000-party board was too large to cache.
 */
import type { Locale } from '../domain/campaign.ts';
import type { BoardStance } from '../domain/stances.ts';
import { stanceLabel, translator, type MessageKey } from '../i18n/ui.ts';
import { escapeHtml } from '../domain/escape.ts';

/** Each stance's shape in a 20×20 box; the social images draw the same ones (src/site/images.ts). */
export const STANCE_SHAPES: Record<BoardStance, string> = {
  committed:
    '<circle cx="10" cy="10" r="9" fill="currentColor"></circle><path d="M5.5 10.5l3 3 6-7" fill="none" stroke="var(--stance-icon-ink)" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"></path>',
  partial:
    '<circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="2"></circle><path d="M10 2a8 8 0 0 1 0 16z" fill="currentColor"></path>',
  declined:
    '<circle cx="10" cy="10" r="9" fill="currentColor"></circle><path d="M6.5 6.5l7 7m0-7l-7 7" stroke="var(--stance-icon-ink)" stroke-width="2.2" stroke-linecap="round"></path>',
  none: '<circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="3 2.3"></circle><path d="M6.5 10h7" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path>',
};

const PENCIL_SHAPE =
  '<path d="M11.3 1.9l2.8 2.8-8.4 8.4-3.6.8.8-3.6z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"></path><path d="M9.6 3.6l2.8 2.8" stroke="currentColor" stroke-width="1.6"></path>';

/**
 * The shapes every badge and correction mark on a page refer to, once per page (the layouts put
 * it first in the body). Colours come from where each is used: `currentColor` and
 * `--stance-icon-ink` inherit into the copy a `<use>` makes.
 */
export const stanceSymbolsHtml =
  '<svg class="stance-symbols" width="0" height="0" aria-hidden="true" focusable="false">' +
  (Object.entries(STANCE_SHAPES) as [BoardStance, string][])
    .map(([stance, shape]) => `<symbol id="stance-${stance}" viewBox="0 0 20 20">${shape}</symbol>`)
    .join('') +
  `<symbol id="correction-pencil" viewBox="0 0 16 16">${PENCIL_SHAPE}</symbol></svg>`;

const PENCIL = '<svg width="14" height="14" aria-hidden="true" focusable="false"><use href="#correction-pencil"></use></svg>';

/**
 * The small mark of a campaign correction beside a stance where there is no room for the
 * sentence (a board cell, an embed): a pencil, its words on hover, and (`spoken`) read out
 * after the stance ("…, corrected by the campaign team").
 */
export function correctionMarkHtml(locale: Locale, spoken: boolean): string {
  const words = escapeHtml(translator(locale)('correction.marker'));
  return `<span class="correction-mark" title="${words}" data-correction-mark>${PENCIL}${spoken ? `<span class="visually-hidden">, ${words}</span>` : ''}</span>`;
}

export interface StanceBadgeOptions {
  /** The icon alone, hidden from screen readers: for a place that says the words itself. */
  iconOnly?: boolean;
  /** The version shown is the campaign's correction: a spoken pencil after the words. */
  corrected?: boolean;
  /** The campaign's check of the version shown: a spoken mark after the words (never colour alone). */
  checked?: 'verified' | 'disputed' | null;
}

const written = new Map<string, string>();

/** The check marks: each verdict's sign and its words (also the key under the comparison). */
export const CHECK_MARKS = {
  verified: { sign: '✓', words: 'check.markVerified' },
  disputed: { sign: '!', words: 'check.markDisputed' },
} as const satisfies Record<'verified' | 'disputed', { sign: string; words: MessageKey }>;

/** "✓" or "!" with its words as the title and, read out, after the stance. */
function checkMarkHtml(locale: Locale, checked: 'verified' | 'disputed'): string {
  const { sign, words: key } = CHECK_MARKS[checked];
  const words = escapeHtml(translator(locale)(key));
  return `<span class="check-mark check-mark--${checked}" title="${words}" data-check-mark="${checked}"><span aria-hidden="true">${sign}</span><span class="visually-hidden">, ${words}</span></span>`;
}

export function stanceBadgeHtml(locale: Locale, stance: BoardStance, { iconOnly = false, corrected = false, checked = null }: StanceBadgeOptions = {}): string {
  const key = `${locale}:${stance}:${iconOnly}:${corrected}:${checked}`;
  let html = written.get(key);
  if (html === undefined) {
    html =
      `<span class="stance stance--${stance}"${iconOnly ? ' aria-hidden="true"' : ''}><svg class="stance__icon" width="20" height="20" aria-hidden="true" focusable="false">` +
      `<use href="#stance-${stance}"></use></svg>${iconOnly ? '' : `<span class="stance__label">${escapeHtml(stanceLabel(locale, stance))}</span>`}` +
      // An icon alone is hidden from screen readers (its place says the words), so a spoken mark has no place in it.
      `${corrected && !iconOnly ? correctionMarkHtml(locale, true) : ''}${checked && !iconOnly ? checkMarkHtml(locale, checked) : ''}</span>`;
    written.set(key, html);
  }
  return html;
}
