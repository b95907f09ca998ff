/**
 * The campaign's checks of pledges and the parties' replies (issue 15): an admin records a
 * check or fetches its address again; a party's representative replies to a check of its own
 * pledge. The rules are in src/domain/checks.ts and src/domain/replies.ts.
 *
 * A dispute is public at once, with its reason: it is recorded only from the confirm step
 * ("check your answer", GOV.UK style), which sends `confirm=ja`. Without it the action writes
 * nothing and answers the reason as it would be shown (`step: 'confirm'`), or, with
 * `confirm=wijzigen` (the confirm step's "change" button), hands the form back as it was typed.
 * A verified check needs no such step: it says the party's own words are in its manifesto.
 */
import { z } from 'zod';
import { previewCheck, recordCheck, refetchEvidence, type CheckResult } from '../domain/checks.ts';
import { addReply } from '../domain/replies.ts';
import { getCampaign } from '../site/content.ts';
import { requestOf, requireAdmin, requireSignedIn } from './context.ts';
import { defineAction, failure, invalidFields } from './errors.ts';
import { optionalText, slug, text } from './fields.ts';

function checkFailure(result: Exclude<CheckResult, { status: 'done' }>) {
  switch (result.status) {
    case 'invalid':
      return invalidFields(result.issues);
    case 'forbidden':
      return failure('FORBIDDEN', 'auth.adminsOnly');
    case 'unknown-pledge':
      return failure('NOT_FOUND', 'check.unknownPledge');
    case 'stale':
      return failure('CONFLICT', 'check.stale');
    case 'archived':
      return failure('CONFLICT', 'campaign.archived');
  }
}

export const checkActions = {
  checkPledge: defineAction({
    accept: 'form',
    input: z.object({
      party: slug,
      goal: slug,
      verdict: text(20, 'check.verdict'),
      quote: optionalText(4000, 'check.quoteTooLong'),
      page: optionalText(20, 'check.page'),
      checkedUrl: optionalText(2100, 'check.checkedUrl'),
      reason: optionalText(2000, 'check.reasonTooLong'),
      version: optionalText(20, 'check.stale'),
      confirm: optionalText(20, 'form.unknown'),
    }),
    handler: async ({ party, goal, verdict, quote, page, checkedUrl, reason, version, confirm }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const campaignId = getCampaign(context).id;
      const input = { partySlug: party, goalSlug: goal, verdict, quote, page, checkedUrl, reason, pledgeVersion: version };
      if (verdict === 'disputed' && confirm !== 'ja') {
        const preview = await previewCheck(db, campaignId, input, actor);
        if (preview.status !== 'ready') throw checkFailure(preview);
        return { party, goal, step: confirm === 'wijzigen' ? ('change' as const) : ('confirm' as const), reason: preview.reason ?? '' };
      }
      const result = await recordCheck(db, campaignId, input, { actor, ip, fetch: context.locals.app.evidenceFetch });
      if (result.status !== 'done') throw checkFailure(result);
      return { party, goal, step: 'recorded' as const, fetched: result.snapshot ? (result.snapshot.refusal ?? 'fetched') : 'none' };
    },
  }),

  refetchEvidence: defineAction({
    accept: 'form',
    input: z.object({ party: slug, goal: slug }),
    handler: async ({ party, goal }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await refetchEvidence(
        db,
        getCampaign(context).id,
        { partySlug: party, goalSlug: goal },
        { actor, ip, fetch: context.locals.app.evidenceFetch },
      );
      if (result.status === 'forbidden') throw failure('FORBIDDEN', 'auth.adminsOnly');
      if (result.status === 'not-checked') throw failure('CONFLICT', 'check.nothingToFetch');
      if (result.status === 'archived') throw failure('CONFLICT', 'campaign.archived');
      return { party, goal };
    },
  }),

  replyToCheck: defineAction({
    accept: 'form',
    input: z.object({ check: text(20, 'reply.subject'), text: text(4000, 'reply.textTooLong') }),
    handler: async ({ check, text: reply }, context) => {
      const { actor } = requireSignedIn(context);
      const { db, ip } = requestOf(context);
      const result = await addReply(db, getCampaign(context).id, { subject: 'check', subjectId: check, text: reply }, { actor, ip });
      switch (result.status) {
        case 'done':
          return { check: Number(check) };
        case 'invalid':
          throw invalidFields(result.issues);
        case 'forbidden':
          throw failure('FORBIDDEN', 'reply.forbidden');
        case 'unknown-subject':
          throw failure('NOT_FOUND', 'reply.subject');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
        case 'limited':
          throw failure('TOO_MANY_REQUESTS', 'reply.limited');
      }
    },
  }),
};
