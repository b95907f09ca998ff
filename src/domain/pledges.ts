/**
 * What happens when a party changes its pledge: the input rules, and the save that writes the
 * pledge and its history event in one transaction, refusing a save that started from an older
 * version (so one representative never silently overwrites another).
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { parties, pledgeEvents, pledges } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import { toFieldIssues, type FieldIssues } from './field-issues.ts';
import { optionalHttpsUrl } from './https-url.ts';
import { loadPledgingState } from './pledging-window.ts';
import { STANCES } from './stances.ts';
import { freeText } from './text.ts';

export const STATEMENT_MAX_LENGTH = 1000;

export const pledgeInputSchema = z.strictObject({
  stance: z.enum(STANCES, { error: 'stance.invalid' }),
  // One newline convention, no invisible edges: what the party typed is what is shown.
  statement: freeText('statement.invalid').trim().max(STATEMENT_MAX_LENGTH, 'statement.tooLong'),
  evidenceUrl: optionalHttpsUrl('evidenceUrl.invalid'),
  evidencePage: z
    .int({ error: 'evidencePage.invalid' })
    .min(1, 'evidencePage.invalid')
    .max(100_000, 'evidencePage.invalid')
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});
export type PledgeInput = z.input<typeof pledgeInputSchema>;
type ValidPledge = z.output<typeof pledgeInputSchema>;

export type Pledge = typeof pledges.$inferSelect;
type PledgeEvent = typeof pledgeEvents.$inferSelect;

export interface SavePledgeCommand {
  partySlug: string;
  goalSlug: string;
  /** The campaign's goal slugs; a pledge on anything else is refused. */
  goalSlugs: readonly string[];
  /** The version the editor started from; 0 when the party had no pledge on this goal yet. */
  baseVersion: number;
  /** Checked here against pledgeInputSchema: a form's raw values are fine. */
  input: PledgeInput | Record<string, unknown>;
  actor: Actor;
  /** The campaign's pledge deadline; an admin's open/close choice is read from the database. */
  deadline: Date | null;
  /** For the audit log of an admin's correction. */
  ip?: string | null;
  now?: Date;
}

export type SavePledgeResult =
  | { status: 'saved'; pledge: Pledge; event: PledgeEvent }
  | { status: 'unchanged'; pledge: Pledge }
  /** Someone saved since baseVersion; `current` is what they saved. Nothing was written. */
  | { status: 'conflict'; current: Pledge }
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'unknown-party' }
  | { status: 'unknown-goal' }
  /** A representative may only speak for their own party. */
  | { status: 'forbidden' }
  /** Past the deadline, or closed by an admin: pledges are read-only. */
  | { status: 'closed' };

function isSameContent(pledge: Pledge, next: ValidPledge): boolean {
  return (
    pledge.stance === next.stance && pledge.statement === next.statement && pledge.evidenceUrl === next.evidenceUrl && pledge.evidencePage === next.evidencePage
  );
}

export async function savePledge(db: Db, command: SavePledgeCommand): Promise<SavePledgeResult> {
  if (!command.goalSlugs.includes(command.goalSlug)) return { status: 'unknown-goal' };
  const parsed = pledgeInputSchema.safeParse(command.input);
  if (!parsed.success) return { status: 'invalid', issues: toFieldIssues(parsed.error) };
  const next = parsed.data;
  const now = command.now ?? new Date();
  const { actor, goalSlug, baseVersion } = command;

  return db.transaction(async (tx) => {
    const [party] = await tx.select({ id: parties.id, retiredAt: parties.retiredAt }).from(parties).where(eq(parties.slug, command.partySlug)).limit(1);
    if (!party || party.retiredAt) return { status: 'unknown-party' } as const;
    if (actor.role === 'rep' && actor.partyId !== party.id) return { status: 'forbidden' } as const;
    if (!(await loadPledgingState(tx, command.deadline, now)).open) return { status: 'closed' } as const;

    if (baseVersion === 0) {
      // A first pledge. If another save made it first (long ago, or a moment ago in a
      // transaction this insert waited for), nothing is inserted and the version check
      // below reports the conflict: one path for both, whatever the timing or the engine.
      const [created] = await tx
        .insert(pledges)
        .values({
          partyId: party.id,
          goalSlug,
          ...next,
          version: 1,
          updatedByName: actor.name,
          updatedByRole: actor.role,
          updatedByUserId: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [pledges.partyId, pledges.goalSlug] })
        .returning();
      if (created) {
        const event = await recordChange(tx, created, null, command, now);
        return { status: 'saved', pledge: created, event } as const;
      }
    }

    const [current] = await tx
      .select()
      .from(pledges)
      .where(and(eq(pledges.partyId, party.id), eq(pledges.goalSlug, goalSlug)))
      .for('update')
      .limit(1);
    if (!current) return { status: 'invalid', issues: { baseVersion: 'pledge.staleForm' } } as const;

    if (current.version !== baseVersion) return { status: 'conflict', current } as const;
    if (isSameContent(current, next)) return { status: 'unchanged', pledge: current } as const;

    const version = current.version + 1;
    const [updated] = await tx
      .update(pledges)
      .set({ ...next, version, updatedByName: actor.name, updatedByRole: actor.role, updatedByUserId: actor.userId, updatedAt: now })
      .where(and(eq(pledges.id, current.id), eq(pledges.version, current.version)))
      .returning();
    const event = await recordChange(tx, updated!, current, command, now);
    return { status: 'saved', pledge: updated!, event } as const;
  });
}

/**
 * The history event of a save, from `before` (null for a first pledge) to `after`. A pledge
 * changed by the campaign instead of the party is a correction: on the audit record too.
 */
async function recordChange(db: Db, after: Pledge, before: Pledge | null, command: SavePledgeCommand, now: Date): Promise<PledgeEvent> {
  const { actor } = command;
  const [event] = await db
    .insert(pledgeEvents)
    .values({
      pledgeId: after.id,
      partyId: after.partyId,
      goalSlug: after.goalSlug,
      version: after.version,
      stanceBefore: before?.stance ?? null,
      stanceAfter: after.stance,
      statementBefore: before?.statement ?? null,
      statementAfter: after.statement,
      evidenceUrlBefore: before?.evidenceUrl ?? null,
      evidenceUrlAfter: after.evidenceUrl,
      evidencePageBefore: before?.evidencePage ?? null,
      evidencePageAfter: after.evidencePage,
      actorName: actor.name,
      actorRole: actor.role,
      actorUserId: actor.userId,
      occurredAt: now,
    })
    .returning();
  if (actor.role !== 'admin') return event!;
  await recordAudit(db, {
    action: 'pledge.corrected',
    actor: command.actor,
    subject: `${command.partySlug}/${command.goalSlug}`,
    ip: command.ip,
    now,
  });
  return event!;
}
