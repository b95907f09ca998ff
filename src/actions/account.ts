/**
 * The forms of one's own account: signing in and out, the second step and its set-up, recovery
 * codes, a new password, and accepting a one-time link (invitation, admin setup or password reset).
 */
import { z } from 'zod';
import type { ActionAPIContext } from 'astro:actions';
import { afterResponse } from '../app-context.ts';
import { changePassword } from '../auth/change-password.ts';
import { forgotPassword, type ResetRequest } from '../auth/forgot-password.ts';
import { signIn, verifySecondFactor } from '../auth/login.ts';
import { pendingSecondFactor } from '../auth/policy.ts';
import { createNewRecoveryCodes, setUpSecondFactor } from '../auth/second-factor-setup.ts';
import { createSession, invalidateSession } from '../credentials/sessions.ts';
import type { RedeemResult } from '../domain/account-links.ts';
import { recordAudit } from '../domain/audit.ts';
import { redeemAccountLink } from '../domain/new-accounts.ts';
import { isSafeHeaderValue } from '../domain/outbox.ts';
import { redeemPasswordReset } from '../domain/password-resets.ts';
import { emailSchema } from '../domain/users.ts';
import { getCampaign } from '../site/content.ts';
import { deleteSessionCookie, deviceCookieOf, setDeviceCookie, setSessionCookie } from '../site/cookies.ts';
import { mailContextOf, requestOf, requireSession, requireSignedIn } from './context.ts';
import { defineAction, failure, invalidFields } from './errors.ts';
import { formField, optionalText, text } from './fields.ts';

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
function campaignWords(context: ActionAPIContext): string[] {
  const campaign = getCampaign(context);
  return [campaign.name.nl, campaign.name.en, campaign.organiser.name];
}

