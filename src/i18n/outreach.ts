/**
 * The public record of outreach in words (src/domain/outreach.ts): a full sentence for a
 * party's page and a statement's permalink ("Asked on 3 September 2026, reminded twice (last
 * on 1 October 2026); no answer yet."), and a few words for a "no response" cell of the
 * scoreboard ("asked 3 Sep, reminded 2×"), which a phone reads out cell by cell. Never an address.
 */
import type { Locale } from '../domain/campaign.ts';
import type { Outreach } from '../domain/outreach.ts';
import { formatCount, formatDate, translator } from './ui.ts';

const TIME_ZONE = 'Europe/Amsterdam';
const shortDates: Record<Locale, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'short', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: TIME_ZONE }),
};

/** "Asked on …, reminded twice (last on …); no answer yet." */
export function outreachSentence(locale: Locale, outreach: Outreach): string {
  const t = translator(locale);
  const asked = outreach.firstAskedAt ? t('outreach.askedOn', { date: formatDate(locale, outreach.firstAskedAt) }) : t('outreach.notAsked');
  let approach = asked;
  if (outreach.reminders > 0) {
    approach += `, ${formatCount(locale, 'count.outreachReminded', outreach.reminders)}`;
    if (outreach.lastRemindedAt) approach += ` ${t('outreach.lastOn', { date: formatDate(locale, outreach.lastRemindedAt) })}`;
  }
  const answer = outreach.firstAnsweredAt ? t('outreach.answeredOn', { date: formatDate(locale, outreach.firstAnsweredAt) }) : t('outreach.noAnswer');
  return `${approach}; ${answer}.`;
}

/** "asked 3 Sep, reminded 2×"; empty when the party was never asked nor reminded. */
export function outreachShort(locale: Locale, outreach: Outreach): string {
  const parts: string[] = [];
  if (outreach.firstAskedAt) parts.push(translator(locale)('outreach.askedShort', { date: shortDates[locale].format(outreach.firstAskedAt) }));
  if (outreach.reminders > 0) parts.push(formatCount(locale, 'count.outreachRemindedShort', outreach.reminders));
  return parts.join(', ');
}
