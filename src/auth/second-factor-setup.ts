/**
 * Setting up an authenticator app from a signed-in session. A session alone is not proof
 * enough: a first key needs the account's password typed again, and replacing a key needs a
 * code from the current one, so a stolen session (or a guessed password on an account without
 * a key) cannot lock the owner out with a key of its own. Both proofs are rate-limited like a
 * sign-in. Replacing a key ends the account's other sessions. The code from the current key may
 * be one of the account's recovery codes (the phone with the old key is lost): one proof,
 * proveSecondFactor, serves this and a new set of recovery codes.
 */
import { verifyPassword } from '../credentials/passwords.ts';
import { replaceRecoveryCodes } from '../credentials/recovery-codes.ts';
import { invalidateUserSessions, type Session } from '../credentials/sessions.ts';
import type { Db } from '../db/client.ts';
import { recordOwnAudit } from '../domain/audit.ts';
import type { FieldIssues } from '../domain/field-issues.ts';
import type { User } from '../domain/users.ts';
import { enrolSecondFactor } from './login.ts';
import { claimAttempt, settleAttempt } from './rate-limit.ts';
import { checkSecondFactorCode, secondFactorCodeKind } from './second-factor-code.ts';
import { verifyTotp } from './totp.ts';

export type SetUpSecondFactorResult =
  /** The session has a new token (as after a sign-in's second step); the new recovery codes, to show once. */
  | { status: 'enrolled'; token: string; session: Session; recoveryCodes: string[] }
  /** Every field that is empty or whose new code is wrong, at once; nothing was checked against the account. */
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'wrong-password' }
  | { status: 'wrong-current-code' }
  | { status: 'blocked' };

export interface SetUpSecondFactorInput {
  session: Session;
  user: User;
  /** The new key and a code from the app that scanned it. */
  key: string;
  code?: string;
  /** For a first key: the account's password. */
  password?: string;
  /** For a replacement: a code from the key in use now. */
  currentCode?: string;
  /** The device cookie: the owner's browser keeps its own budget (rate-limit.ts). */
  deviceToken?: string;
  ip: string;
  now?: Date;
}

export async function setUpSecondFactor(db: Db, input: SetUpSecondFactorInput): Promise<SetUpSecondFactorResult> {
  const { user, key, code, ip, now = new Date() } = input;
  // Checked first, all together, so a mistyped new code does not use up the proof.
  const issues: FieldIssues = {};
  if (!code) issues.code = 'form.required';
  else if (verifyTotp(key, code, now, null) === null) issues.code = 'totp.invalid';
  const proofField = user.totpKey ? 'currentCode' : 'password';
  if (!input[proofField]) issues[proofField] = 'form.required';
  if (Object.keys(issues).length > 0) return { status: 'invalid', issues };
  const proof = user.totpKey
    ? await proveSecondFactor(db, user, input.currentCode ?? '', ip, input.deviceToken, now)
    : await provePassword(db, user, input.password ?? '', ip, input.deviceToken, now);
  if (proof !== 'ok') return { status: proof };
  const replacing = user.totpKey !== null;
  const enrolled = await enrolSecondFactor(db, { ...input, code: code!, now });
  if (enrolled.status !== 'enrolled') return { status: 'invalid', issues: { code: 'totp.invalid' } };
  if (replacing) {
    // A key is replaced when a phone is lost: the sessions on it must not outlive the old key.
    await invalidateUserSessions(db, user.id, enrolled.session.id);
    await recordOwnAudit(db, user, { action: 'totp.replaced', ip, now });
  }
  return enrolled;
}

async function provePassword(
  db: Db,
  user: User,
  password: string,
  ip: string,
  deviceToken: string | undefined,
  now: Date,
): Promise<'ok' | 'wrong-password' | 'blocked'> {
  const attempt = await claimAttempt(db, { kind: 'password', email: user.email, ip }, { deviceToken, now });
  if (attempt.refused) return 'blocked';
  const correct = await verifyPassword(user.passwordHash, password);
  await settleAttempt(db, attempt, correct, now);
  if (correct) return 'ok';
  return attempt.overLimit ? 'blocked' : 'wrong-password';
}

/**
 * A code from the account's app, or one of its recovery codes, typed again as proof. Limited as
 * the sign-in's second step is (the same budget); a recovery code used here is audited.
 */
async function proveSecondFactor(
  db: Db,
  user: User,
  code: string,
  ip: string,
  deviceToken: string | undefined,
  now: Date,
): Promise<'ok' | 'wrong-current-code' | 'blocked'> {
  // Not shaped like a code: no guess, nothing to count.
  if (secondFactorCodeKind(code) === null) return 'wrong-current-code';
  const attempt = await claimAttempt(db, { kind: 'totp', email: user.email, ip }, { deviceToken, now });
  if (attempt.refused) return 'blocked';
  const check = await checkSecondFactorCode(db, user, code, now);
  await settleAttempt(db, attempt, check.status === 'accepted', now);
  if (check.status === 'accepted') {
    if (check.method === 'recovery-code') {
      await recordOwnAudit(db, user, { action: 'recovery-code.used', ip, now, details: { remaining: check.remaining, step: 'proof' } });
    }
    return 'ok';
  }
  return attempt.overLimit ? 'blocked' : 'wrong-current-code';
}

export type NewRecoveryCodesResult =
  { status: 'created'; recoveryCodes: string[] } | { status: 'invalid'; issues: FieldIssues } | { status: 'no-second-factor' } | { status: 'blocked' };

/**
 * A new set of recovery codes (the old set, used or not, stops working), for a signed-in account
 * with a key; proven with a code from the app or an unused recovery code.
 */
export async function createNewRecoveryCodes(
  db: Db,
  { user, code, ip, deviceToken, now = new Date() }: { user: User; code?: string; ip: string; deviceToken?: string; now?: Date },
): Promise<NewRecoveryCodesResult> {
  if (!user.totpKey) return { status: 'no-second-factor' };
  if (!code) return { status: 'invalid', issues: { code: 'form.required' } };
  if (secondFactorCodeKind(code) === null) return { status: 'invalid', issues: { code: 'recovery.malformed' } };
  const proof = await proveSecondFactor(db, user, code, ip, deviceToken, now);
  if (proof === 'blocked') return { status: 'blocked' };
  if (proof !== 'ok') return { status: 'invalid', issues: { code: 'recovery.wrongProof' } };
  const recoveryCodes = await replaceRecoveryCodes(db, user.id, now);
  await recordOwnAudit(db, user, { action: 'recovery-codes.created', ip, now, details: { count: recoveryCodes.length, replaced: true } });
  return { status: 'created', recoveryCodes };
}
