/**
 * What happens when a party changes its pledge: the input rules, and the save that writes the
 * pledge and its history event in one transaction, refusing a save that started from an older
 * version (so one representative never silently overwrites another).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { campaignParties, parties, pledgeEvents, pledges } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import { toFieldIssues, type FieldIssues } from './field-issues.ts';
import { optionalHttpsUrl } from './https-url.ts';
import { queuePledgeNotices, type PledgeNoticeContext } from './pledge-notices.ts';
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

export const CORRECTION_REASON_MAX_LENGTH = 300;

/**
 * Why the campaign corrected a party's pledge: required for an admin's save, shown to the
 * public with the version it explains (see corrections.ts).
 */
const correctionReasonSchema = freeText('pledge.correctionReason')
  .trim()
  .min(1, 'pledge.correctionReason')
  .max(CORRECTION_REASON_MAX_LENGTH, 'pledge.correctionReasonTooLong');

/**
 * The reason a save records: an admin's must give one (1–300 characters); a representative's
 * or the system's save never carries one, whatever was sent.
 */
function checkCorrectionReason(actor: Actor, raw: unknown): { ok: true; reason: string | null } | { ok: false; message: string } {
  if (actor.role !== 'admin') return { ok: true, reason: null };
  const parsed = correctionReasonSchema.safeParse(raw ?? '');
  return parsed.success ? { ok: true, reason: parsed.data } : { ok: false, message: parsed.error.issues[0]!.message };
}
type ValidPledge = z.output<typeof pledgeInputSchema>;

export type Pledge = typeof pledges.$inferSelect;
type PledgeEvent = typeof pledgeEvents.$inferSelect;

