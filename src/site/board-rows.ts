/**
 * The scoreboard's body rows as HTML: the `<tbody>` of BoardTable.astro, which describes the
 * table as a whole. A row per party: its name (on a phone its abbreviation), a stance per goal,
 * its total, and (on the scoreboard page) a compare checkbox.
 *
 * Written as strings rather than in the template because a board of 1,000 parties has 6,000
 * cells, and Astro's renderer walking a template expression per cell took half of a cache
 * miss, the render every reader waits for after a write (issue 12: ≤ 100 ms for 1,000 parties).
 * Astro escapes what a template shows; here every text and attribute goes through escapeHtml.
 */
import type { Locale } from '../domain/campaign.ts';
import { partyAbbreviation } from '../domain/party-name.ts';
import { outreachOf, type Outreach } from '../domain/outreach.ts';
import type { StanceRow } from '../domain/scoreboard.ts';
import { outreachShort } from '../i18n/outreach.ts';
import { pathTo } from '../i18n/routes.ts';
import { formatCount, formatNumber, translator } from '../i18n/ui.ts';
import { escapeHtml } from '../domain/escape.ts';
import { stanceBadgeHtml } from './stance-badge.ts';

export interface BoardRowsOptions {
  locale: Locale;
  goals: readonly { slug: string; number: number; shortTitle: string }[];
  /** Put before every link (inside an embed, the full site's address). */
  siteUrl: string;
  /** Links open the full site in a new tab (inside an embed). */
  linkTarget?: '_blank';
  /** The scoreboard page's mode: abbreviations on a phone, each stance a link to its statement. */
  narrow: boolean;
  /** `?at=…` of a frozen board, kept by the links to a party's pages; '' for the live board. */
  atQuery: string;
  /** The query name of a compare checkbox per party (none when unset). */
  pick?: string;
  /** Per party id: when it was asked and reminded, said in its "no response" cells (narrow only). */
  outreach?: ReadonlyMap<number, Outreach>;
  /** The campaign the reader's address names (links stay in it); null: the addresses without one. */
  campaign?: string | null;
}

export function boardRowsHtml(rows: readonly StanceRow[], options: BoardRowsOptions): string {
  const { locale, goals, narrow, pick } = options;
  const t = translator(locale);
  const target = options.linkTarget ? ` target="${options.linkTarget}" rel="noopener"` : '';
  const href = (path: string) => `href="${escapeHtml(options.siteUrl + path + options.atQuery)}"${target}`;
  const outOf = formatNumber(locale, goals.length);
  // What is the same in every row is worked out once: per goal, the words read out after a
  // stance around the party's name ("…, doel 1: Servers en techbedrijven"); per seat count, its words.
  const PARTY = '\u0000';
  const cellWords = goals.map((goal) => escapeHtml(t('board.cellOf', { party: PARTY, number: String(goal.number), goal: goal.shortTitle })).split(PARTY));
  const seatWords = new Map<number, string>();
  let html = '';
  for (const row of rows) {
    const { party } = row;
    const name = escapeHtml(party.name);
    const abbreviation = partyAbbreviation(party);
    const abbr = abbreviation ? escapeHtml(abbreviation) : '';
    let seats = seatWords.get(party.seats);
    if (seats === undefined) seatWords.set(party.seats, (seats = escapeHtml(formatCount(locale, 'count.seats', party.seats))));
    const partyLink = href(pathTo('party', locale, { slug: party.slug }, options.campaign));
    // Once per party, not per cell: a party's "no response" cells all say the same.
    let asked: string | null = null;
    html += '<tr><th scope="row">';
    html += narrow
      ? // On a phone the abbreviation is what shows; the name is still read out.
        `<a class="board__party-name" ${partyLink}><span class="board__name${abbr ? ' board__name--abbr' : ''}">${name}</span> ` +
        `${abbr ? `<span class="board__abbr">${abbr}</span>` : ''}</a>` +
        `<span class="board__seats">${abbr ? `<span class="board__seats-abbr">${abbr} · </span>` : ''}${seats}</span>`
      : `<a class="board__party-name" ${partyLink}>${name}</a><span class="board__seats">${abbr ? `${abbr} · ` : ''}${seats}</span>`;
    html += '</th>';
    let committed = 0;
    goals.forEach((goal, g) => {
      const cell = row.cells.find((c) => c.goalSlug === goal.slug)!;
      if (cell.stance === 'committed') committed++;
      const badge = stanceBadgeHtml(locale, cell.stance, { corrected: cell.corrected, checked: cell.checked });
      if (!narrow) {
        html += `<td>${badge}</td>`;
        return;
      }
      // The words one tap away: the icon (or, from 48rem, the words) leads to the statement's
      // permalink; its name is the stance, the party and the goal.
      const about = cellWords[g]!.join(name);
      html += `<td><a class="board__cell-link" ${href(pathTo('statement', locale, { slug: party.slug, goal: goal.slug }, options.campaign))}>${badge}<span class="visually-hidden"> (${about})</span></a>`;
      // Beside the link, not in its name: the cell reads "no response (party, goal), asked 3 Sep, reminded 2×".
      if (cell.stance === 'none' && options.outreach) {
        asked ??= escapeHtml(outreachShort(locale, outreachOf(options.outreach, party.id)));
        if (asked) html += `<span class="board__outreach"><span class="visually-hidden">, </span>${asked}</span>`;
      }
      html += '</td>';
    });
    html += `<td class="board__total">${formatNumber(locale, committed)} / ${outOf}</td>`;
    if (pick) {
      const id = escapeHtml(`pick-${party.slug}`);
      html +=
        `<td class="board__pick"><input type="checkbox" name="${escapeHtml(pick)}" value="${escapeHtml(party.slug)}" id="${id}">` +
        `<label for="${id}" class="visually-hidden">${escapeHtml(t('board.compareParty', { party: party.name }))}</label></td>`;
    }
    html += '</tr>';
  }
  return flattened(html);
}

/**
 * The same string, made one piece now. A string built by thousands of `+=` is a tree of pieces
 * until something reads it whole; here that would be the page's final encoding, and until
 * then every garbage collection of the young generation (a few per 1,000-party render) copies
 * the whole tree. One piece of 2 MB lives where large objects live and is never copied.
 * Converting to a number reads the string whole (the trick of pino's flatstr).
 */
function flattened(text: string): string {
  void Number(text);
  return text;
}
