/**
 * What the domain needs to mail representatives about a change to their party's pledge
 * (pledge-notices.ts): the mail context of this request and the goals' titles in both languages.
 */
import type { ActionAPIContext } from 'astro:actions';
import type { PledgeNoticeContext } from '../domain/pledge-notices.ts';
import { getGoals } from '../site/content.ts';
import { mailContextOf } from './context.ts';

export async function noticeContext(context: ActionAPIContext): Promise<PledgeNoticeContext> {
  const [nl, en] = await Promise.all([getGoals(context, 'nl'), getGoals(context, 'en')]);
  const goalTitles = Object.fromEntries(nl.map((goal) => [goal.slug, { nl: goal.title, en: en.find((g) => g.slug === goal.slug)?.title ?? goal.title }]));
  const mail = await mailContextOf(context);
  return { mail, goalTitles };
}
