/**
 * The admins' forms (Beheer): parties, invitations, accounts and their links, moderation, and
 * opening or closing pledging and its deadline.
 */
import { z } from 'zod';
import { revokeAccountLink } from '../domain/account-links.ts';
import { addressLines, checkAddressLines, createInvites, MAX_INVITES_AT_ONCE, resendInvite, revokeInvite } from '../domain/invites.ts';
import { moderateStatement } from '../domain/moderation.ts';
import { moderateReply } from '../domain/replies.ts';
import { createParty, setPartyRetired, updateParty, type PartyWriteResult } from '../domain/parties.ts';
import { createPasswordResetLink } from '../domain/password-resets.ts';
import { loadDeadline, parseDeadlineInput, pledgingState, setDeadline, setPledgingOverride } from '../domain/pledging-window.ts';
import { setUserDisabled } from '../domain/users.ts';
import { linkPath } from '../i18n/routes.ts';
import { getCampaign } from '../site/content.ts';
import { mailContextOf, requestOf, requireAdmin } from './context.ts';
import { noticeContext } from './notices.ts';
import { confirmed, defineAction, failure, invalidFields, requireConfirm } from './errors.ts';
import { id, optionalText, slug, text } from './fields.ts';

function partyFailure(result: Exclude<PartyWriteResult, { status: 'done' }>) {
  switch (result.status) {
    case 'invalid':
      return invalidFields(result.issues);
    case 'slug-taken':
      return invalidFields({ slug: 'party.slugTaken' });
    case 'unknown-party':
      return failure('NOT_FOUND', 'party.unknown');
  }
}

