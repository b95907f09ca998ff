/**
 * Who may do what, decided in one place. A session is "complete" once its owner has passed
 * the second step they owe (admins always have one). Only complete sessions act.
 */
import type { Session } from '../credentials/sessions.ts';
import type { User } from '../domain/users.ts';

export interface Auth {
  user: User;
  session: Session;
}

/** The second step this session still owes before it may act: verify a code, or set TOTP up. */
export function pendingSecondFactor(auth: Auth): 'verify' | 'enrol' | null {
  if (auth.user.totpKey) return auth.session.twoFactorVerified ? null : 'verify';
  return auth.user.role === 'admin' ? 'enrol' : null;
}

export function isComplete(auth: Auth | null): auth is Auth {
  return auth !== null && pendingSecondFactor(auth) === null;
}

export function isAdmin(auth: Auth | null): auth is Auth {
  return isComplete(auth) && auth.user.role === 'admin';
}
