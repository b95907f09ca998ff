/**
 * Passwords: argon2id hashes (OWASP's minimum parameters), and the rules a new password must
 * meet: at least 10 characters, not a known common password, not the account's own address.
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

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

const COMMON = new Set(dictionary['passwords-common']);

export type PasswordProblem = 'password.tooShort' | 'password.tooLong' | 'password.common' | 'password.isEmail';

/** Why a password may not be chosen, as a message key; null when it is fine. */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'password.tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'password.tooLong';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'password.common';
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) return 'password.isEmail';
  return null;
}
