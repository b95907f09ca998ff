/**
 * What the domain needs to mail representatives about a change to their party's pledge
 * (pledge-notices.ts): the mail context of this request and the goals' titles in both languages.
 */
import type { ActionAPIContext } from 'astro:actions';
import type { PledgeNoticeContext } from '../domain/pledge-notices.ts';
import { getGoals } from '../site/content.ts';
import { mailContextOf } from './context.ts';

export function noticeContext(context: ActionAPIContext): PledgeNoticeContext {
  const [nl, en] = [getGoals(context, 'nl'), getGoals(context, 'en')];
  const goalTitles = Object.fromEntries(nl.map((goal) => [goal.slug, { nl: goal.title, en: en.find((g) => g.slug === goal.slug)?.title ?? goal.title }]));
  const mail = mailContextOf(context);
  return { mail, goalTitles };
}
