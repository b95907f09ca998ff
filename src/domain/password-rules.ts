/**
 * The rules a new password must meet: at least 10 characters, not the account's own address,
 * and hard to guess as zxcvbn judges it (password-strength.ts). Hashing is in
 * src/credentials/passwords.ts.
 */
import { joinMessageKeys } from './field-issues.ts';
import { judgePassword } from './password-strength.ts';

const PASSWORD_MIN_LENGTH = 10;
/** Hashing cost grows with length; nobody needs more than this. */
const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'password.tooShort' | 'password.tooLong' | 'password.isEmail' | `password.weak${string}`;

/** Who chooses the password, and the words of the site it is for: zxcvbn looks for them in it. */
export interface PasswordContext {
  email?: string | null;
  name?: string | null;
  /** e.g. the campaign's name. */
  siteWords?: readonly string[];
}

/**
 * Why a password may not be chosen, as a message key; null when it is fine. A weak one gets
 * "password.weak" joined with zxcvbn's hints (see joinMessageKeys).
 */
export function passwordProblem(password: string, { email, name, siteWords = [] }: PasswordContext = {}): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'password.tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'password.tooLong';
  const lower = password.toLowerCase();
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) return 'password.isEmail';
  const strength = judgePassword(password, [email ?? '', name ?? '', ...siteWords]);
  if (!strength.strong) return joinMessageKeys('password.weak', ...strength.hints) as PasswordProblem;
  return null;
}
