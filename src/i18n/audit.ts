/**
 * The audit log in words: one sentence per event ("Anna (beheerder) sloot het toezeggen"), from
 * the structured entries of src/domain/audit.ts. Every action's template is a message
 * `audit.<action>` in src/i18n/ui.ts, in both languages; this file only fills them in.
 */
import type { AuditLogEntry } from '../domain/audit.ts';
import type { Locale } from '../domain/campaign.ts';
import { formatDate, isMessageKey, translator } from './ui.ts';

/** "Anna de Vries (beheerder)", or the command line, the system, someone not signed in. */
function auditActor(locale: Locale, entry: AuditLogEntry): string {
  const t = translator(locale);
  const { name, role, label } = entry.actor;
  if (name && role) return t('audit.actor', { name, role: t(`admin.role.${role}`) });
  if (label === 'cli') return t('audit.actor.cli');
  if (label === 'system') return t('audit.actor.system');
  if (label === 'anonymous') return t('audit.actor.anonymous');
  return label;
}

function deadlineWords(locale: Locale, value: unknown): string {
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return formatDate(locale, new Date(value), true);
  return translator(locale)('audit.noDeadline');
}

/**
 * The event as a sentence, without the time (the page adds that in a <time> element).
 * `goalNumber` turns a goal's slug into its number on the board; an unknown goal keeps its slug.
 */
export function auditSentence(locale: Locale, entry: AuditLogEntry, goalNumber: (slug: string) => number | undefined): string {
  const t = translator(locale);
  const reason = entry.details.reason;
  // An action may have a second template for an entry that gives a reason (a correction's).
  const withReason = `audit.${entry.action}WithReason`;
  const key = typeof reason === 'string' && reason !== '' && isMessageKey(withReason) ? withReason : `audit.${entry.action}`;
  const number = entry.goalSlug ? goalNumber(entry.goalSlug) : undefined;
  const values = {
    actor: auditActor(locale, entry),
    subject: entry.subject ?? '',
    party: entry.party ? (entry.party.name ?? entry.party.slug) : '',
    goal: entry.goalSlug ? (number !== undefined ? t('audit.goal', { number: String(number) }) : entry.goalSlug) : '',
    reason: typeof reason === 'string' ? reason : '',
    action: entry.action,
    remaining: typeof entry.details.remaining === 'number' ? String(entry.details.remaining) : '?',
    // A deadline's old and new value: a moment in Dutch time, or "no deadline".
    from: deadlineWords(locale, entry.details.from),
    to: deadlineWords(locale, entry.details.to),
  };
  return isMessageKey(key) ? t(key, values) : t('audit.unknown', values);
}

/** An action for the filter's list: its sentence with every name left out ("sloot het toezeggen"). */
export function auditActionLabel(locale: Locale, action: string): string {
  const key = `audit.${action}`;
  if (!isMessageKey(key)) return action;
  return translator(locale)(key)
    .replace(/^\{actor\}\s*/, '')
    .replace(/\{\w+\}/g, '…');
}
