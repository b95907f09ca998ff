/**
 * Atom feeds (RFC 4287) of pledge changes: for the whole board, one party or one goal.
 * Each entry is one saved version, in the reader's language.
 */
import type { Goal, Locale } from '../domain/campaign.ts';
import type { PublicChange } from '../domain/history.ts';
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
  /** When nothing has changed yet. */
  fallbackUpdated: Date;
}

/** Escaped, and without characters XML forbids that older rows may still hold: one would make the whole feed unreadable. */
export const xml = (text: string) => escapeHtml(withoutForbiddenCharacters(text));

export function tagUri(siteUrl: string, id: string): string {
  return `tag:${new URL(siteUrl).hostname},2026:${id}`;
}

export function renderAtomFeed({ locale, siteUrl, campaignSlug, title, selfPath, pagePath, goals, changes, fallbackUpdated }: FeedOptions): string {
  const t = translator(locale);
  const updated = (changes[0]?.at ?? fallbackUpdated).toISOString();
  const entries = changes.map((change) => {
    const goal = goals.find((g) => g.slug === change.goalSlug);
    const goalName = goal ? `${goal.number}. ${goal.shortTitle}` : change.goalSlug;
    const stance = stanceLabel(locale, change.stanceAfter);
    const lines = [
      change.stanceBefore && change.stanceBefore !== change.stanceAfter ? `${t('history.from')}: ${stanceLabel(locale, change.stanceBefore)}` : null,
      change.statementAfterHidden ? `${t('moderation.hiddenNotice')} ${change.statementAfterHidden}` : change.statementAfter || null,
      change.evidenceUrlAfter
        ? `${t('party.evidence')}: ${change.evidenceUrlAfter}${change.evidencePageAfter ? ` (${t('party.page')} ${formatNumber(locale, change.evidencePageAfter)})` : ''}`
        : null,
    ].filter(Boolean);
    const link = siteUrl + pathTo('party', locale, { slug: change.partySlug }, campaignSlug);
    return `  <entry>
    <id>${xml(tagUri(siteUrl, `pledge-event-${change.eventId}`))}</id>
    <title>${xml(`${change.partyName} – ${goalName}: ${stance}`)}</title>
    <updated>${change.at.toISOString()}</updated>
    <author><name>${xml(change.actorName)}</name></author>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <content type="text">${xml(lines.join('\n\n'))}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
  <id>${xml(tagUri(siteUrl, selfPath))}</id>
  <title>${xml(title)}</title>
  <updated>${updated}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(siteUrl + selfPath)}"/>
  <link rel="alternate" type="text/html" href="${xml(siteUrl + pagePath)}"/>
  <author><name>Pledgeboard</name></author>
  <rights>CC BY 4.0</rights>
${entries.join('\n')}
</feed>
`;
}
