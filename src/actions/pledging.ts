/**
 * The representatives' form: a party's pledge on a goal (an admin's save is a correction).
 */
import { z } from 'zod';
import { savePledge } from '../domain/pledges.ts';
import { getCampaign, getGoals } from '../site/content.ts';
import { requestOf, requireSignedIn } from './context.ts';
import { defineAction, failure, invalidFields } from './errors.ts';
import { optionalText, slug } from './fields.ts';

export const pledgingActions = {
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
    }),
    handler: async (input, context) => {
      const { actor } = requireSignedIn(context);
      const { db, ip } = requestOf(context);
      const [campaign, goals] = await Promise.all([getCampaign(), getGoals('nl')]);
      const result = await savePledge(db, {
        partySlug: input.party,
        goalSlug: input.goal,
        goalSlugs: goals.map((g) => g.slug),
        baseVersion: input.baseVersion,
        input: { stance: input.stance ?? '', statement: input.statement ?? '', evidenceUrl: input.evidenceUrl ?? '', evidencePage: input.evidencePage },
        actor,
        deadline: campaign.pledgeDeadline,
        ip,
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
          throw failure('FORBIDDEN', 'pledge.forbidden');
        case 'closed':
          throw failure('FORBIDDEN', 'pledge.closed');
        case 'unknown-goal':
          throw failure('NOT_FOUND', 'pledge.unknownGoal');
        case 'unknown-party':
          throw failure('NOT_FOUND', 'party.unknown');
      }
    },
  }),
};