export const adminActions = {
  createParty: defineAction({
    accept: 'form',
    input: z.object({ slug: text(60), name: text(200), abbreviation: text(40), seats: text(10), website: optionalText(2100) }),
    handler: async (input, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await createParty(db, context.locals.campaign.campaign.id, input, { actor, ip });
      if (result.status !== 'done') throw partyFailure(result);
      return { slug: result.party.slug };
    },
  }),

  updateParty: defineAction({
    accept: 'form',
    input: z.object({ slug, name: text(200), abbreviation: text(40), seats: text(10), website: optionalText(2100) }),
    handler: async ({ slug: partySlug, ...form }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await updateParty(db, context.locals.campaign.campaign.id, partySlug, form, { actor, ip });
      if (result.status !== 'done') throw partyFailure(result);
      return { slug: result.party.slug };
    },
  }),

  setPartyRetired: defineAction({
    accept: 'form',
    input: z.object({ slug, retired: z.enum(['true', 'false'], { error: 'form.unknown' }), confirm: confirmed }),
    handler: async ({ slug: partySlug, retired, confirm }, context) => {
      const { actor } = requireAdmin(context);
      if (retired === 'true') requireConfirm(confirm);
      const { db, ip } = requestOf(context);
      const result = await setPartyRetired(db, context.locals.campaign.campaign.id, partySlug, retired === 'true', { actor, ip });
      if (result.status !== 'done') throw partyFailure(result);
      return { slug: partySlug, retired: retired === 'true' };
    },
  }),

  /**
   * Invites one or more addresses (one per line) to represent a party, in the language chosen
   * for the mail. All or nothing: each bad line is reported as `emails.<line>`, nothing is made.
   */
  createInvite: defineAction({
    accept: 'form',
    input: z.object({
      party: optionalText(100, 'form.unknown'),
      emails: optionalText(MAX_INVITES_AT_ONCE * 256, 'invite.tooManyAtOnce'),
      locale: z.enum(['nl', 'en'], { error: 'form.unknown' }),
    }),
    handler: async ({ party, emails, locale }, context) => {
      const { actor } = requireAdmin(context);
      const lines = addressLines(emails ?? '');
      if (!party) {
        // Say everything that is wrong at once: the party, and any line that is not an address.
        const { problems } = checkAddressLines(lines);
        throw invalidFields({
          party: 'invite.choosePartyFirst',
          ...(lines.length === 0 ? { emails: 'form.required' } : {}),
          ...Object.fromEntries(problems.map(({ line, problem }) => [`emails.${line}`, problem])),
        });
      }
      const { db, ip, siteUrl } = requestOf(context);
      const mail = mailContextOf(context);
      const result = await createInvites(db, { campaignId: getCampaign(context).id, partySlug: party, emails: lines, locale }, { actor, ip, mail });
      switch (result.status) {
        case 'unknown-party':
          throw invalidFields({ party: 'party.unknown' });
        case 'none':
          throw invalidFields({ emails: 'form.required' });
        case 'too-many':
          throw invalidFields({ emails: 'invite.tooManyAtOnce' });
        case 'invalid-lines':
          throw invalidFields(Object.fromEntries(result.lines.map(({ line, problem }) => [`emails.${line}`, problem])));
        case 'created':
          return {
            invites: result.invites.map(({ token, link }) => ({ email: link.email ?? '', url: siteUrl + linkPath('invite', token, locale) })),
            mailSent: mail.sending,
          };
      }
    },
  }),

  /** A new mail for an open (or expired) invitation, with a fresh link; the old link stops working. */
  resendInvite: defineAction({
    accept: 'form',
    input: z.object({ id }),
    handler: async ({ id: inviteId }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip, siteUrl } = requestOf(context);
      const result = await resendInvite(db, context.locals.campaign.campaign.id, inviteId, {
        actor,
        ip,
        mail: mailContextOf(context),
      });
      if (result.status === 'not-open') throw failure('CONFLICT', 'invite.notOpen');
      if (result.status === 'unknown-party') throw failure('CONFLICT', 'party.unknown');
      if (result.status === 'email-taken') throw failure('CONFLICT', 'link.emailTaken');
      return { email: result.link.email ?? '', url: siteUrl + linkPath('invite', result.token, result.locale) };
    },
  }),

  revokeInvite: defineAction({
    accept: 'form',
    input: z.object({ id }),
    handler: async ({ id: inviteId }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      if ((await revokeInvite(db, context.locals.campaign.campaign.id, inviteId, { actor, ip })) !== 'revoked') throw failure('CONFLICT', 'invite.notOpen');
      return { revoked: inviteId };
    },
  }),

  setUserDisabled: defineAction({
    accept: 'form',
    input: z.object({ userId: id, disabled: z.enum(['true', 'false'], { error: 'form.unknown' }), confirm: confirmed }),
    handler: async ({ userId, disabled, confirm }, context) => {
      const { actor } = requireAdmin(context);
      if (disabled === 'true') requireConfirm(confirm);
      const { db, ip } = requestOf(context);
      const result = await setUserDisabled(db, userId, disabled === 'true', actor, { ip });
      if (result === 'self') throw failure('BAD_REQUEST', 'user.notYourself');
      if (result === 'unknown-user') throw failure('NOT_FOUND', 'user.unknown');
      return { userId, disabled: disabled === 'true' };
    },
  }),

  createResetLink: defineAction({
    accept: 'form',
    input: z.object({ userId: id, clearSecondFactor: z.enum(['true'], { error: 'form.unknown' }).optional() }),
    handler: async ({ userId, clearSecondFactor }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip, siteUrl } = requestOf(context);
      const result = await createPasswordResetLink(db, userId, { actor, ip, clearSecondFactor: clearSecondFactor === 'true' });
      if (result.status === 'unknown-user') throw failure('NOT_FOUND', 'user.unknown');
      return { url: siteUrl + linkPath('password-reset', result.token), userId, clearsSecondFactor: clearSecondFactor === 'true' };
    },
  }),

  revokeAccountLink: defineAction({
    accept: 'form',
    input: z.object({ linkId: id }),
    handler: async ({ linkId }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      if ((await revokeAccountLink(db, linkId, { actor, ip })) !== 'revoked') throw failure('CONFLICT', 'admin.linkNotOpen');
      return { revoked: linkId };
    },
  }),

  moderateStatement: defineAction({
    accept: 'form',
    input: z.object({ party: slug, goal: slug, hide: z.enum(['true', 'false'], { error: 'form.unknown' }), reason: text(1000, 'moderation.reason') }),
    handler: async ({ party, goal, hide, reason }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await moderateStatement(db, {
        campaignId: getCampaign(context).id,
        partySlug: party,
        goalSlug: goal,
        hide: hide === 'true',
        reason,
        actor,
        ip,
        notify: noticeContext(context),
      });
      if (result === 'unknown-pledge') throw failure('NOT_FOUND', 'pledge.unknown');
      if (result === 'unchanged') throw failure('CONFLICT', 'moderation.unchanged');
      if (result !== 'done') throw invalidFields(result.issues);
      return { party, goal, hidden: hide === 'true' };
    },
  }),

  /** Hides a party's reply with a public reason, or shows it again (src/domain/replies.ts). */
  moderateReply: defineAction({
    accept: 'form',
    input: z.object({
      party: slug,
      reply: text(20, 'reply.moderation.unknown'),
      hide: z.enum(['true', 'false'], { error: 'form.unknown' }),
      reason: text(1000, 'moderation.reason'),
    }),
    handler: async ({ party, reply, hide, reason }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await moderateReply(db, getCampaign(context).id, { replyId: reply, hide: hide === 'true', reason }, { actor, ip });
      switch (result.status) {
        case 'done':
          return { party, reply: Number(reply), hidden: result.hidden };
        case 'invalid':
          throw invalidFields(result.issues);
        case 'forbidden':
          throw failure('FORBIDDEN', 'auth.adminsOnly');
        case 'unknown-reply':
          throw failure('NOT_FOUND', 'reply.moderation.unknown');
        case 'unchanged':
          throw failure('CONFLICT', 'reply.moderation.unchanged');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
      }
    },
  }),

  setPledging: defineAction({
    accept: 'form',
    input: z.object({ state: z.enum(['open', 'closed', 'deadline'], { error: 'form.unknown' }), confirm: confirmed }),
    handler: async ({ state, confirm }, context) => {
      const { actor } = requireAdmin(context);
      const override = state === 'deadline' ? null : state;
      const { db, ip } = requestOf(context);
      const campaign = getCampaign(context);
      const deadline = await loadDeadline(db, campaign.id);
      // Whatever ends with pledging closed is a closing: "follow the deadline" after it passed too.
      if (!pledgingState(deadline, override).open) requireConfirm(confirm);
      await setPledgingOverride(db, campaign.id, override, actor, { ip });
      return { state };
    },
  }),

  setDeadline: defineAction({
    accept: 'form',
    input: z.object({ date: text(20, 'deadline.dateInvalid'), time: text(10, 'deadline.timeInvalid') }),
    handler: async ({ date, time }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const campaign = getCampaign(context);
      const parsed = parseDeadlineInput({ date, time }, { electionDate: campaign.election.date });
      if (parsed.status === 'invalid') throw invalidFields(parsed.issues);
      await setDeadline(db, campaign.id, parsed.deadline, actor, { ip });
      return { deadline: parsed.deadline.toISOString() };
    },
  }),

  /** Removes the deadline: pledging then stays open until an admin closes it (it never closes it). */
  clearDeadline: defineAction({
    accept: 'form',
    input: z.object({}),
    handler: async (_input, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      if ((await setDeadline(db, getCampaign(context).id, null, actor, { ip })) === 'unchanged') throw failure('CONFLICT', 'deadline.notSet');
      return { deadline: null };
    },
  }),
};
