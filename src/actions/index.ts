/**
 * Every form of the site is an Astro Action (works without JavaScript). Each one parses its
 * input, checks who is asking, calls the domain and turns the outcome into data or a 4xx
 * error with a message key. No rules live here.
 */
import { defineAction as defineAstroAction } from 'astro:actions';
import { z } from 'zod';
import { signIn, verifySecondFactor } from '../auth/login.ts';
import { setUpSecondFactor } from '../auth/second-factor-setup.ts';
import { changePassword } from '../auth/change-password.ts';
import { pendingSecondFactor } from '../auth/policy.ts';
import { createSession, invalidateSession } from '../auth/session.ts';
import {
  createInvite,
  createPasswordResetLink,
  linkPath,
  redeemAccountLink,
  redeemPasswordReset,
  revokeAccountLink,
  revokeInvite,
  type RedeemResult,
} from '../domain/account-links.ts';
import { recordAudit } from '../domain/audit.ts';
import { moderateStatement } from '../domain/moderation.ts';
import { createParty, setPartyRetired, updateParty, type PartyWriteResult } from '../domain/parties.ts';
import { setPledgingOverride } from '../domain/pledging-window.ts';
import { savePledge } from '../domain/pledges.ts';
import { setUserDisabled } from '../domain/users.ts';
import { getCampaign, getGoals } from '../site/content.ts';
import { deleteSessionCookie, deviceCookieOf, setDeviceCookie, setSessionCookie } from '../site/cookies.ts';
import { requestOf, requireAdmin, requireSession, requireSignedIn } from './context.ts';
import { failure, invalidFields, withErrorReference } from './errors.ts';
import { freeText } from '../domain/text.ts';

/** Astro's defineAction, with unexpected errors logged under a reference and never sent out. */
const defineAction = ((definition: Parameters<typeof defineAstroAction>[0]) =>
  defineAstroAction({ ...definition, handler: withErrorReference(definition.handler) })) as typeof defineAstroAction;

/**
 * Form text fields: bounded before anything else looks at them, and free of the characters
 * XML forbids (a NUL would even make the database fail), as every free text (domain/text.ts).
 */
const text = (max: number, message = 'form.tooLong') => freeText('form.required').max(max, message);
/** A field that may be left empty (a browser then sends ""; Astro passes it on as undefined). */
const optionalText = (max: number, message = 'form.tooLong') => text(max, message).optional();
const slug = text(100, 'form.unknown');
/** A row id: the database's ids are 32-bit, so a larger number names nothing (and must not reach SQL). */
const id = z.number({ error: 'form.unknown' }).int('form.unknown').min(1, 'form.unknown').max(2_147_483_647, 'form.unknown');

function linkFailure(result: Exclude<RedeemResult, { status: 'done' }>) {
  switch (result.status) {
    case 'invalid':
      return invalidFields(result.issues);
    case 'email-taken':
      return failure('CONFLICT', 'link.emailTaken');
    case 'link-unusable':
      return result.reason === 'unknown' ? failure('NOT_FOUND', 'link.unknown') : failure('GONE', `link.${result.reason}`);
  }
}

/** The campaign's own names: a new password must not lean on them (zxcvbn looks for them). */
async function campaignWords(): Promise<string[]> {
  const campaign = await getCampaign();
  return [campaign.name.nl, campaign.name.en, campaign.organiser.name];
}

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