export interface SavePledgeCommand {
  /** The campaign the pledge is made in: its state, deadline and override decide whether it may be. */
  campaignId: number;
  partySlug: string;
  goalSlug: string;
  /** The campaign's goal slugs; a pledge on anything else is refused. */
  goalSlugs: readonly string[];
  /** The version the editor started from; 0 when the party had no pledge on this goal yet. */
  baseVersion: number;
  /** Checked here against pledgeInputSchema: a form's raw values are fine. */
  input: PledgeInput | Record<string, unknown>;
  actor: Actor;
  /** Why, for an admin's correction (required then, 1–300 characters); ignored for anyone else. */
  correctionReason?: string | null;
  /** For the audit log of an admin's correction. */
  ip?: string | null;
  now?: Date;
  /** How to mail the party's representatives who asked for notices; without it none is queued (seeds, tests). */
  notify?: PledgeNoticeContext;
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
  /** Past the deadline, closed by an admin, or the campaign does not take pledges: read-only. */
  | { status: 'closed' };

type PledgeContent = Pick<Pledge, 'stance' | 'statement' | 'evidenceUrl' | 'evidencePage'>;

function isSameContent(pledge: PledgeContent, next: ValidPledge): boolean {
  return (
    pledge.stance === next.stance && pledge.statement === next.statement && pledge.evidenceUrl === next.evidenceUrl && pledge.evidencePage === next.evidencePage
  );
}

const statementText = freeText().trim();

/**
 * A statement's length as the rule counts it (one newline per line break, no white space at
 * the edges), so a form can say by how many characters a text is too long.
 */
export function statementLength(value: string): number {
  const parsed = statementText.safeParse(value);
  return parsed.success ? parsed.data.length : value.trim().length;
}

/** One goal of a form that holds them all: the version the editor started from, and the input. */
export interface PledgeDraft {
  goalSlug: string;
  /** 0 when the party had no pledge on this goal yet. */
  baseVersion: number;
  /** Checked against pledgeInputSchema: a form's raw values are fine. */
  input: PledgeInput | Record<string, unknown>;
}

export interface SavePledgesCommand {
  campaignId: number;
  partySlug: string;
  /** The campaign's goal slugs; a pledge on anything else is refused. */
  goalSlugs: readonly string[];
  drafts: readonly PledgeDraft[];
  actor: Actor;
  /** Why, when an admin saves (a correction): required then; ignored for anyone else. */
  correctionReason?: string | null;
  ip?: string | null;
  now?: Date;
  /** How to mail the party's representatives who asked for notices; without it none is queued (seeds, tests). */
  notify?: PledgeNoticeContext;
}

type GoalOutcome = { goalSlug: string; status: 'saved'; pledge: Pledge; event: PledgeEvent } | { goalSlug: string; status: 'unchanged'; pledge: Pledge };

export type SavePledgesResult =
  /** Every changed goal was written, in one transaction; `outcomes` has one entry per goal that had input. */
  | { status: 'done'; outcomes: GoalOutcome[] }
  /** Someone saved one or more of these goals since the form was loaded. Nothing was written. */
  | { status: 'conflict'; conflicts: { goalSlug: string; current: Pledge }[] }
  /** goal slug → field → message key, for every goal at once. Nothing was written. */
  | { status: 'invalid'; issues: Record<string, FieldIssues> }
  | { status: 'unknown-party' }
  | { status: 'unknown-goal' }
  | { status: 'forbidden' }
  | { status: 'closed' };

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A goal the party has never answered and left empty on the form: nothing to check or save. */
function isUntouchedNewGoal(draft: PledgeDraft): boolean {
  const input = draft.input as Record<string, unknown>;
  return draft.baseVersion === 0 && ['stance', 'statement', 'evidenceUrl', 'evidencePage'].every((field) => isBlank(input[field]));
}

/**
 * The representative's one form for all goals. Every goal's input is checked first, and all
 * problems are reported at once; then one transaction writes every goal that changed, each
 * with its own version check. One conflict, and nothing is written. A goal the form did not
 * change is not written (no empty history events), even when a colleague saved it meanwhile.
 */
export async function savePledges(db: Db, command: SavePledgesCommand): Promise<SavePledgesResult> {
  const slugs = command.drafts.map((d) => d.goalSlug);
  if (slugs.some((slug) => !command.goalSlugs.includes(slug)) || new Set(slugs).size !== slugs.length) return { status: 'unknown-goal' };
  const issues: Record<string, FieldIssues> = {};
  const plans: Plan[] = [];
  const reason = checkCorrectionReason(command.actor, command.correctionReason);
  for (const draft of command.drafts) {
    if (isUntouchedNewGoal(draft)) continue;
    const parsed = pledgeInputSchema.safeParse(draft.input);
    if (parsed.success) plans.push({ goalSlug: draft.goalSlug, baseVersion: draft.baseVersion, next: parsed.data });
    else issues[draft.goalSlug] = toFieldIssues(parsed.error);
    if (!reason.ok) (issues[draft.goalSlug] ??= {}).correctionReason = reason.message;
  }
  if (Object.keys(issues).length > 0) return { status: 'invalid', issues };
  return writePledges(db, { ...command, correctionReason: reason.ok ? reason.reason : null }, plans, command.now ?? new Date());
}

/** One goal's save (the admin's correction form, scripts and seeds). */
export async function savePledge(db: Db, command: SavePledgeCommand): Promise<SavePledgeResult> {
  if (!command.goalSlugs.includes(command.goalSlug)) return { status: 'unknown-goal' };
  const parsed = pledgeInputSchema.safeParse(command.input);
  const reason = checkCorrectionReason(command.actor, command.correctionReason);
  // Every problem at once: the pledge's fields and the correction's reason.
  if (!parsed.success || !reason.ok) {
    const issues = parsed.success ? {} : toFieldIssues(parsed.error);
    if (!reason.ok) issues.correctionReason = reason.message;
    return { status: 'invalid', issues };
  }
  const plan = { goalSlug: command.goalSlug, baseVersion: command.baseVersion, next: parsed.data };
  const result = await writePledges(db, { ...command, correctionReason: reason.reason }, [plan], command.now ?? new Date());
  switch (result.status) {
    case 'done':
      return result.outcomes[0]!;
    case 'conflict':
      return { status: 'conflict', current: result.conflicts[0]!.current };
    case 'invalid':
      return { status: 'invalid', issues: result.issues[command.goalSlug]! };
    default:
      return result;
  }
}

interface Plan {
  goalSlug: string;
  baseVersion: number;
  next: ValidPledge;
}

/** Thrown inside the transaction to roll back what was written when a first pledge lost a race. */
class LostRace extends Error {
  readonly goalSlug: string;
  constructor(goalSlug: string) {
    super(`pledge ${goalSlug} was created meanwhile`);
    this.goalSlug = goalSlug;
  }
}

/** `correctionReason` here is checked: the admin's reason, or null for anyone else. */
type WriteScope = Pick<SavePledgesCommand, 'campaignId' | 'partySlug' | 'actor' | 'ip' | 'notify'> & { correctionReason: string | null };

async function writePledges(db: Db, scope: WriteScope, plans: readonly Plan[], now: Date): Promise<SavePledgesResult> {
  // A candidate never writes a party's pledge (refused below, before any write).
  if (scope.actor.role === 'candidate') return { status: 'forbidden' };
  const actor = { ...scope.actor, role: scope.actor.role };
  const ordered = [...plans].sort((a, b) => (a.goalSlug < b.goalSlug ? -1 : a.goalSlug > b.goalSlug ? 1 : 0));
  try {
    return await db.transaction(async (tx) => {
      const [party] = await tx
        .select({ id: parties.id, retiredAt: campaignParties.retiredAt })
        .from(parties)
        .innerJoin(campaignParties, and(eq(campaignParties.partyId, parties.id), eq(campaignParties.campaignId, scope.campaignId)))
        .where(eq(parties.slug, scope.partySlug))
        .limit(1);
      if (!party || party.retiredAt) return { status: 'unknown-party' } as const;
      // A representative speaks for their own party only (a candidate was refused above: they
      // sign for themselves, candidate-signatures.ts, never a party's pledge).
      if (actor.role === 'rep' && actor.partyId !== party.id) return { status: 'forbidden' } as const;
      if (!(await loadPledgingState(tx, scope.campaignId, now)).open) return { status: 'closed' } as const;
      if (ordered.length === 0) return { status: 'done', outcomes: [] } as const;

      // Lock every row this save may change, always in the same order (no deadlock between two saves).
      const rows = await tx
        .select()
        .from(pledges)
        .where(
          and(
            eq(pledges.campaignId, scope.campaignId),
            eq(pledges.partyId, party.id),
            inArray(
              pledges.goalSlug,
              ordered.map((p) => p.goalSlug),
            ),
          ),
        )
        .orderBy(asc(pledges.goalSlug))
        .for('update');
      const currentOf = new Map(rows.map((row) => [row.goalSlug, row]));

      const outcomes: GoalOutcome[] = [];
      const conflicts: { goalSlug: string; current: Pledge }[] = [];
      const writes: { plan: Plan; current: Pledge | null }[] = [];
      const stale: Record<string, FieldIssues> = {};
      for (const plan of ordered) {
        const current = currentOf.get(plan.goalSlug) ?? null;
        if (!current) {
          if (plan.baseVersion === 0) writes.push({ plan, current });
          else stale[plan.goalSlug] = { baseVersion: 'pledge.staleForm' };
        } else if (isSameContent(current, plan.next)) {
          outcomes.push({ goalSlug: plan.goalSlug, status: 'unchanged', pledge: current });
        } else if (current.version === plan.baseVersion) {
          writes.push({ plan, current });
        } else if (await isUnchangedSince(tx, current, plan)) {
          // This form did not change the goal; someone else did meanwhile. Theirs stays.
          outcomes.push({ goalSlug: plan.goalSlug, status: 'unchanged', pledge: current });
        } else {
          conflicts.push({ goalSlug: plan.goalSlug, current });
        }
      }
      if (Object.keys(stale).length > 0) return { status: 'invalid', issues: stale } as const;
      if (conflicts.length > 0) return { status: 'conflict', conflicts } as const;

      for (const { plan, current } of writes) {
        // A representative's save clears the correction's reason with the correction itself.
        const by = {
          updatedByName: actor.name,
          updatedByRole: actor.role,
          updatedByUserId: actor.userId,
          correctionReason: scope.correctionReason,
          updatedAt: now,
        };
        if (!current) {
          // A first pledge. If another save created it after the lock above (it waited for
          // that transaction's commit), nothing is inserted: a conflict, and all is rolled back.
          const [created] = await tx
            .insert(pledges)
            .values({ campaignId: scope.campaignId, partyId: party.id, goalSlug: plan.goalSlug, ...plan.next, version: 1, createdAt: now, ...by })
            .onConflictDoNothing({ target: [pledges.campaignId, pledges.partyId, pledges.goalSlug] })
            .returning();
          if (!created) throw new LostRace(plan.goalSlug);
          const event = await recordChange(tx, created, null, scope, now);
          outcomes.push({ goalSlug: plan.goalSlug, status: 'saved', pledge: created, event });
        } else {
          const [updated] = await tx
            .update(pledges)
            .set({ ...plan.next, version: current.version + 1, ...by })
            .where(and(eq(pledges.id, current.id), eq(pledges.version, current.version)))
            .returning();
          const event = await recordChange(tx, updated!, current, scope, now);
          outcomes.push({ goalSlug: plan.goalSlug, status: 'saved', pledge: updated!, event });
        }
      }
      if (scope.notify) {
        const changes = writes.map(({ plan, current }) => ({
          goalSlug: plan.goalSlug,
          stanceBefore: current?.stance ?? null,
          stanceAfter: plan.next.stance,
          alsoChanged: [
            ...(current && current.statement !== plan.next.statement ? (['statement'] as const) : []),
            ...(current && (current.evidenceUrl !== plan.next.evidenceUrl || current.evidencePage !== plan.next.evidencePage) ? (['evidence'] as const) : []),
          ],
        }));
        await queuePledgeNotices(
          tx,
          { campaignId: scope.campaignId, partyId: party.id, actor, kind: 'save', changes, reason: scope.correctionReason },
          scope.notify,
        );
      }
      return { status: 'done', outcomes: plans.map((p) => outcomes.find((o) => o.goalSlug === p.goalSlug)!) } as const;
    });
  } catch (error) {
    if (!(error instanceof LostRace)) throw error;
    const [current] = await db
      .select()
      .from(pledges)
      .innerJoin(parties, eq(parties.id, pledges.partyId))
      .where(and(eq(pledges.campaignId, scope.campaignId), eq(parties.slug, scope.partySlug), eq(pledges.goalSlug, error.goalSlug)))
      .limit(1);
    return { status: 'conflict', conflicts: [{ goalSlug: error.goalSlug, current: current!.pledges }] };
  }
}

/** Whether the form's input for this goal is what the version it started from said. */
async function isUnchangedSince(db: Db, current: Pledge, plan: Plan): Promise<boolean> {
  if (plan.baseVersion === 0) return false;
  const [base] = await db
    .select({
      stance: pledgeEvents.stanceAfter,
      statement: pledgeEvents.statementAfter,
      evidenceUrl: pledgeEvents.evidenceUrlAfter,
      evidencePage: pledgeEvents.evidencePageAfter,
    })
    .from(pledgeEvents)
    .where(and(eq(pledgeEvents.pledgeId, current.id), eq(pledgeEvents.version, plan.baseVersion)))
    .limit(1);
  return base !== undefined && isSameContent(base, plan.next);
}

/**
 * The history event of a save, from `before` (null for a first pledge) to `after`. A pledge
 * changed by the campaign instead of the party is a correction: on the audit record too.
 */
async function recordChange(db: Db, after: Pledge, before: Pledge | null, scope: WriteScope, now: Date): Promise<PledgeEvent> {
  const { actor } = scope;
  if (actor.role === 'candidate') throw new Error('a candidate cannot change a pledge');
  const [event] = await db
    .insert(pledgeEvents)
    .values({
      pledgeId: after.id,
      campaignId: after.campaignId,
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
      correctionReason: after.correctionReason,
      occurredAt: now,
    })
    .returning();
  if (actor.role !== 'admin') return event!;
  await recordAudit(db, {
    action: 'pledge.corrected',
    actor,
    subject: `${scope.partySlug}/${after.goalSlug}`,
    ip: scope.ip,
    now,
    details: { version: after.version, reason: after.correctionReason },
  });
  return event!;
}
