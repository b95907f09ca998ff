/**
 * A stance as icon + words, as HTML: the markup of StanceBadge.astro. Each stance has its own
 * shape (check, half disc, cross, dashed ring) as well as its own colour, so it reads without
 * colour and in greyscale print.
 *
 * Written once per language and stance and reused: the scoreboard shows one in every cell,
 * and an Astro component per cell was a good part of rendering a large board (issue 12).
 */
import type { Locale } from '../domain/campaign.ts';
import type { BoardStance } from '../domain/stances.ts';
import { stanceLabel } from '../i18n/ui.ts';
import { escapeHtml } from './escape.ts';

const ICONS: Record<BoardStance, string> = {
  committed:
    '<circle cx="10" cy="10" r="9" fill="currentColor"></circle><path d="M5.5 10.5l3 3 6-7" fill="none" stroke="var(--stance-icon-ink)" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"></path>',
  partial:
    '<circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="2"></circle><path d="M10 2a8 8 0 0 1 0 16z" fill="currentColor"></path>',
  declined:
    '<circle cx="10" cy="10" r="9" fill="currentColor"></circle><path d="M6.5 6.5l7 7m0-7l-7 7" stroke="var(--stance-icon-ink)" stroke-width="2.2" stroke-linecap="round"></path>',
  none: '<circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="3 2.3"></circle><path d="M6.5 10h7" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path>',
};

const written = new Map<string, string>();

export function stanceBadgeHtml(locale: Locale, stance: BoardStance): string {
  const key = `${locale}:${stance}`;
  let html = written.get(key);
  if (html === undefined) {
    html =
      `<span class="stance stance--${stance}"><svg class="stance__icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">` +
      `${ICONS[stance]}</svg><span class="stance__label">${escapeHtml(stanceLabel(locale, stance))}</span></span>`;
    written.set(key, html);
  }
  return html;
}
