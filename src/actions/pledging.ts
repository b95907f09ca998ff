/**
 * The representatives' form: all of a party's pledges in one form and one save
 * (`savePledges`), and one goal's pledge (`savePledge`, the admin's correction form). An
 * admin's save is a correction.
 */
import { z } from 'zod';
import type { FieldIssues } from '../domain/field-issues.ts';
import { savePledge, savePledges, type PledgeDraft } from '../domain/pledges.ts';
import { getCampaign, getGoals } from '../site/content.ts';
import { noticeContext } from './notices.ts';
import { requestOf, requireSignedIn } from './context.ts';
import { defineAction, failure, invalidFields } from './errors.ts';
import type { ActionError } from 'astro:actions';
import { formField, optionalText, slug } from './fields.ts';

/** The name of one goal's field in the form that holds all goals: `<goal slug>.<field>`. */
export const pledgeFieldName = (goalSlug: string, field: string) => `${goalSlug}.${field}`;

/** One goal's fields, bounded before the domain checks them (its rules, all goals at once). */
const goalFieldsSchema = z.object({
  baseVersion: z
    .string({ error: 'form.unknown' })
    .regex(/^\d{1,9}$/, 'form.unknown')
    .transform(Number),
  stance: optionalText(20),
  statement: optionalText(5000, 'statement.tooLong'),
  evidenceUrl: optionalText(2100, 'evidenceUrl.invalid'),
  // A page number as typed: the domain says what is wrong with anything but digits.
  evidencePage: optionalText(20, 'evidencePage.invalid').transform((v) => (v === undefined || v.trim() === '' ? null : /^\s*\d+\s*$/.test(v) ? Number(v) : v)),
});
const GOAL_FIELDS = ['baseVersion', 'stance', 'statement', 'evidenceUrl', 'evidencePage'] as const;

/** The refusals both saves share: who may not save, when pledging is closed, what does not exist. */
function refusal(status: 'forbidden' | 'closed' | 'unknown-goal' | 'unknown-party'): ActionError {
  switch (status) {
    case 'forbidden':
      return failure('FORBIDDEN', 'pledge.forbidden');
    case 'closed':
      return failure('FORBIDDEN', 'pledge.closed');
    case 'unknown-goal':
      return failure('NOT_FOUND', 'pledge.unknownGoal');
    case 'unknown-party':
      return failure('NOT_FOUND', 'party.unknown');
  }
}

export const pledgingActions = {
  /**
   * Every goal of the party in one form. Nothing is written unless every goal is fine; the
   * errors of all goals come back at once, keyed `<goal slug>.<field>`.
   */
  savePledges: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireSignedIn(context);
      const { db, ip } = requestOf(context);
      const campaign = getCampaign(context);
      const goals = getGoals(context, 'nl');
      const party = slug.safeParse(formField(form, 'party'));
      if (!party.success) throw failure('BAD_REQUEST', 'form.unknown');
      const issues: FieldIssues = {};
      const drafts: PledgeDraft[] = [];
      for (const goal of goals) {
        const raw = Object.fromEntries(GOAL_FIELDS.map((field) => [field, formField(form, pledgeFieldName(goal.slug, field))]));
        // A goal the form does not hold (a form from before a goal was added) stays as it is.
        if (Object.values(raw).every((value) => value === undefined)) continue;
        const doubled = GOAL_FIELDS.filter((field) => raw[field] === null);
        for (const field of doubled) issues[pledgeFieldName(goal.slug, field)] = 'form.unknown';
        if (doubled.length > 0) continue;
        const parsed = goalFieldsSchema.safeParse(raw);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) issues[pledgeFieldName(goal.slug, String(issue.path[0]))] ??= issue.message;
          continue;
        }
        const { baseVersion, ...input } = parsed.data;
        drafts.push({
          goalSlug: goal.slug,
          baseVersion,
          input: { ...input, stance: input.stance ?? '', statement: input.statement ?? '', evidenceUrl: input.evidenceUrl ?? '' },
        });
      }
      if (drafts.length === 0 && Object.keys(issues).length === 0) throw failure('BAD_REQUEST', 'form.unknown');
      const result = await savePledges(db, {
        campaignId: campaign.id,
        partySlug: party.data,
        goalSlugs: goals.map((g) => g.slug),
        drafts,
        actor,
        // Only an admin's save is a correction, and it needs a reason; the representatives' form has no such field.
        correctionReason: formField(form, 'correctionReason') ?? undefined,
        ip,
        notify: noticeContext(context),
      });
      if (result.status === 'invalid') {
        for (const [goalSlug, fields] of Object.entries(result.issues)) {
          for (const [field, key] of Object.entries(fields)) issues[pledgeFieldName(goalSlug, field)] ??= key;
        }
      }
      // Problems found while bounding the fields and the domain's: all in one answer.
      if (Object.keys(issues).length > 0) throw invalidFields(issues);
      switch (result.status) {
        case 'done': {
          const saved = result.outcomes.filter((o) => o.status === 'saved').map((o) => o.goalSlug);
          return { saved };
        }
        case 'conflict':
          throw invalidFields(Object.fromEntries(result.conflicts.map((c) => [pledgeFieldName(c.goalSlug, 'conflict'), 'pledge.conflict'])), 'CONFLICT');
        case 'forbidden':
        case 'closed':
        case 'unknown-goal':
        case 'unknown-party':
          throw refusal(result.status);
        case 'invalid':
          throw invalidFields(issues);
      }
    },
  }),

  savePledge: defineAction({
    accept: 'form',
    input: z.object({
      party: slug,
      goal: slug,
      baseVersion: z.number({ error: 'form.unknown' }).int('form.unknown').min(0, 'form.unknown'),
      stance: optionalText(20),
      statement: optionalText(5000, 'statement.tooLong'),
      evidenceUrl: optionalText(2100, 'evidenceUrl.invalid'),
      evidencePage: z.number({ error: 'evidencePage.invalid' }).nullable(),
      // The admin's public reason; the domain says whether it is needed and what is wrong with it.
      correctionReason: optionalText(2000, 'pledge.correctionReasonTooLong'),
    }),
    handler: async (input, context) => {
      const { actor } = requireSignedIn(context);
      const { db, ip } = requestOf(context);
      const campaign = getCampaign(context);
      const goals = getGoals(context, 'nl');
      const result = await savePledge(db, {
        campaignId: campaign.id,
        partySlug: input.party,
        goalSlug: input.goal,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: input.baseVersion,
        input: { stance: input.stance ?? '', statement: input.statement ?? '', evidenceUrl: input.evidenceUrl ?? '', evidencePage: input.evidencePage },
        actor,
        correctionReason: input.correctionReason,
        ip,
        notify: noticeContext(context),
      });
      switch (result.status) {
        case 'saved':
        case 'unchanged':
          return { goal: input.goal, version: result.pledge.version, changed: result.status === 'saved' };
        case 'conflict':
          throw failure('CONFLICT', 'pledge.conflict');
        case 'invalid':
          throw invalidFields(result.issues);
        case 'forbidden':
        case 'closed':
        case 'unknown-goal':
        case 'unknown-party':
          throw refusal(result.status);
      }
    },
  }),
};