export const accountActions = {
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
    // Two forms on the page: the app's code, or (a lost phone) a recovery code.
    input: z.object({ code: optionalText(20), recoveryCode: optionalText(40) }),
    handler: async ({ code, recoveryCode }, context) => {
      const auth = requireSession(context);
      const field = recoveryCode !== undefined ? 'recoveryCode' : 'code';
      const typed = recoveryCode ?? code;
      if (typed === undefined) throw invalidFields({ code: 'form.required' });
      if (code !== undefined && recoveryCode !== undefined) throw failure('BAD_REQUEST', 'form.unknown');
      if (pendingSecondFactor(auth) !== 'verify') throw failure('BAD_REQUEST', 'totp.notNeeded');
      const { db, ip } = requestOf(context);
      const result = await verifySecondFactor(db, { ...auth, code: typed, ip, device: deviceCookieOf(context.cookies) });
      if (result.status === 'blocked') throw failure('TOO_MANY_REQUESTS', 'login.blocked');
      if (result.status === 'malformed') throw invalidFields({ [field]: field === 'code' ? 'totp.invalid' : 'recovery.malformed' });
      if (result.status === 'invalid') throw invalidFields({ [field]: field === 'code' ? 'totp.invalid' : 'recovery.invalid' });
      // A new token for the fully signed-in session: the password step's one no longer works.
      setSessionCookie(context.cookies, result.token, result.session.expiresAt, context.locals.app.config.production);
      return { role: auth.user.role, remainingRecoveryCodes: result.remainingRecoveryCodes };
    },
  }),

  enrolSecondFactor: defineAction({
    accept: 'form',
    input: z.object({
      key: z.base64({ error: 'form.unknown' }).length(28, 'form.unknown'),
      // Which fields are required depends on the account: setUpSecondFactor names every empty one.
      code: optionalText(20),
      password: optionalText(1024),
      currentCode: optionalText(40),
    }),
    handler: async ({ key, code, password, currentCode }, context) => {
      const auth = requireSession(context);
      // Replacing an existing key needs the full sign-in, and then a code from that key too.
      if (auth.user.totpKey && pendingSecondFactor(auth) !== null) throw failure('UNAUTHORIZED', 'auth.secondFactorFirst');
      const { db, ip } = requestOf(context);
      const result = await setUpSecondFactor(db, { ...auth, key, code, password, currentCode, ip, deviceToken: deviceCookieOf(context.cookies) });
      if (result.status === 'invalid') throw invalidFields(result.issues);
      if (result.status === 'blocked') throw failure('TOO_MANY_REQUESTS', 'login.blocked');
      if (result.status === 'wrong-password') throw invalidFields({ password: 'totp.wrongPassword' });
      if (result.status === 'wrong-current-code') throw invalidFields({ currentCode: 'totp.wrongCurrentCode' });
      setSessionCookie(context.cookies, result.token, result.session.expiresAt, context.locals.app.config.production);
      // Shown once, in the answer to this request; never stored in clear or sent again.
      return { role: auth.user.role, recoveryCodes: result.recoveryCodes };
    },
  }),

  createRecoveryCodes: defineAction({
    accept: 'form',
    input: z.object({ code: optionalText(40) }),
    handler: async ({ code }, context) => {
      const { auth } = requireSignedIn(context);
      const { db, ip } = requestOf(context);
      const result = await createNewRecoveryCodes(db, { user: auth.user, code, ip, deviceToken: deviceCookieOf(context.cookies) });
      if (result.status === 'no-second-factor') throw failure('CONFLICT', 'recovery.noSecondFactor');
      if (result.status === 'blocked') throw failure('TOO_MANY_REQUESTS', 'login.blocked');
      if (result.status === 'invalid') throw invalidFields(result.issues);
      return { recoveryCodes: result.recoveryCodes };
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
      const result = await redeemAccountLink(db, token, { displayName, password, email }, { ip, siteWords: campaignWords(context) });
      if (result.status !== 'done') throw linkFailure(result);
      // The new account is signed in at once; an admin goes on to set up two-factor sign-in.
      const { token: sessionToken, session } = await createSession(db, result.user.id);
      setSessionCookie(context.cookies, sessionToken, session.expiresAt, context.locals.app.config.production);
      return { role: result.user.role };
    },
  }),

  /**
   * "Forgot your password?": the same answer for every well-formed address (see
   * auth/forgot-password.ts). The form is read by hand so that an address sent twice is refused,
   * not one of the two picked.
   */
  requestPasswordReset: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const raw = formField(form, 'email');
      if (raw === null) throw invalidFields({ email: 'form.unknown' });
      if (raw === undefined || raw.trim() === '') throw invalidFields({ email: 'form.required' });
      if (raw.length > 254) throw invalidFields({ email: 'form.tooLong' });
      const email = emailSchema.safeParse(raw);
      if (!email.success) throw invalidFields({ email: email.error.issues[0]?.message ?? 'email.invalid' });
      // A line break could start a mail header: refused, not trimmed away (emailSchema trims).
      if (!isSafeHeaderValue(raw)) throw invalidFields({ email: 'email.invalid' });
      const { db, ip } = requestOf(context);
      const mail = mailContextOf(context);
      const queue = context.locals.app.resetRequests;
      // The lookup and the mail wait until the answer is out: it must not depend on the address.
      const later = (request: ResetRequest) => {
        if (queue.add(request)) afterResponse(() => queue.answered(request));
      };
      const result = await forgotPassword(db, { email: email.data, locale: context.locals.locale ?? 'nl', ip, mail, later });
      if (result === 'blocked') throw failure('TOO_MANY_REQUESTS', 'forgot.blocked');
      return { answered: true };
    },
  }),

  resetPassword: defineAction({
    accept: 'form',
    input: z.object({ token: text(64), password: text(1024) }),
    handler: async ({ token, password }, context) => {
      const { db, ip } = requestOf(context);
      const result = await redeemPasswordReset(db, token, password, { ip, siteWords: campaignWords(context) });
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
      const result = await changePassword(db, {
        ...auth,
        current: currentPassword,
        next: newPassword,
        ip,
        siteWords: campaignWords(context),
        deviceToken: deviceCookieOf(context.cookies),
      });
      if (result === 'blocked') throw failure('TOO_MANY_REQUESTS', 'login.blocked');
      if (result !== 'changed') throw invalidFields(result.issues);
      return { changed: true };
    },
  }),
};
