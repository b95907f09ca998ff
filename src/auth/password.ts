/**
 * Passwords: argon2id hashes (OWASP's minimum parameters), and the rules a new password must
 * meet: at least 10 characters, not the account's own address, and hard to guess as zxcvbn
 * judges it (password-strength.ts).
 */
import { hash, verify } from '@node-rs/argon2';
import { joinMessageKeys } from '../domain/field-issues.ts';
import { judgePassword } from './password-strength.ts';

export const PASSWORD_MIN_LENGTH = 10;
/** Hashing cost grows with length; nobody needs more than this. */
export const PASSWORD_MAX_LENGTH = 256;

// algorithm: argon2id is @node-rs/argon2's default; these are OWASP's recommended costs.
const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/** A real hash of nothing in particular: unknown accounts cost as much time as known ones. */
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword('decoy password for unknown accounts');
  await verifyPassword(await decoyHash, password);
  return false;
}

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
