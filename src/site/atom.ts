/**
 * Atom feeds (RFC 4287) of pledge changes: for the whole board, one party or one goal.
 * Each entry is one saved version, one check by the campaign or one reply of a party, in the
 * reader's language.
 */
import type { Goal, Locale } from '../domain/campaign.ts';
import type { CheckEvent } from '../domain/checks.ts';
import type { PublicChange } from '../domain/history.ts';
import type { ReplyEvent } from '../domain/replies.ts';
import { withoutForbiddenCharacters } from '../domain/text.ts';
import { pathTo } from '../i18n/routes.ts';
import { formatNumber, stanceLabel, translator } from '../i18n/ui.ts';
import { escapeHtml } from '../domain/escape.ts';

export interface FeedOptions {
  locale: Locale;
  siteUrl: string;
  /** Links in entries go to the campaign's own pages. */
  campaignSlug: string;
  title: string;
  /** The feed's own address, and the page it follows. */
  selfPath: string;
  pagePath: string;
  goals: readonly Goal[];
  changes: readonly PublicChange[];
  /** The campaign's checks of the same pledges (checks.ts), each an entry of its own. */
  checks?: readonly CheckEvent[];
  /** The parties' replies to those checks and to follow-up ratings (replies.ts), each an entry of its own. */
  replies?: readonly ReplyEvent[];
  /** Most entries (changes, checks and replies together, newest first); all when absent. */
  limit?: number;
  /** When nothing has changed yet. */
  fallbackUpdated: Date;
}

/** Escaped, and without characters XML forbids that older rows may still hold: one would make the whole feed unreadable. */
export const xml = (text: string) => escapeHtml(withoutForbiddenCharacters(text));

export function tagUri(siteUrl: string, id: string): string {
  return `tag:${new URL(siteUrl).hostname},2026:${id}`;
}

export function renderAtomFeed({
  locale,
  siteUrl,
  campaignSlug,
  title,
  selfPath,
  pagePath,
  goals,
  changes,
  checks = [],
  replies = [],
  limit,
  fallbackUpdated,
}: FeedOptions): string {
  const t = translator(locale);
  const goalNameOf = (slug: string) => {
    const goal = goals.find((g) => g.slug === slug);
    return goal ? `${goal.number}. ${goal.shortTitle}` : slug;
  };
  const changeEntries = changes.map((change) => {
    const goalName = goalNameOf(change.goalSlug);
    const stance = stanceLabel(locale, change.stanceAfter);
    const lines = [
      change.stanceBefore && change.stanceBefore !== change.stanceAfter ? `${t('history.from')}: ${stanceLabel(locale, change.stanceBefore)}` : null,
      change.statementAfterHidden ? `${t('moderation.hiddenNotice')} ${change.statementAfterHidden}` : change.statementAfter || null,
      change.evidenceUrlAfter
        ? `${t('party.evidence')}: ${change.evidenceUrlAfter}${change.evidencePageAfter ? ` (${t('party.page')} ${formatNumber(locale, change.evidencePageAfter)})` : ''}`
        : null,
    ].filter(Boolean);
    const link = siteUrl + pathTo('party', locale, { slug: change.partySlug }, campaignSlug);
    const entry = `  <entry>
    <id>${xml(tagUri(siteUrl, `pledge-event-${change.eventId}`))}</id>
    <title>${xml(`${change.partyName} – ${goalName}: ${stance}`)}</title>
    <updated>${change.at.toISOString()}</updated>
    <author><name>${xml(change.actorName)}</name></author>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <content type="text">${xml(lines.join('\n\n'))}</content>
  </entry>`;
    return { at: change.at, entry };
  });
  const checkEntries = checks.map((check) => {
    const verified = check.verdict === 'verified';
    const lines = verified
      ? [t('history.checkVerified', { page: String(check.page ?? '') }), check.quote, check.checkedUrl]
      : [`${t('history.checkDisputed')} ${check.reason ?? ''}`];
    const link = siteUrl + pathTo('party', locale, { slug: check.partySlug }, campaignSlug);
    const entry = `  <entry>
    <id>${xml(tagUri(siteUrl, `pledge-check-${check.id}`))}</id>
    <title>${xml(`${check.partyName} – ${goalNameOf(check.goalSlug)}: ${t(verified ? 'check.markVerified' : 'check.markDisputed')}`)}</title>
    <updated>${check.checkedAt.toISOString()}</updated>
    <author><name>${xml(check.byName)}</name></author>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <content type="text">${xml(lines.filter(Boolean).join('\n\n'))}</content>
  </entry>`;
    return { at: check.checkedAt, entry };
  });
  const replyEntries = replies.map((reply) => {
    const lines = [
      t(reply.subject === 'check' ? 'history.replyToCheck' : 'history.replyToFollowUp'),
      reply.hiddenReason !== null ? t('reply.hiddenByCampaign', { reason: reply.hiddenReason }) : reply.text,
    ];
    const link = siteUrl + pathTo('party', locale, { slug: reply.partySlug }, campaignSlug);
    // A moderation changes the entry: its time tells readers to fetch it again.
    const updated = reply.moderatedAt && reply.moderatedAt > reply.repliedAt ? reply.moderatedAt : reply.repliedAt;
    const entry = `  <entry>
    <id>${xml(tagUri(siteUrl, `party-reply-${reply.id}`))}</id>
    <title>${xml(`${reply.partyName} – ${goalNameOf(reply.goalSlug)}: ${t('followUp.reply')}`)}</title>
    <published>${reply.repliedAt.toISOString()}</published>
    <updated>${updated.toISOString()}</updated>
    <author><name>${xml(reply.byName)}</name></author>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <content type="text">${xml(lines.filter(Boolean).join('\n\n'))}</content>
  </entry>`;
    return { at: updated, entry };
  });
  // Newest first, changes, checks and replies together.
  const newestFirst = [...changeEntries, ...checkEntries, ...replyEntries].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
  const entries = newestFirst.map((e) => e.entry);
  return atomFeed({ locale, siteUrl, selfPath, pagePath, title, updated: newestFirst[0]?.at ?? fallbackUpdated, entries });
}

/** A feed around its entries (already written, newest first): the one envelope every feed of the site has. */
export function atomFeed({
  locale,
  siteUrl,
  selfPath,
  pagePath,
  title,
  updated,
  entries,
}: {
  locale: Locale;
  siteUrl: string;
  selfPath: string;
  pagePath: string;
  title: string;
  updated: Date;
  entries: readonly string[];
}): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
  <id>${xml(tagUri(siteUrl, selfPath))}</id>
  <title>${xml(title)}</title>
  <updated>${updated.toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(siteUrl + selfPath)}"/>
  <link rel="alternate" type="text/html" href="${xml(siteUrl + pagePath)}"/>
  <author><name>Pledgeboard</name></author>
  <rights>CC BY 4.0</rights>
${entries.join('\n')}
</feed>
`;
}