export const server = {
  signIn: defineAction({
    accept: 'form',
    input: z.object({ email: text(254), password: text(1024) }),
    handler: async ({ email, password }, context) => {
      const { db, ip } = requestOf(context);
      const result = await signIn(db, { email, password, ip, device: deviceCookieOf(context.cookies) });
      if (result.status === 'blocked') throw failure('TOO_MANY_REQUESTS', 'login.blocked');
      if (result.status === 'disabled') throw failure('FORBIDDEN', 'login.disabled');
      if (result.status === 'invalid') throw failure('UNAUTHORIZED', 'login.invalid');
      setSessionCookie(context.cookies, result.token, result.session.expiresAt, context.locals.app.config.production);
      setDeviceCookie(context.cookies, result.device, context.locals.app.config.production);
      return { secondFactor: result.secondFactor, role: result.user.role };
    },
  }),

  verifySecondFactor: defineAction({
    accept: 'form',
    input: z.object({ code: text(20) }),
    handler: async ({ code }, context) => {
      const auth = requireSession(context);
      if (pendingSecondFactor(auth) !== 'verify') throw failure('BAD_REQUEST', 'totp.notNeeded');
      const { db, ip } = requestOf(context);
      const result = await verifySecondFactor(db, { ...auth, code, ip, device: deviceCookieOf(context.cookies) });
      if (result.status === 'blocked') throw failure('TOO_MANY_REQUESTS', 'login.blocked');
      if (result.status === 'invalid') throw invalidFields({ code: 'totp.invalid' });
      // A new token for the fully signed-in session: the password step's one no longer works.
      setSessionCookie(context.cookies, result.token, result.session.expiresAt, context.locals.app.config.production);
      return { role: auth.user.role };
    },
  }),

  enrolSecondFactor: defineAction({
    accept: 'form',
    input: z.object({
      key: z.base64({ error: 'form.unknown' }).length(28, 'form.unknown'),
      code: text(20),
      password: optionalText(1024),
      currentCode: optionalText(20),
    }),
    handler: async ({ key, code, password, currentCode }, context) => {
      const auth = requireSession(context);
      // Replacing an existing key needs the full sign-in, and then a code from that key too.
      if (auth.user.totpKey && pendingSecondFactor(auth) !== null) throw failure('UNAUTHORIZED', 'auth.secondFactorFirst');
      const { db, ip } = requestOf(context);
      const result = await setUpSecondFactor(db, { ...auth, key, code, password, currentCode, ip, deviceToken: deviceCookieOf(context.cookies) });
      if (result.status !== 'enrolled') {
        if (result.status === 'blocked') throw failure('TOO_MANY_REQUESTS', 'login.blocked');
        if (result.status === 'wrong-password') throw invalidFields({ password: 'totp.wrongPassword' });
        if (result.status === 'wrong-current-code') throw invalidFields({ currentCode: 'totp.wrongCurrentCode' });
        throw invalidFields({ code: 'totp.invalid' });
      }
      setSessionCookie(context.cookies, result.token, result.session.expiresAt, context.locals.app.config.production);
      return { role: auth.user.role };
    },
  }),

  signOut: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      const auth = requireSession(context);
      const { db, ip } = requestOf(context);
      await invalidateSession(db, auth.session.id);
      await recordAudit(db, { action: 'logout', actor: { userId: auth.user.id, label: auth.user.email }, subject: auth.user.email, ip });
      deleteSessionCookie(context.cookies, context.locals.app.config.production);
      return { signedOut: true };
    },
  }),

  acceptLink: defineAction({
    accept: 'form',
    input: z.object({ token: text(64), displayName: text(200), password: text(1024), email: optionalText(254) }),
    handler: async ({ token, displayName, password, email }, context) => {
      const { db, ip } = requestOf(context);
      const result = await redeemAccountLink(db, token, { displayName, password, email }, { ip, siteWords: await campaignWords() });
      if (result.status !== 'done') throw linkFailure(result);
      // The new account is signed in at once; an admin goes on to set up two-factor sign-in.
      const { token: sessionToken, session } = await createSession(db, result.user.id);
      setSessionCookie(context.cookies, sessionToken, session.expiresAt, context.locals.app.config.production);
      return { role: result.user.role };
    },
  }),

  resetPassword: defineAction({
    accept: 'form',
    input: z.object({ token: text(64), password: text(1024) }),
    handler: async ({ token, password }, context) => {
      const { db, ip } = requestOf(context);
      const result = await redeemPasswordReset(db, token, password, { ip, siteWords: await campaignWords() });
      if (result.status !== 'done') throw linkFailure(result);
      return { reset: true };
    },
  }),

  changePassword: defineAction({
    accept: 'form',
    input: z.object({ currentPassword: text(1024), newPassword: text(1024) }),
    handler: async ({ currentPassword, newPassword }, context) => {
      const { auth } = requireSignedIn(context);
      const { db, ip } = requestOf(context);
      const result = await changePassword(db, { ...auth, current: currentPassword, next: newPassword, ip, siteWords: await campaignWords(), deviceToken: deviceCookieOf(context.cookies) });
      if (result === 'blocked') throw failure('TOO_MANY_REQUESTS', 'login.blocked');
      if (result !== 'changed') throw invalidFields(result.issues);
      return { changed: true };
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

  createParty: defineAction({
    accept: 'form',
    input: z.object({ slug: text(60), name: text(200), abbreviation: text(40), seats: text(10), website: optionalText(2100) }),
    handler: async (input, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await createParty(db, input, { actor, ip });
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
      const result = await updateParty(db, partySlug, form, { actor, ip });
      if (result.status !== 'done') throw partyFailure(result);
      return { slug: result.party.slug };
    },
  }),

  setPartyRetired: defineAction({
    accept: 'form',
    input: z.object({ slug, retired: z.enum(['true', 'false'], { error: 'form.unknown' }) }),
    handler: async ({ slug: partySlug, retired }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await setPartyRetired(db, partySlug, retired === 'true', { actor, ip });
      if (result.status !== 'done') throw partyFailure(result);
      return { slug: partySlug, retired: retired === 'true' };
    },
  }),

  createInvite: defineAction({
    accept: 'form',
    input: z.object({ party: slug, email: text(254, 'email.invalid') }),
    handler: async ({ party, email }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip, siteUrl } = requestOf(context);
      const result = await createInvite(db, { partySlug: party, email }, { actor, ip });
      if (result.status === 'invalid') throw invalidFields(result.issues);
      if (result.status === 'unknown-party') throw invalidFields({ party: 'party.unknown' });
      if (result.status === 'email-taken') throw invalidFields({ email: 'link.emailTaken' });
      return { url: siteUrl + linkPath('invite', result.token), email: result.link.email };
    },
  }),

  revokeInvite: defineAction({
    accept: 'form',
    input: z.object({ id }),
    handler: async ({ id: inviteId }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      if ((await revokeInvite(db, inviteId, { actor, ip })) !== 'revoked') throw failure('CONFLICT', 'invite.notOpen');
      return { revoked: inviteId };
    },
  }),

  setUserDisabled: defineAction({
    accept: 'form',
    input: z.object({ userId: id, disabled: z.enum(['true', 'false'], { error: 'form.unknown' }) }),
    handler: async ({ userId, disabled }, context) => {
      const { actor } = requireAdmin(context);
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
      const result = await moderateStatement(db, { partySlug: party, goalSlug: goal, hide: hide === 'true', reason, actor, ip });
      if (result === 'unknown-pledge') throw failure('NOT_FOUND', 'pledge.unknown');
      if (result === 'unchanged') throw failure('CONFLICT', 'moderation.unchanged');
      if (result !== 'done') throw invalidFields(result.issues);
      return { party, goal, hidden: hide === 'true' };
    },
  }),

  setPledging: defineAction({
    accept: 'form',
    input: z.object({ state: z.enum(['open', 'closed', 'deadline'], { error: 'form.unknown' }) }),
    handler: async ({ state }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      await setPledgingOverride(db, state === 'deadline' ? null : state, actor, { ip });
      return { state };
    },
  }),
};
