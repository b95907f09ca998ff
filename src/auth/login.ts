/**
 * Signing in: password first, then (for admins always, for representatives who enrolled) a
 * TOTP code (or one of the account's recovery codes). Wrong address and wrong password get the same answer in the same time; both
 * steps are rate-limited (see rate-limit.ts), a device cookie (devices.ts) keeps the owner's
 * browser on its own budget, and every outcome goes to the audit log, wrong passwords and
 * refusals once per client and window.
 */
import { verifyAgainstDecoy, verifyPassword } from '../credentials/passwords.ts';
import { replaceRecoveryCodes } from '../credentials/recovery-codes.ts';
import { completeSecondFactor, createSession, type Session } from '../credentials/sessions.ts';
import type { Db } from '../db/client.ts';
import { ANONYMOUS_ACTOR } from '../domain/actors.ts';
import { recordAudit } from '../domain/audit.ts';
import { findUserByEmail, setTotp, type User } from '../domain/users.ts';
import { issueDevice, pruneDevices, trustDeviceForCode, type DeviceCookie } from './devices.ts';
import { claimAttempt, settleAttempt } from './rate-limit.ts';
import { checkSecondFactorCode, secondFactorCodeKind } from './second-factor-code.ts';
import { verifyTotp } from './totp.ts';

export type SignInResult =
  | {
      status: 'signed-in';
      token: string;
      session: Session;
      user: User;
      secondFactor: 'verify' | 'enrol' | 'none';
      /** The browser's new device cookie (the one it sent, if any, no longer works). */
      device: DeviceCookie;
    }
  /** Unknown address or wrong password: deliberately one answer. */
  | { status: 'invalid' }
  | { status: 'blocked' }
  /** Right password, but an admin disabled the account. */
  | { status: 'disabled' };

/** Which second step a user owes: admins must have TOTP, representatives may. */
function secondFactorFor(user: User): 'verify' | 'enrol' | 'none' {
  if (user.totpKey) return 'verify';
  return user.role === 'admin' ? 'enrol' : 'none';
}

export async function signIn(
  db: Db,
  { email, password, ip, device, now = new Date() }: { email: string; password: string; ip: string; device?: string; now?: Date },
): Promise<SignInResult> {
  const key = { kind: 'password' as const, email: email.trim().toLowerCase().slice(0, 254), ip };
  const claim = await claimAttempt(db, key, { deviceToken: device, now });
  // Refusals and wrong passwords are audited once per client and window (the counts are in
  // the rate limit's table): a flood of guesses must not grow the append-only log without bound.
  if (claim.refused) {
    if (claim.first) await recordAudit(db, { action: 'login.blocked', actor: ANONYMOUS_ACTOR, subject: key.email, ip, now });
    return { status: 'blocked' };
  }
  const user = await findUserByEmail(db, key.email);
  const correct = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDecoy(password);
  await settleAttempt(db, claim, correct, now);
  if (!user || !correct) {
    if (claim.firstFailure) {
      await recordAudit(db, { action: 'login.failed', actor: ANONYMOUS_ACTOR, subject: key.email, ip, now, details: { reason: 'password' } });
    }
    // Past a limit every wrong guess gets the refusal's answer: only the right password differs.
    return { status: claim.overLimit ? 'blocked' : 'invalid' };
  }
  if (user.disabledAt) {
    await recordAudit(db, { action: 'login.failed', actor: ANONYMOUS_ACTOR, subject: key.email, ip, now, details: { reason: 'disabled' } });
    return { status: 'disabled' };
  }
  const secondFactor = secondFactorFor(user);
  const { token, session } = await createSession(db, user.id, { twoFactorVerified: false, now });
  const newDevice = await issueDevice(db, { email: user.email, previous: device, now });
  await recordAudit(db, { action: 'login.succeeded', actor: { userId: user.id, label: user.email }, subject: user.email, ip, now });
  await pruneDevices(db, now);
  return { status: 'signed-in', token, session, user, secondFactor, device: newDevice };
}

export type SecondFactorResult =
  /**
   * The session now has a new token (the one from the password step stops working). With a
   * recovery code, `remainingRecoveryCodes` says how many are left.
   */
  | { status: 'verified'; token: string; session: Session; remainingRecoveryCodes: number | null }
  | { status: 'invalid' }
  /** Not shaped like either kind of code: nothing was checked or counted. */
  | { status: 'malformed' }
  | { status: 'blocked' };

/**
 * Checks the code of an enrolled user (from the app, or a recovery code) and issues the fully
 * signed-in session's token.
 */
export async function verifySecondFactor(
  db: Db,
  { session, user, code, ip, device, now = new Date() }: { session: Session; user: User; code: string; ip: string; device?: string; now?: Date },
): Promise<SecondFactorResult> {
  if (!user.totpKey) return { status: 'invalid' };
  if (secondFactorCodeKind(code) === null) return { status: 'malformed' };
  const key = { kind: 'totp' as const, email: user.email, ip };
  const claim = await claimAttempt(db, key, { deviceToken: device, now });
  const actor = { userId: user.id, label: user.email };
  if (claim.refused) {
    if (claim.first) await recordAudit(db, { action: 'login.blocked', actor, subject: user.email, ip, now, details: { step: 'totp' } });
    return { status: 'blocked' };
  }
  const check = await checkSecondFactorCode(db, user, code, now);
  const accepted = check.status === 'accepted';
  await settleAttempt(db, claim, accepted, now);
  const method = check.status === 'malformed' ? {} : { method: check.method };
  await recordAudit(db, {
    action: accepted ? 'login.second-factor.succeeded' : 'login.second-factor.failed',
    actor,
    subject: user.email,
    ip,
    now,
    details: method,
  });
  if (!accepted) return { status: claim.overLimit ? 'blocked' : 'invalid' };
  const remainingRecoveryCodes = check.method === 'recovery-code' ? check.remaining : null;
  if (remainingRecoveryCodes !== null) {
    await recordAudit(db, {
      action: 'recovery-code.used',
      actor,
      subject: user.email,
      ip,
      now,
      details: { remaining: remainingRecoveryCodes, step: 'sign-in' },
    });
  }
  await trustDeviceForCode(db, { email: user.email, token: device, now });
  const renewed = await completeSecondFactor(db, session.id);
  return renewed ? { status: 'verified', ...renewed, remainingRecoveryCodes } : { status: 'invalid' };
}

/**
 * TOTP set-up: the code proves the app has the key before it is stored. A new set of recovery
 * codes comes with every key (the old set goes): `recoveryCodes` are shown once, never again.
 */
export async function enrolSecondFactor(
  db: Db,
  { session, user, key, code, ip, now = new Date() }: { session: Session; user: User; key: string; code: string; ip: string; now?: Date },
): Promise<{ status: 'enrolled'; token: string; session: Session; recoveryCodes: string[] } | { status: 'invalid' }> {
  const step = verifyTotp(key, code, now, null);
  if (step === null) return { status: 'invalid' };
  await setTotp(db, user.id, key, step, now);
  const renewed = await completeSecondFactor(db, session.id);
  if (!renewed) return { status: 'invalid' };
  const actor = { userId: user.id, label: user.email };
  await recordAudit(db, { action: 'totp.enabled', actor, subject: user.email, ip, now });
  const recoveryCodes = await replaceRecoveryCodes(db, user.id, now);
  await recordAudit(db, { action: 'recovery-codes.created', actor, subject: user.email, ip, now, details: { count: recoveryCodes.length } });
  return { status: 'enrolled', ...renewed, recoveryCodes };
}
