/**
 * A party's pledge history, newest first: every saved version (from what to what, when, by
 * whom) and every moderation step. The public sees a hidden statement's reason in its place;
 * admins also see the words.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { pledgeEvents, pledges, statementModerations } from '../db/schema.ts';
import { hiddenStatements, versionKey } from './moderation.ts';
import type { Stance } from './stances.ts';

export interface PledgeChange {
  kind: 'change';
  id: string;
  at: Date;
  goalSlug: string;
  version: number;
  actorName: string;
  actorRole: 'rep' | 'admin' | 'system';
  stanceBefore: Stance | null;
  stanceAfter: Stance;
  /** null when hidden from the public (see the matching hidden reason). */
  statementBefore: string | null;
  statementAfter: string | null;
  statementBeforeHidden: string | null;
  statementAfterHidden: string | null;
  evidenceUrlBefore: string | null;
  evidenceUrlAfter: string | null;
  evidencePageBefore: number | null;
  evidencePageAfter: number | null;
}

export interface ModerationStep {
  kind: 'moderation';
  id: string;
  at: Date;
  goalSlug: string;
  version: number;
  hidden: boolean;
  reason: string;
  byName: string;
}

export type HistoryItem = PledgeChange | ModerationStep;

export async function listPartyHistory(db: Db, partyId: number, { forAdmin = false } = {}): Promise<HistoryItem[]> {
  const events = await db.select().from(pledgeEvents).where(eq(pledgeEvents.partyId, partyId)).orderBy(desc(pledgeEvents.id));
  const pledgeRows = await db.select({ id: pledges.id, goalSlug: pledges.goalSlug }).from(pledges).where(eq(pledges.partyId, partyId));
  const pledgeIds = pledgeRows.map((p) => p.id);
  const goalOf = new Map(pledgeRows.map((p) => [p.id, p.goalSlug]));
  const hidden = await hiddenStatements(db, pledgeIds);
  const moderations =
    pledgeIds.length === 0
      ? []
      : await db.select().from(statementModerations).where(inArray(statementModerations.pledgeId, pledgeIds));

  const shown = (text: string | null, reason: string | undefined) => (reason && !forAdmin ? null : text);
  const changes: HistoryItem[] = events.map((e) => {
    const afterHidden = hidden.get(versionKey(e.pledgeId, e.version)) ?? null;
    const beforeHidden = e.version > 1 ? (hidden.get(versionKey(e.pledgeId, e.version - 1)) ?? null) : null;
    return {
      kind: 'change',
      id: `e${e.id}`,
      at: e.occurredAt,
      goalSlug: e.goalSlug,
      version: e.version,
      actorName: e.actorName,
      actorRole: e.actorRole,
      stanceBefore: e.stanceBefore,
      stanceAfter: e.stanceAfter,
      statementBefore: shown(e.statementBefore, beforeHidden ?? undefined),
      statementAfter: shown(e.statementAfter, afterHidden ?? undefined),
      statementBeforeHidden: beforeHidden,
      statementAfterHidden: afterHidden,
      evidenceUrlBefore: e.evidenceUrlBefore,
      evidenceUrlAfter: e.evidenceUrlAfter,
      evidencePageBefore: e.evidencePageBefore,
      evidencePageAfter: e.evidencePageAfter,
    };
  });
  const steps: HistoryItem[] = moderations.map((m) => ({
    kind: 'moderation',
    id: `m${m.id}`,
    at: m.at,
    goalSlug: goalOf.get(m.pledgeId)!,
    version: m.version,
    hidden: m.hidden,
    reason: m.reason,
    byName: m.byName,
  }));
  return [...changes, ...steps].sort((a, b) => b.at.getTime() - a.at.getTime() || b.id.localeCompare(a.id));
}
