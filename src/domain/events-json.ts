/**
 * The public pledge history as open data (`GET /api/v1/events.json`): one entry per saved
 * version, newest first, from what to what, by whom, paged with `before`; beside them the
 * campaign's checks (v1.7) and the parties' replies (v1.8), each list paged with its own cursor.
 */
import type { CheckEvent } from './checks.ts';
import type { ReplyEvent } from './replies.ts';
import { DATA_LICENCE } from './scoreboard-json.ts';
import type { ChangesPage, PublicChange } from './history.ts';

interface EventJsonV1 {
  id: number;
  occurredAt: string;
  party: { slug: string; name: string };
  goal: string;
  version: number;
  stance: { before: string | null; after: string };
  statement: { before: string | null; after: string | null };
  statementHiddenReason: { before: string | null; after: string | null };
  evidenceUrl: { before: string | null; after: string | null };
  evidencePage: { before: number | null; after: number | null };
  by: { name: string; role: 'rep' | 'admin' | 'system' };
}

function toEventJsonV1(change: PublicChange): EventJsonV1 {
  return {
    id: change.eventId,
    occurredAt: change.at.toISOString(),
    party: { slug: change.partySlug, name: change.partyName },
    goal: change.goalSlug,
    version: change.version,
    stance: { before: change.stanceBefore, after: change.stanceAfter },
    statement: { before: change.statementBefore, after: change.statementAfter },
    statementHiddenReason: { before: change.statementBeforeHidden, after: change.statementAfterHidden },
    evidenceUrl: { before: change.evidenceUrlBefore, after: change.evidenceUrlAfter },
    evidencePage: { before: change.evidencePageBefore, after: change.evidencePageAfter },
    by: { name: change.actorName, role: change.actorRole },
  };
}

/** Added in v1.7: one check by the campaign, an event in the pledge's public history. */
function toCheckEventJsonV1(check: CheckEvent) {
  return {
    id: check.id,
    checkedAt: check.checkedAt.toISOString(),
    party: { slug: check.partySlug, name: check.partyName },
    goal: check.goalSlug,
    version: check.pledgeVersion,
    status: check.verdict,
    reason: check.reason,
    quote: check.quote,
    page: check.page,
    url: check.checkedUrl,
    by: { name: check.byName, role: 'admin' as const },
  };
}

/** Added in v1.8: one reply of a party to a check or a follow-up rating; a hidden one has its reason, not its words. */
function toReplyEventJsonV1(reply: ReplyEvent) {
  return {
    id: reply.id,
    repliedAt: reply.repliedAt.toISOString(),
    subject: { kind: reply.subject, id: reply.subjectId },
    party: { slug: reply.partySlug, name: reply.partyName },
    goal: reply.goalSlug,
    text: reply.text,
    hiddenReason: reply.hiddenReason,
    by: { name: reply.byName, role: 'rep' as const },
  };
}

/**
 * `checks` (v1.7) and `replies` (v1.8): the same selection's checks and replies, newest first,
 * at most a page of each; `next` carries the cursor of every list that has more.
 */
export function toEventsPageJsonV1(
  page: ChangesPage,
  nextUrl: string | null,
  at: Date | null,
  checks: readonly CheckEvent[] = [],
  replies: readonly ReplyEvent[] = [],
) {
  return {
    events: page.changes.map(toEventJsonV1),
    checks: checks.map(toCheckEventJsonV1),
    replies: replies.map(toReplyEventJsonV1),
    next: nextUrl,
    asOf: at?.toISOString() ?? null,
    licence: { ...DATA_LICENCE },
  };
}
