/**
 * A code for the second step, wherever one is asked for (signing in, replacing the key, a new
 * set of recovery codes): six digits from the authenticator app, or one of the account's
 * recovery codes. Either is used up by an atomic write, so it works once even when two requests
 * race. The rate limits are the callers' (the same "totp" budget for both kinds).
 */
import { countUnusedRecoveryCodes, normaliseRecoveryCode, useRecoveryCode } from '../credentials/recovery-codes.ts';
import type { Db } from '../db/client.ts';
import { claimTotpStep, type User } from '../domain/users.ts';
import { verifyTotp } from './totp.ts';

export type SecondFactorCodeCheck =
  /** Neither six digits nor shaped like a recovery code: no guess was made, nothing counted. */
  | { status: 'malformed' }
  | { status: 'wrong'; method: 'totp' | 'recovery-code' }
  | { status: 'accepted'; method: 'totp' }
  /** `remaining`: the account's unused recovery codes after this one. */
  | { status: 'accepted'; method: 'recovery-code'; remaining: number };

/** What kind of code the text is, before anything is checked. */
export function secondFactorCodeKind(code: string): 'totp' | 'recovery-code' | null {
  if (/^\d{6}$/.test(code.replace(/\s+/g, ''))) return 'totp';
  return normaliseRecoveryCode(code) === null ? null : 'recovery-code';
}

/** Checks and uses up a code of the account's (the caller has claimed a rate-limit attempt). */
export async function checkSecondFactorCode(db: Db, user: User, code: string, now: Date): Promise<SecondFactorCodeCheck> {
  const kind = secondFactorCodeKind(code);
  if (kind === null || !user.totpKey) return { status: 'malformed' };
  if (kind === 'totp') {
    const step = verifyTotp(user.totpKey, code, now, user.totpLastStep);
    const accepted = step !== null && (await claimTotpStep(db, user, step));
    return accepted ? { status: 'accepted', method: 'totp' } : { status: 'wrong', method: 'totp' };
  }
  if (!(await useRecoveryCode(db, user.id, normaliseRecoveryCode(code)!, now))) return { status: 'wrong', method: 'recovery-code' };
  return { status: 'accepted', method: 'recovery-code', remaining: await countUnusedRecoveryCodes(db, user.id) };
}
