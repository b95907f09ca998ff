/**
 * What the domain needs to mail representatives about a change to their party's pledge
 * (pledge-notices.ts): the mail context of this request and the goals' titles in both languages.
 */
import type { ActionAPIContext } from 'astro:actions';
import type { PledgeNoticeContext } from '../domain/pledge-notices.ts';
import { mailContextFor } from '../i18n/routes.ts';
import { getCampaign, getGoals } from '../site/content.ts';
import { requestOf } from './context.ts';

export async function noticeContext(context: ActionAPIContext): Promise<PledgeNoticeContext> {
  const [campaign, nl, en] = await Promise.all([getCampaign(), getGoals('nl'), getGoals('en')]);
  const goalTitles = Object.fromEntries(nl.map((goal) => [goal.slug, { nl: goal.title, en: en.find((g) => g.slug === goal.slug)?.title ?? goal.title }]));
  const mail = mailContextFor(campaign.name, requestOf(context).siteUrl, Boolean(context.locals.app.config.mail.smtpUrl));
  return { mail, goalTitles };
}
