/**
 * The public pledge history as open data (`GET /api/v1/events.json`): one entry per saved
 * version, newest first, from what to what, by whom, paged with `before`.
 */
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

export function toEventsPageJsonV1(page: ChangesPage, nextUrl: string | null, at: Date | null) {
  return {
    events: page.changes.map(toEventJsonV1),
    next: nextUrl,
    asOf: at?.toISOString() ?? null,
    licence: { ...DATA_LICENCE },
  };
}
