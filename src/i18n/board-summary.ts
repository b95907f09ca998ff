/**
 * The scoreboard in one sentence, from summarizeBoard (src/domain/board-view.ts): "3 of 15
 * parties commit to all 4 goals; 5 have not responded yet." It counts parties, never cells, and
 * says which parties: all on the board, or those a filter shows. The second part is left out
 * when every party has responded.
 */
import type { Locale } from '../domain/campaign.ts';
import type { BoardSummary } from '../domain/board-view.ts';
import { formatCount } from './ui.ts';

export function boardSummaryText(locale: Locale, summary: BoardSummary, { filtered = false } = {}): string {
  const parties = formatCount(locale, filtered ? 'count.shownParties' : 'count.parties', summary.parties);
  const goals = formatCount(locale, 'count.goals', summary.goals);
  const committed = formatCount(locale, 'count.summaryCommitted', summary.committedToAll, { parties, goals });
  if (summary.noResponse === 0) return `${committed}.`;
  return `${committed}; ${formatCount(locale, 'count.summaryNoResponse', summary.noResponse)}.`;
}
