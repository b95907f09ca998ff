/**
 * What happens when a party changes its pledge: the input rules, and the save that writes the
 * pledge and its history event in one transaction, refusing a save that started from an older
 * version (so one representative never silently overwrites another).
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { parties, pledgeEvents, pledges } from '../db/schema.ts';
import { STANCES } from './stances.ts';

export const STATEMENT_MAX_LENGTH = 1000;

/** Field-level messages for a form: field name → message. */
export type FieldIssues = Record<string, string>;

/** An empty field means "no link"; anything else must be a real https:// address. */
const optionalHttpsUrl = z
  .string({ error: 'must be text' })
  .trim()
  .max(2000, 'at most 2,000 characters')
  .pipe(
    z.union([z.literal(''), z.url({ protocol: /^https$/, hostname: z.regexes.domain })], {
      error: 'must be an https:// link to a web page',
    }),
  )
  .nullish()
  .transform((value) => value || null);

export const pledgeInputSchema = z.strictObject({
  stance: z.enum(STANCES, { error: 'choose committed, partial or declined' }),
  statement: z
    .string({ error: 'must be text' })
    // One newline convention, no invisible edges: what the party typed is what is shown.
    .transform((s) => s.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(STATEMENT_MAX_LENGTH, `at most ${STATEMENT_MAX_LENGTH} characters`)),
  evidenceUrl: optionalHttpsUrl,
  evidencePage: z.int().min(1).max(100_000).nullable().optional().transform((v) => v ?? null),
});
export type PledgeInput = z.input<typeof pledgeInputSchema>;
export type ValidPledge = z.output<typeof pledgeInputSchema>;

export type Pledge = typeof pledges.$inferSelect;
export type PledgeEvent = typeof pledgeEvents.$inferSelect;

export interface Actor {
  /** The display name the public history shows. */
  name: string;
  role: 'rep' | 'admin' | 'system';
}

export interface SavePledgeCommand {
  partySlug: string;
  goalSlug: string;
  /** The campaign's goal slugs; a pledge on anything else is refused. */
  goalSlugs: readonly string[];
  /** The version the editor started from; 0 when the party had no pledge on this goal yet. */
  baseVersion: number;
  input: PledgeInput;
  actor: Actor;
  now?: Date;
}

export type SavePledgeResult =
  | { status: 'saved'; pledge: Pledge; event: PledgeEvent }
  | { status: 'unchanged'; pledge: Pledge }
  /** Someone saved since baseVersion; `current` is what they saved. Nothing was written. */
  | { status: 'conflict'; current: Pledge }
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'unknown-party' }
  | { status: 'unknown-goal' };

export function toFieldIssues(error: z.ZodError): FieldIssues {
  const issues: FieldIssues = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    issues[field] ??= issue.message;
  }
  return issues;
}

function isSameContent(pledge: Pledge, next: ValidPledge): boolean {
  return (
    pledge.stance === next.stance &&
    pledge.statement === next.statement &&
    pledge.evidenceUrl === next.evidenceUrl &&
    pledge.evidencePage === next.evidencePage
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
    const [party] = await tx
      .select({ id: parties.id, retiredAt: parties.retiredAt })
      .from(parties)
      .where(eq(parties.slug, command.partySlug))
      .limit(1);
    if (!party || party.retiredAt) return { status: 'unknown-party' } as const;

    const [current] = await tx
      .select()
      .from(pledges)
      .where(and(eq(pledges.partyId, party.id), eq(pledges.goalSlug, goalSlug)))
      .for('update')
      .limit(1);

    if (!current) {
      if (baseVersion !== 0) {
        return { status: 'invalid', issues: { baseVersion: 'this pledge does not exist yet: reload the page' } } as const;
      }
      const [created] = await tx
        .insert(pledges)
        .values({
          partyId: party.id,
          goalSlug,
          ...next,
          version: 1,
          updatedByName: actor.name,
          updatedByRole: actor.role,
          createdAt: now,
          updatedAt: now,
        })
        // Another first save of the same pledge won the race: report it as a conflict below.
        .onConflictDoNothing({ target: [pledges.partyId, pledges.goalSlug] })
        .returning();
      if (!created) {
        const [winner] = await tx
          .select()
          .from(pledges)
          .where(and(eq(pledges.partyId, party.id), eq(pledges.goalSlug, goalSlug)));
        return { status: 'conflict', current: winner! } as const;
      }
      const [event] = await tx
        .insert(pledgeEvents)
        .values({
          pledgeId: created.id,
          partyId: party.id,
          goalSlug,
          version: 1,
          stanceAfter: next.stance,
          statementAfter: next.statement,
          evidenceUrlAfter: next.evidenceUrl,
          evidencePageAfter: next.evidencePage,
          actorName: actor.name,
          actorRole: actor.role,
          occurredAt: now,
        })
        .returning();
      return { status: 'saved', pledge: created, event: event! } as const;
    }

    if (current.version !== baseVersion) return { status: 'conflict', current } as const;
    if (isSameContent(current, next)) return { status: 'unchanged', pledge: current } as const;

    const version = current.version + 1;
    const [updated] = await tx
      .update(pledges)
      .set({ ...next, version, updatedByName: actor.name, updatedByRole: actor.role, updatedAt: now })
      .where(and(eq(pledges.id, current.id), eq(pledges.version, current.version)))
      .returning();
    const [event] = await tx
      .insert(pledgeEvents)
      .values({
        pledgeId: current.id,
        partyId: party.id,
        goalSlug,
        version,
        stanceBefore: current.stance,
        stanceAfter: next.stance,
        statementBefore: current.statement,
        statementAfter: next.statement,
        evidenceUrlBefore: current.evidenceUrl,
        evidenceUrlAfter: next.evidenceUrl,
        evidencePageBefore: current.evidencePage,
        evidencePageAfter: next.evidencePage,
        actorName: actor.name,
        actorRole: actor.role,
        occurredAt: now,
      })
      .returning();
    return { status: 'saved', pledge: updated!, event: event! } as const;
  });
}
