/**
 * What the follow-up's pages, feed and files share: the campaign's follow-up view for the
 * request (its language, `at`), or null when the public may not see it (follow-up-board.ts).
 */
import type { Goal, Locale } from '../domain/campaign.ts';
import { loadFollowUpBoard, type FollowUpBoard } from '../domain/follow-up-board.ts';
import { getGoals } from './content.ts';

export async function followUpBoardFor(
  locals: App.Locals,
  locale: Locale,
  at: Date | null,
  goals: readonly Goal[] = getGoals({ locals }, locale),
): Promise<FollowUpBoard<Goal> | null> {
  const { campaign } = locals.campaign;
  const board = await loadFollowUpBoard(locals.app.database.db, campaign, goals, at);
  return board.visible ? board : null;
}
